// The rules of the policy pack, as plain functions of a connection's properties: each returns its
// violations (none: an empty list), so they can be tested without the Pulumi CLI. policies.ts wires them
// into the pack. Violation messages name properties, never a credential's value.
import { FREQUENCIES, isSecretParamKey, MANUAL_FREQUENCY } from "pulumi-sdelements";

/** The type token of every IssueTrackerConnection, as policies see it (a dynamic resource). */
export const CONNECTION_TYPE = "pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection";

/** A connection's input properties as a policy receives them: plain values, secrets already unwrapped. */
export interface ConnectionProps {
  alias?: unknown;
  frequency?: unknown;
  debugMode?: unknown;
  params?: unknown;
}

/** Frequencies allowed unless the pack's config says otherwise: synced at least weekly, never only by hand. */
export const DEFAULT_ALLOWED_FREQUENCIES: readonly string[] = ["hourly", "daily", "weekly"];

/** Stacks treated as production unless the pack's config says otherwise. */
export const DEFAULT_PRODUCTION_STACKS: readonly string[] = ["prod", "production"];

function paramsOf(props: ConnectionProps): Record<string, unknown> {
  const params = props.params;
  return params !== null && typeof params === "object" && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
}

/**
 * Certificate validation on: a connection must not turn off TLS certificate checks of its tracker. A
 * connection that leaves the param out follows its connector (checked where the connector is managed).
 */
export function certificateValidationViolations(props: ConnectionProps): string[] {
  const value = paramsOf(props).issue_tracker_validate_cert;
  return value === false || value === "false"
    ? [
        "params.issue_tracker_validate_cert is false: keep certificate validation on (remove the param, or set it to true); trust a private CA on the SD Elements server instead",
      ]
    : [];
}

/** HTTPS only: the tracker must be reached over https. */
export function httpsOnlyViolations(props: ConnectionProps): string[] {
  const method = paramsOf(props).issue_tracker_method;
  return method !== undefined && method !== "https"
    ? [`params.issue_tracker_method is ${JSON.stringify(method)}: trackers must be reached over https (set it to "https", or remove it)`]
    : [];
}

/** What a policy can see of how a connection's credentials are kept. */
export interface SecretEvidence {
  /** The resource's `additionalSecretOutputs` option. */
  additionalSecretOutputs: readonly string[];
  /**
   * The values of the stack's config, from what the policy process was given (undefined when it was
   * given none: the value check is then skipped). `secret` is known only where the environment also says
   * which keys are secret (a program's does; the CLI gives a policy pack no such list).
   */
  configValues?: { all: ReadonlySet<string>; secret?: ReadonlySet<string> | undefined } | undefined;
}

/**
 * Credentials only as secrets. A policy receives secret values unwrapped, with no mark of their
 * secretness (pulumi/pulumi-policy#241), so it cannot ask a value whether it is secret. It checks what
 * shows it instead: (1) the resource keeps `credentials` among its additional secret outputs, as the
 * package's IssueTrackerConnection class does (it also wraps every credential param as a secret before
 * registering it); (2) when the stack config is visible to the policy, each credential equals a config
 * value, so it came from config, not from a literal in the program; and, where the environment says which
 * keys are secret, the value of a *secret* key, so not from a plain config value either.
 */
export function credentialsAsSecretsViolations(props: ConnectionProps, evidence: SecretEvidence): string[] {
  const violations: string[] = [];
  if (!evidence.additionalSecretOutputs.includes("credentials")) {
    violations.push(
      'its credentials output is not kept secret (no additionalSecretOutputs: ["credentials"]): declare connections with the IssueTrackerConnection class of pulumi-sdelements',
    );
  }
  const config = evidence.configValues;
  if (config !== undefined) {
    for (const [key, value] of Object.entries(paramsOf(props))) {
      if (!isSecretParamKey(key) || value === undefined || value === null) continue;
      const from = config.secret ?? config.all;
      if (!from.has(String(value))) {
        violations.push(
          `params.${key} is not read from ${config.secret ? "a secret stack config value" : "the stack config (a value written in the program?)"}: store it with \`pulumi config set --secret KEY\` and pass config.requireSecret("KEY")`,
        );
      }
    }
  }
  return violations;
}

/**
 * The stack's config values from the environment Pulumi gives a program or a policy pack (PULUMI_CONFIG),
 * and which of them are secret where it says (PULUMI_CONFIG_SECRET_KEYS: given to programs; the CLI gives
 * a policy pack no such list). Undefined without any config.
 */
export function configValues(env: Readonly<Record<string, string | undefined>>): SecretEvidence["configValues"] {
  try {
    const config: unknown = JSON.parse(env.PULUMI_CONFIG ?? "null");
    if (config === null || typeof config !== "object" || Array.isArray(config)) return undefined;
    const values = config as Record<string, unknown>;
    const strings = (keys: readonly string[]) => new Set(keys.map((k) => values[k]).filter((v): v is string => typeof v === "string"));
    const secretKeys: unknown = JSON.parse(env.PULUMI_CONFIG_SECRET_KEYS ?? "null");
    return { all: strings(Object.keys(values)), secret: Array.isArray(secretKeys) ? strings(secretKeys.map(String)) : undefined };
  } catch {
    return undefined;
  }
}

/** Frequency from an allowed list; a connection without one syncs "manually" (the provider's default). */
export function frequencyViolations(props: ConnectionProps, allowed: readonly string[]): string[] {
  const frequency = props.frequency ?? MANUAL_FREQUENCY;
  if (typeof frequency === "string" && allowed.includes(frequency)) return [];
  const known = allowed.filter((f) => (FREQUENCIES as readonly string[]).includes(f));
  return [`frequency is ${JSON.stringify(frequency)}: use one of ${known.join(", ")}`];
}

/** `$task_id` or `${task_id}`, as a whole placeholder (not `$task_identifier`). */
const TASK_ID = /\$(\{task_id\}|task_id(?![A-Za-z0-9_]))/;

/**
 * Title format containing $task_id, so every tracker issue can be traced back to its SD Elements task. A
 * connection that leaves the param out follows its connector (whose default format has it).
 */
export function titleFormatViolations(props: ConnectionProps): string[] {
  const format = paramsOf(props).issue_tracker_title_format;
  return format !== undefined && !(typeof format === "string" && TASK_ID.test(format))
    ? [`params.issue_tracker_title_format ${JSON.stringify(format)} does not contain $task_id: add it, e.g. "$task_id $title"`]
    : [];
}

/** Whether a stack is a production stack: its name is listed, or ends in `-<listed name>` (`eu-prod`). */
export function isProductionStack(stack: string, productionStacks: readonly string[]): boolean {
  const name = stack.toLowerCase();
  return productionStacks.some((p) => name === p.toLowerCase() || name.endsWith(`-${p.toLowerCase()}`));
}

/** No debug mode in production stacks: verbose sync logs are for investigating, not for running. */
export function debugModeViolations(props: ConnectionProps, stack: string, productionStacks: readonly string[]): string[] {
  return props.debugMode === true && isProductionStack(stack, productionStacks)
    ? [`debugMode is on in production stack "${stack}": turn it off (remove debugMode, or set it to false)`]
    : [];
}
