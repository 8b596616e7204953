import { parseOptions, UsageError } from "./command-line";

export const STEPS = ["preview", "up", "refresh", "destroy"] as const;
export type DemoStep = (typeof STEPS)[number];

export interface DemoArgs {
  /** The program's directory. */
  program: string;
  steps: DemoStep[];
  /** Stack config from --config KEY=VALUE (plain) and --secret KEY=VALUE (secret). */
  config: Record<string, string>;
  secretKeys: string[];
  stateOut?: string | undefined;
  help: boolean;
}

export const USAGE =
  "usage: npm run demo -- [--program DIR] [--steps preview,up,refresh,destroy] [--config KEY=VALUE ...] [--secret KEY=VALUE ...] [--state-out FILE]";

export { UsageError };

/**
 * The demo's command line. Without --program it is the offline demo of examples/basic (preview, up, a
 * second up that changes nothing, destroy); with it, any program and any steps.
 */
export function parseDemoArgs(argv: readonly string[], defaults: { program: string; steps: DemoStep[]; config: Record<string, string>; secretKeys: string[] }): DemoArgs {
  const values = parseOptions(argv, {
    program: { type: "string" },
    steps: { type: "string" },
    config: { type: "string", multiple: true },
    secret: { type: "string", multiple: true },
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
  for (const [list, secret] of [[values.config ?? [], false], [values.secret ?? [], true]] as const) {
    for (const pair of list) {
      const at = pair.indexOf("=");
      if (at <= 0) throw new UsageError(`--${secret ? "secret" : "config"} takes KEY=VALUE, not "${secret ? "KEY=…" : pair}"`);
      const key = pair.slice(0, at);
      config[key] = pair.slice(at + 1);
      if (secret && !secretKeys.includes(key)) secretKeys.push(key);
    }
  }
  return { program: values.program ?? defaults.program, steps: steps as DemoStep[], config, secretKeys, stateOut: values["state-out"], help: values.help ?? false };
}
