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
 * Everything the provider takes from the settings, read once (one parse of the stack config, whose first
 * mistake is the error of every part), so that the client, the bulk reads and both kinds of remembered
 * tests follow the same values.
 */
export interface ProviderSettings {
  /**
   * Client options, with SDE_URL / SDE_API_TOKEN / SDE_CA_FILE as fallbacks (applied by the client). With
   * `sdelements:debug` true (or SDE_DEBUG=1) every request is logged to stderr, one line each: method,
   * path, status, time, attempts; never a header or a body, so never a token or a credential.
   */
  clientOptions: Partial<ClientOptionsInput>;
  /** `sdelements:bulkReads` (default true): whether a refresh's reads share one listing (bulk-reads.ts). */
  bulkReads: boolean;
  /**
   * Where passed connection tests are remembered: the user's file, keyed by the API token and URL, unless
   * `sdelements:rememberTests` is false or there is no token to key it with.
   */
  passedTests: PassedTests;
  /**
   * The key of the digests the ConnectionTests resource keeps in the state (connection-tests-provider.ts):
   * from the API token and URL; none without a token (then it keeps none).
   */
  testedDigestKey: KeyObject | undefined;
}

/** The provider's settings from stack config (each key judged by the client's own rules, client/config) or the environment. */
export function providerSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const stack = readStackConfig((key) => config?.get(key), env);
  const { url, token } = withEnvironment(stack, env);
  const keyed = url !== undefined && url !== "" && token !== undefined && token !== "";
  return {
    clientOptions: clientOptionsOf(stack),
    bulkReads: stack.bulkReads,
    passedTests: stack.rememberTests && keyed ? new RememberedTests({ file: rememberedTestsFile(), url, token }) : NOT_REMEMBERED,
    testedDigestKey: keyed ? tokenKey(token, url, "pulumi-sdelements tested connections in the state") : undefined,
  };
}

/** The client options alone (the functions make a client of their own from the stack config). */
export function clientOptionsFromConfig(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Partial<ClientOptionsInput> {
  return clientOptionsOf(readStackConfig((key) => config?.get(key), env));
}

function clientOptionsOf({
  debug,
  rememberTests: _rememberTests,
  bulkReads: _bulkReads,
  ...options
}: StackConfig): Partial<ClientOptionsInput> {
  return { ...options, logger: debug ? debugLine : undefined };
}

type StackConfig = ReturnType<typeof readStackConfig>;

function debugLine(line: string): void {
  process.stderr.write(`debug: sdelements: ${line}\n`);
}
