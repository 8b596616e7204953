import { isSecretParamKey } from "../schema/secrets";
import { parseOptions, UsageError, refuseBlank, type CommandOptions } from "./command-line";
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
  /** Keep the emulator's data and the stack's state here between runs. */
  stackDir?: string | undefined;
  /** The emulator's data instead of its default world (JSON, as `sde-emulator --seed` takes it). */
  seed?: string | undefined;
  /** Show each change property by property (`pulumi preview --diff`). */
  diff: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE =
  "usage: npm run demo -- [--program DIR] [--steps preview,up,refresh,destroy] [--stack-dir DIR] [--diff] [--seed FILE] [--config KEY=VALUE ...] [--secret-env KEY=VAR ...] [--secret-file KEY=PATH ...] [--secret-stdin KEY] [--state-out FILE] [--version] [--help]";

export const HELP = `${USAGE}

Runs a Pulumi program offline, with no Pulumi CLI: against an SD Elements emulator started for the run,
through this package's local engine (which drives @pulumi/pulumi's own dynamic-provider host), and prints
what \`pulumi preview\` and \`pulumi up\` would. TypeScript is type-checked first, as the CLI does.

Options:
  --program DIR        the program's directory (default: examples/basic, with the passwords its
                       trackers in the emulator accept); pulumi-sdelements must resolve from it
  --steps LIST         the steps, in order, from preview, up, refresh, destroy (default: preview,up,up,destroy
                       for examples/basic; preview,up,refresh,destroy with --program; preview,up with
                       --stack-dir)
  --stack-dir DIR      keep the stack in DIR from one run to the next, as \`pulumi up\` on a local backend
                       does: the emulator's data (emulator.json), the stack's state (state.json, secrets
                       encrypted) and its key (secrets.key). Edit the program and run again to see the
                       change (~ update); \`--steps destroy\` deletes what it holds. Default: a fresh
                       emulator and an empty stack for every run
  --diff               show each change property by property, as \`pulumi preview --diff\`
  --seed FILE          the emulator's data (JSON in the shape of \`sde-emulator --seed\`: tokens, projects,
                       connectors, connections, jobs, tracker servers with their users, passwords,
                       API tokens and projects) instead of its default world; with --stack-dir, only
                       when the directory is new
  --config KEY=VALUE   a plain stack config value (repeatable); a KEY without a namespace belongs to the
                       program's project (its Pulumi.yaml name)
  --secret-env KEY=VAR   a secret stack config value read from the environment variable VAR (repeatable)
  --secret-file KEY=PATH a secret stack config value read from the file PATH (one trailing line break
                         dropped; repeatable)
  --secret-stdin KEY     a secret stack config value read from standard input: a prompt without echo at
                         a terminal, one line from a pipe (once). A secret is never taken on the command
                         line: --secret KEY=VALUE, and any option named for a secret (--password,
                         --api-token, --token...), is refused
  --state-out FILE     write the final state view to FILE (mode 0600). It holds the secrets' values:
                       keep it out of Git
  --version            print the version
  --help               show this help

sdelements:url and sdelements:apiToken are set to the emulator's. DIR and FILE are relative to where
the command was typed. The emulator's default world: projects 1, 2, 3; connectors 1 (Jira, server
bugs.server.co), 2 (Rally), 3 (GitHub); connection 1 "Rally Integration"; tracker servers that accept
jira.example.com user pulumi-bot password example-jira-password (projects PAY, OPS) and
rally1.rallydev.com user rally_user password rally_password (project "Rally Project"): the README lists
all of it.

Environment:
  NO_COLOR                            no colour, even on a terminal
  PULUMI_NODEJS_TRANSPILE_ONLY=true   load TypeScript without type-checking, as the CLI allows

Exit status: 0 every step succeeded; 1 a step failed (each error is shown once, under its resource);
2 a bad command line.
`;

export { UsageError };

const SECRET_WAYS = secretWays("secret", "KEY");

const OPTIONS = {
  program: { type: "string" },
  steps: { type: "string" },
  config: { type: "string", multiple: true },
  "secret-env": { type: "string", multiple: true },
  "secret-file": { type: "string", multiple: true },
  "secret-stdin": { type: "string", multiple: true },
  "state-out": { type: "string" },
  "stack-dir": { type: "string" },
  seed: { type: "string" },
  diff: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} satisfies CommandOptions;

/**
 * The demo's command line. Without --program it is the offline demo of examples/basic (preview, up, a
 * second up that changes nothing, destroy); with it, any program and any steps. Config secrets come from
 * an environment variable, a file or standard input; `--secret KEY=VALUE` (or any option whose name says
 * it carries a secret: `--password`, `--api-token`...) is refused, naming those.
 */
export function parseDemoArgs(
  argv: readonly string[],
  defaults: { program: string; steps: DemoStep[]; config: Record<string, string>; secretKeys: string[] },
): DemoArgs {
  refuseSecretsOnCommandLine(argv, Object.keys(OPTIONS), `pass it with ${SECRET_WAYS}`);
  const values = parseOptions(argv, OPTIONS);
  refuseBlank(values, ["stack-dir", "seed", "state-out", "program"]);
  const custom = values.program !== undefined;
  // A kept stack is for coming back to: by default nothing in it is destroyed.
  const fallback = values["stack-dir"] !== undefined ? (["preview", "up"] as DemoStep[]) : custom ? [...STEPS] : defaults.steps;
  const steps = values.steps === undefined ? fallback : values.steps.split(",").map((s) => s.trim());
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
      throw new UsageError(
        `--config ${key}: its name says it is a secret, and --config would put its value on the command line (and in plain config): pass it with ${secretWays("secret", key)}`,
      );
    }
    config[key] = pair.slice(at + 1);
    given.add(key);
  }
  if ((values["secret-stdin"] ?? []).length > 1) {
    throw new UsageError(
      "--secret-stdin can be given once (standard input holds one value): pass the others with --secret-env KEY=VAR or --secret-file KEY=PATH",
    );
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
    if (/[\s=]/.test(secret.key) || secret.key === "")
      throw new UsageError(`${secret.flag.split(" ")[0]} takes a config key (without spaces or "=") first`);
    if (secrets.filter((s) => s.key === secret.key).length > 1 || given.has(secret.key)) {
      throw new UsageError(`${secret.key} is given twice: give each config key once`);
    }
    if (!secretKeys.includes(secret.key)) secretKeys.push(secret.key);
  }
  return {
    program: values.program ?? defaults.program,
    steps: steps as DemoStep[],
    config,
    secretKeys,
    secrets,
    stateOut: values["state-out"],
    stackDir: values["stack-dir"],
    seed: values.seed,
    diff: values.diff ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}
