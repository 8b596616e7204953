import type * as dynamic from "@pulumi/pulumi/dynamic";

// require(), not import: the provider is loaded in the host, never captured.

/**
 * The provider object Pulumi serializes into the state of every IssueTrackerConnection (`__provider`).
 * Each method only loads this package's provider in the host by name (`pulumi-sdelements/provider`,
 * src/provider/host.ts) and delegates to it, so:
 * - the serialized text captures nothing: no client, no settings, no token; and it is small (under 2 KB,
 *   which a test holds: it travels in every RPC and sits twice in each resource's state). Hence the terse
 *   one-line arrows: the serializer wraps each function in some 200 bytes of its own;
 * - it never changes between versions, so upgrading the package causes no diff, and refresh and destroy
 *   run the installed code rather than code frozen in the state.
 * The package must be resolvable from the program's directory, as it is for any program that imports it.
 */
export const serializedProvider: dynamic.ResourceProvider = {
  configure: (r) => require("pulumi-sdelements/provider").configure(r.config),
  check: (o, n) => require("pulumi-sdelements/provider").check(o, n),
  diff: (i, o, n) => require("pulumi-sdelements/provider").diff(i, o, n),
  create: (n) => require("pulumi-sdelements/provider").create(n),
  read: (i, p) => require("pulumi-sdelements/provider").read(i, p),
  update: (i, o, n) => require("pulumi-sdelements/provider").update(i, o, n),
  delete: (i, p) => require("pulumi-sdelements/provider").delete(i, p),
};

/**
 * The same for the ConnectionTests resource (src/connection-tests.ts): its provider, in the same host
 * process as the connections' (tests-host.ts shares host.ts's module), loaded by name.
 */
export const serializedConnectionTestsProvider: dynamic.ResourceProvider = {
  configure: (r) => require("pulumi-sdelements/tests").configure(r.config),
  check: (o, n) => require("pulumi-sdelements/tests").check(o, n),
  diff: (i, o, n) => require("pulumi-sdelements/tests").diff(i, o, n),
  create: (n) => require("pulumi-sdelements/tests").create(n),
  read: (i, p) => require("pulumi-sdelements/tests").read(i, p),
  update: (i, o, n) => require("pulumi-sdelements/tests").update(i, o, n),
  delete: (i, p) => require("pulumi-sdelements/tests").delete(i, p),
};
