import "../supported-node";
import { SdeClient } from "../client/client";
import { clientSource } from "./client-source";
import { ConnectionProvider } from "./connection-provider";
import { ConnectionTest } from "./connection-test";
import { ConnectionTestsProvider } from "./connection-tests-provider";
import { CONFIG_KEYS, providerSettings, type ConfigSource, type ProviderSettings } from "./settings";

/**
 * The provider as it runs in Pulumi's dynamic-provider host. The serialized provider in each resource's
 * state only `require`s this module by package name (`pulumi-sdelements/provider`), so the code that runs
 * is always the installed version of the package: upgrading it changes refresh and destroy too, with no
 * diff on any resource.
 *
 * State here lives in the host process only (never serialized): the settings `configure` received and one
 * client, whose keep-alive sockets serve every resource of the deployment.
 */
let settings: ConfigSource | undefined;
/** The `sdelements:*` values the client was made from, to tell a repeated configure from a changed one. */
let settingsSeen: string | undefined;
/** What the provider takes from those settings, read once when first needed (replaced with them). */
let taken: ProviderSettings | undefined;
const current = () => (taken ??= providerSettings(settings));
let shared: SdeClient | undefined;

/**
 * Called by the host with the whole stack config (secrets decrypted), once for each distinct serialized
 * provider it meets, so possibly more than once per deployment, with the same config: then the client
 * (and every request it has in flight) stays. Only changed settings replace it; the old one finishes what
 * it has under way before it closes.
 */
export function configure(config: ConfigSource): void {
  const seen = JSON.stringify(Object.values(CONFIG_KEYS).map((key) => config.get(key) ?? null));
  if (seen === settingsSeen) return;
  settings = config;
  settingsSeen = seen;
  void shared?.close();
  shared = undefined;
  taken = undefined;
}

const source = clientSource(
  () => (shared ??= new SdeClient(current().clientOptions)),
  // The engine shows what the host writes to stderr as diagnostics.
  (message) => process.stderr.write(`warning: ${message}\n`),
);
// One set of tests for both resources: the verdicts ConnectionTests gathers are the connections' own.
const connectionTest = new ConnectionTest(source, () => current().passedTests);
const provider = new ConnectionProvider(source, {
  connectionTest,
  bulkReads: () => current().bulkReads,
});

// The provider's methods, one export each: the serialized provider calls them by these names.
export const check = provider.check.bind(provider);
export const diff = provider.diff.bind(provider);
export const create = provider.create.bind(provider);
export const read = (id: string, props?: Record<string, unknown>) => provider.read(id, props ?? {});
export const update = provider.update.bind(provider);
const remove = provider.delete.bind(provider);
export { remove as delete };

/** The ConnectionTests resource's provider (src/connection-tests.ts), called through tests-host.ts. */
const tests = new ConnectionTestsProvider(
  () => connectionTest,
  () => current().testedDigestKey,
);
export const connectionTests = {
  check: tests.check.bind(tests),
  diff: tests.diff.bind(tests),
  create: tests.create.bind(tests),
  read: tests.read.bind(tests),
  update: tests.update.bind(tests),
  delete: tests.delete.bind(tests),
};
