import { z } from "zod";
import { redact } from "../schema/secrets";
import { SdeConfigError } from "./errors";
import { FLAG_MESSAGE, RANGES, wholeNumberIn, wholeNumberMessage, type ClientOptionsInput, type Range } from "./options";

/**
 * Where the client's options come from besides code: the stack config (`sdelements:*`), which the provider
 * reads, and the SDE_* variables, which any client falls back to.
 *
 * Pulumi hands every stack-config value over as a string; each is read into the client's units and judged
 * by the client's own rule for it (./options: the same ranges, the same message for a flag or a count),
 * so a value is refused here, under its key, or never. The URL and the token pass through as given: they
 * may come from SDE_URL and SDE_API_TOKEN as well, and the client judges them wherever they come from.
 */

/**
 * The stack config keys (namespace `sdelements`) the provider reads: the twins of the client options
 * url, token, timeoutMs and retryTimeoutMs (in seconds), maxAttempts, caFile, insecureSkipVerify,
 * maxConcurrentRequests and adaptiveThrottling; `debug`, which logs every request; and `rememberTests`
 * (default true), which lets the update of a `pulumi up` skip the connection tests its preview passed, and
 * `bulkReads` (default true), which serves a refresh's reads from one listing (both the provider's, not the
 * client's).
 */
export const CONFIG_KEYS = {
  url: "sdelements:url",
  apiToken: "sdelements:apiToken",
  timeout: "sdelements:timeout",
  maxAttempts: "sdelements:maxAttempts",
  retryTimeout: "sdelements:retryTimeout",
  caFile: "sdelements:caFile",
  insecureSkipVerify: "sdelements:insecureSkipVerify",
  maxConcurrentRequests: "sdelements:maxConcurrentRequests",
  adaptiveThrottling: "sdelements:adaptiveThrottling",
  debug: "sdelements:debug",
  rememberTests: "sdelements:rememberTests",
  bulkReads: "sdelements:bulkReads",
} as const;

/** A duration in seconds (`"12.5"`, as Number reads it), into the client's whole milliseconds. */
function seconds(range: Range) {
  const message = `must be a number of seconds from ${range.min / 1000} to ${range.max / 1000}`;
  return z
    .string()
    .transform((text) => Math.round(Number(text) * 1000))
    .pipe(wholeNumberIn(range, message));
}

/** A count (`" 4 "` is 4): digits only, then the client's range, with the client's message. */
function count(range: Range) {
  const message = wholeNumberMessage(range);
  return z
    .string()
    .regex(/^\s*\d+\s*$/, message)
    .transform(Number)
    .pipe(wholeNumberIn(range, message));
}

/** `true` or `false`, exactly: `yes`, `TRUE` or `1` are refused rather than guessed at. */
const flag = z.enum(["true", "false"], { error: FLAG_MESSAGE }).transform((text) => text === "true");

/** The stack config, key by key, as the client options it sets (and `debug`). */
const stackConfigSchema = z
  .object({
    [CONFIG_KEYS.url]: z.string().optional(),
    [CONFIG_KEYS.apiToken]: z.string().optional(),
    [CONFIG_KEYS.timeout]: seconds(RANGES.timeoutMs).optional(),
    [CONFIG_KEYS.maxAttempts]: count(RANGES.maxAttempts).optional(),
    [CONFIG_KEYS.retryTimeout]: seconds(RANGES.retryTimeoutMs).optional(),
    [CONFIG_KEYS.caFile]: z.string().optional(),
    [CONFIG_KEYS.insecureSkipVerify]: flag.optional(),
    [CONFIG_KEYS.maxConcurrentRequests]: count(RANGES.maxConcurrentRequests).optional(),
    [CONFIG_KEYS.adaptiveThrottling]: flag.optional(),
    [CONFIG_KEYS.debug]: flag.optional(),
    [CONFIG_KEYS.rememberTests]: flag.optional(),
    [CONFIG_KEYS.bulkReads]: flag.optional(),
  })
  .transform((config) => ({
    url: config[CONFIG_KEYS.url],
    token: config[CONFIG_KEYS.apiToken],
    timeoutMs: config[CONFIG_KEYS.timeout],
    maxAttempts: config[CONFIG_KEYS.maxAttempts],
    retryTimeoutMs: config[CONFIG_KEYS.retryTimeout],
    caFile: config[CONFIG_KEYS.caFile],
    insecureSkipVerify: config[CONFIG_KEYS.insecureSkipVerify],
    maxConcurrentRequests: config[CONFIG_KEYS.maxConcurrentRequests],
    adaptiveThrottling: config[CONFIG_KEYS.adaptiveThrottling],
    debug: config[CONFIG_KEYS.debug],
    rememberTests: config[CONFIG_KEYS.rememberTests],
    bulkReads: config[CONFIG_KEYS.bulkReads],
  }));

export type StackConfigOptions = Partial<ClientOptionsInput> & {
  /** `sdelements:debug`, else SDE_DEBUG=1: log one line per request. */
  debug: boolean;
  /** `sdelements:rememberTests`, default true: remember passed connection tests between hosts (provider/remembered-tests). */
  rememberTests: boolean;
  /** `sdelements:bulkReads`, default true: a refresh's reads share one listing (provider/bulk-reads). */
  bulkReads: boolean;
};

/**
 * The client options the stack config sets (an empty value counts as unset), or an SdeConfigError naming
 * each bad key and quoting its value, unless that is the token (from the config or SDE_API_TOKEN) pasted
 * into the wrong key.
 */
export function readStackConfig(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv): StackConfigOptions {
  const values: Record<string, string | undefined> = {};
  for (const key of Object.values(CONFIG_KEYS)) {
    const value = get(key);
    values[key] = value === "" ? undefined : value;
  }
  const result = stackConfigSchema.safeParse(values);
  if (!result.success) {
    // One problem a key: a value can break a rule twice (a number too large to be exact is also too large).
    const problems = new Map<string, string>();
    for (const issue of result.error.issues) {
      const key = String(issue.path[0]);
      if (!problems.has(key)) problems.set(key, `${key} ${issue.message}, not ${JSON.stringify(values[key])}`);
    }
    const tokens = [values[CONFIG_KEYS.apiToken], env.SDE_API_TOKEN]
      .filter((t): t is string => t !== undefined && t.trim() !== "")
      .map((t) => t.trim());
    throw new SdeConfigError(redact([...problems.values()].join("; "), tokens));
  }
  const { debug, rememberTests, bulkReads, ...options } = result.data;
  return { ...options, debug: debug ?? env.SDE_DEBUG === "1", rememberTests: rememberTests ?? true, bulkReads: bulkReads ?? true };
}

/** Fills in SDE_URL, SDE_API_TOKEN, SDE_CA_FILE and SDE_INSECURE_SKIP_VERIFY from `env` where not given. */
export function withEnvironment(options: Partial<ClientOptionsInput>, env: NodeJS.ProcessEnv = process.env): Partial<ClientOptionsInput> {
  return {
    ...options,
    url: options.url ?? env.SDE_URL,
    token: options.token ?? env.SDE_API_TOKEN,
    caFile: options.caFile ?? (env.SDE_CA_FILE || undefined),
    insecureSkipVerify: options.insecureSkipVerify ?? (env.SDE_INSECURE_SKIP_VERIFY === "true" ? true : undefined),
  };
}
