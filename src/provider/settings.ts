import type { ClientOptionsInput } from "../client/options";
import { isSdeApiError, SdeConfigError } from "../client/errors";
import { redact } from "../schema/secrets";

/**
 * The provider's settings come from the stack config (`sdelements:<key>`, handed to `configure` by the
 * engine, secrets already decrypted) or from the environment. They are read in the provider host at run
 * time and never captured in the serialized provider, so no token or URL lands in the state.
 */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Stack config keys (namespace `sdelements`) and what they set. */
export const CONFIG_KEYS = {
  url: "sdelements:url",
  apiToken: "sdelements:apiToken",
  timeout: "sdelements:timeout",
  maxAttempts: "sdelements:maxAttempts",
  retryTimeout: "sdelements:retryTimeout",
  caFile: "sdelements:caFile",
  insecureSkipVerify: "sdelements:insecureSkipVerify",
  debug: "sdelements:debug",
} as const;

/**
 * Client options from stack config, with SDE_URL / SDE_API_TOKEN / SDE_CA_FILE as fallbacks (applied by the
 * client). With `sdelements:debug` true (or SDE_DEBUG=1) every request is logged to stderr, one line each:
 * method, path, status, time, attempts; never a header or a body, so never a token or a credential.
 */
export function clientOptionsFromConfig(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Partial<ClientOptionsInput> {
  const get = (key: string) => {
    const value = config?.get(key);
    return value === undefined || value === "" ? undefined : value;
  };
  const token = get(CONFIG_KEYS.apiToken);
  try {
    return {
      url: get(CONFIG_KEYS.url),
      token,
      timeoutMs: seconds(get(CONFIG_KEYS.timeout), CONFIG_KEYS.timeout),
      maxAttempts: whole(get(CONFIG_KEYS.maxAttempts), CONFIG_KEYS.maxAttempts),
      retryTimeoutMs: seconds(get(CONFIG_KEYS.retryTimeout), CONFIG_KEYS.retryTimeout),
      caFile: get(CONFIG_KEYS.caFile),
      insecureSkipVerify: flag(get(CONFIG_KEYS.insecureSkipVerify), CONFIG_KEYS.insecureSkipVerify),
      logger: (flag(get(CONFIG_KEYS.debug), CONFIG_KEYS.debug) ?? env.SDE_DEBUG === "1") ? debugLine : undefined,
    };
  } catch (error) {
    // The bad value is quoted to help fix it, unless it is the token pasted into the wrong setting.
    const tokens = [token, env.SDE_API_TOKEN].filter((t): t is string => t !== undefined && t.trim() !== "").map((t) => t.trim());
    throw isSdeApiError(error) ? new SdeConfigError(redact(error.message, tokens)) : error;
  }
}

function debugLine(line: string): void {
  process.stderr.write(`debug: sdelements: ${line}\n`);
}

function seconds(value: string | undefined, key: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Math.round(Number(value) * 1000);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new SdeConfigError(`${key} must be a number of seconds, at least 0.001, not ${JSON.stringify(value)}`);
  }
  return ms;
}

function whole(value: string | undefined, key: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) {
    throw new SdeConfigError(`${key} must be a whole number, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function flag(value: string | undefined, key: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") {
    throw new SdeConfigError(`${key} must be true or false, not ${JSON.stringify(value)}`);
  }
  return value === "true";
}
