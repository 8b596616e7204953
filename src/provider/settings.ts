import { readStackConfig, withEnvironment } from "../client/config";
import { NOT_REMEMBERED, RememberedTests, rememberedTestsFile, type PassedTests } from "./remembered-tests";
import type { ClientOptionsInput } from "../client/options";
import type { KeyObject } from "node:crypto";
import { tokenKey } from "./token-key";

export { CONFIG_KEYS } from "../client/config";

/**
 * The provider's settings come from the stack config (`sdelements:<key>`, handed to `configure` by the
 * engine, secrets already decrypted) or from the environment. They are read in the provider host at run
 * time and never captured in the serialized provider, so no token or URL lands in the state.
 */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/**
 * Client options from stack config, with SDE_URL / SDE_API_TOKEN / SDE_CA_FILE as fallbacks (applied by the
 * client); each key read and judged by the client's own rules (client/config). With `sdelements:debug`
 * true (or SDE_DEBUG=1) every request is logged to stderr, one line each: method, path, status, time,
 * attempts; never a header or a body, so never a token or a credential.
 */
export function clientOptionsFromConfig(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Partial<ClientOptionsInput> {
  const { debug, rememberTests: _rememberTests, bulkReads: _bulkReads, ...options } = readStackConfig((key) => config?.get(key), env);
  return { ...options, logger: debug ? debugLine : undefined };
}

/** `sdelements:bulkReads` (default true): whether a refresh's reads share one listing (bulk-reads.ts). */
export function bulkReadsFromConfig(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return readStackConfig((key) => config?.get(key), env).bulkReads;
}

/**
 * Where the provider remembers passed connection tests for these settings: the user's file, keyed by the
 * API token and URL (config or SDE_* variables), unless `sdelements:rememberTests` is false or there is
 * no token to key it with.
 */
export function passedTestsFromConfig(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): PassedTests {
  const { rememberTests, ...options } = readStackConfig((key) => config?.get(key), env);
  const { url, token } = withEnvironment(options, env);
  if (!rememberTests || !url || !token) return NOT_REMEMBERED;
  return new RememberedTests({ file: rememberedTestsFile(), url, token });
}

/**
 * The key of the digests the ConnectionTests resource keeps in the state (connection-tests-provider.ts):
 * from the API token and URL (config or SDE_* variables); none without a token (then it keeps none).
 */
export function testedDigestKeyFromConfig(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): KeyObject | undefined {
  const { url, token } = withEnvironment(
    readStackConfig((key) => config?.get(key), env),
    env,
  );
  return url && token ? tokenKey(token, url, "pulumi-sdelements tested connections in the state") : undefined;
}

function debugLine(line: string): void {
  process.stderr.write(`debug: sdelements: ${line}\n`);
}
