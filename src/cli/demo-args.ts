import { isSecretParamKey } from "../schema/secrets";
import { parseOptions, UsageError } from "./command-line";
import { keyedSecretSource, refuseSecretsOnCommandLine, secretWays, type SecretSource } from "./secret-input";

export const STEPS = ["preview", "up", "refresh", "destroy"] as const;
export type DemoStep = (typeof STEPS)[number];

/** A config secret the run needs, and where its value is: never the command line. */
export interface DemoSecret {
  key: string;
  source: SecretSource;
  /** The option that named it, for messages (`--secret-file jiraPassword`). */
  flag: string;
}

export interface DemoArgs {
  /** The program's directory. */
  program: string;
  steps: DemoStep[];
  /** Plain stack config from --config KEY=VALUE (and the default demo's own secrets). */
  config: Record<string, string>;
  /** The config keys that are secrets: the default demo's, and those of `secrets`. */
  secretKeys: string[];
  /** Config secrets still to be read (--secret-env, --secret-file, --secret-stdin). */
  secrets: DemoSecret[];
  stateOut?: string | undefined;
  help: boolean;
}

export const USAGE =
  "usage: npm run demo -- [--program DIR] [--steps preview,up,refresh,destroy] [--config KEY=VALUE ...] [--secret-env KEY=VAR ...] [--secret-file KEY=PATH ...] [--secret-stdin KEY] [--state-out FILE]";

export { UsageError };

const SECRET_WAYS = secretWays("secret", "KEY");

/**
 * The demo's command line. Without --program it is the offline demo of examples/basic (preview, up, a
 * second up that changes nothing, destroy); with it, any program and any steps. Config secrets come from
 * an environment variable, a file or standard input; `--secret KEY=VALUE` is refused, naming those.
 */
export function parseDemoArgs(argv: readonly string[], defaults: { program: string; steps: DemoStep[]; config: Record<string, string>; secretKeys: string[] }): DemoArgs {
  refuseSecretsOnCommandLine(argv, { "--secret": `pass it with ${SECRET_WAYS}` });
  const values = parseOptions(argv, {
    program: { type: "string" },
    steps: { type: "string" },
    config: { type: "string", multiple: true },
    "secret-env": { type: "string", multiple: true },
    "secret-file": { type: "string", multiple: true },
    "secret-stdin": { type: "string", multiple: true },
    "state-out": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const custom = values.program !== undefined;
  const steps = values.steps === undefined ? (custom ? [...STEPS] : defaults.steps) : values.steps.split(",").map((s) => s.trim());
  const unknown = steps.filter((s) => !(STEPS as readonly string[]).includes(s));
  if (unknown.length > 0 || steps.length === 0) {
    throw new UsageError(`--steps takes a comma-separated list of ${STEPS.join(", ")}; not ${unknown.join(", ") || "nothing"}`);
  }
  const config: Record<string, string> = custom ? {} : { ...defaults.config };
  const secretKeys = custom ? [] : [...defaults.secretKeys];
  const given = new Set<string>();
  for (const pair of values.config ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--config takes KEY=VALUE, not "${pair}"`);
    const key = pair.slice(0, at);
    // A key whose name says it holds a password or token is a secret, whatever the flag.
    if (isSecretParamKey(key.slice(key.indexOf(":") + 1))) {
      throw new UsageError(`--config ${key}: its name says it is a secret, and --config would put its value on the command line (and in plain config): pass it with ${secretWays("secret", key)}`);
    }
    config[key] = pair.slice(at + 1);
    given.add(key);
  }
  if ((values["secret-stdin"] ?? []).length > 1) {
    throw new UsageError("--secret-stdin can be given once (standard input holds one value): pass the others with --secret-env KEY=VAR or --secret-file KEY=PATH");
  }
  const keyed = (option: "env" | "file") => (pair: string) => {
    const { key, source } = keyedSecretSource(pair, option, `--secret-${option}`);
    return { key, source, flag: `--secret-${option} ${key}` };
  };
  const secrets: DemoSecret[] = [
    ...(values["secret-env"] ?? []).map(keyed("env")),
    ...(values["secret-file"] ?? []).map(keyed("file")),
    ...(values["secret-stdin"] ?? []).map((key) => ({ key, source: { from: "stdin" } as const, flag: `--secret-stdin ${key}` })),
  ];
  for (const secret of secrets) {
    if (/[\s=]/.test(secret.key) || secret.key === "") throw new UsageError(`${secret.flag.split(" ")[0]} takes a config key (without spaces or "=") first`);
    if (secrets.filter((s) => s.key === secret.key).length > 1 || given.has(secret.key)) {
      throw new UsageError(`${secret.key} is given twice: give each config key once`);
    }
    if (!secretKeys.includes(secret.key)) secretKeys.push(secret.key);
  }
  return { program: values.program ?? defaults.program, steps: steps as DemoStep[], config, secretKeys, secrets, stateOut: values["state-out"], help: values.help ?? false };
}
