import * as pulumi from "@pulumi/pulumi";
import type { IssueTrackerConnectionArgs } from "./issue-tracker-connection";
import { connectionTestsArgumentsSchema } from "./model/connection-tests-args";
import { serializedConnectionTestsProvider } from "./provider/serialized";
import { issuePath } from "./schema/validation";

export interface ConnectionTestsArgs {
  /**
   * Every connection of the catalogue, by the resource name it is registered under, with the very
   * arguments given to its IssueTrackerConnection. Each sent to the provider as a secret; never stored.
   */
  connections: pulumi.Input<Record<string, IssueTrackerConnectionArgs>>;
}

/**
 * The connection tests of a whole catalogue, run together before the connections are checked: the
 * engine checks resources one at a time, so without it each distinct test of a large change waits for
 * the one before (provider/connection-tests-provider.ts). Register it first and make every connection
 * depend on it:
 *
 *   const tests = new ConnectionTests("connection-tests", { connections: declared });
 *   for (const [name, args] of Object.entries(declared)) new IssueTrackerConnection(name, args, { dependsOn: tests });
 *
 * It tests only connections that are new or whose project or tested settings changed since the last
 * deployment (an unchanged catalogue makes no request), as many at once as the request budget allows;
 * each connection's own Check then finds its verdict, and a failure still fails the preview naming that
 * connection. It creates nothing on the server; its state holds only keyed digests (no name, setting or
 * credential), and its plan never shows a change.
 */
export class ConnectionTests extends pulumi.dynamic.Resource {
  constructor(name: string, args: ConnectionTestsArgs, opts: pulumi.CustomResourceOptions = {}) {
    // An Output or a Promise of the map is checked by the provider's Check, once it is known.
    const pending = (value: unknown) => pulumi.Output.isInstance(value) || value instanceof Promise;
    if (pending(args))
      throw new pulumi.RunError(`ConnectionTests "${name}": the arguments must be a plain object: give connections its own Output instead`);
    // What is not known yet is judged by the provider's Check once it is: the map, or one entry of it.
    const known = (connections: unknown) =>
      pending(connections)
        ? {}
        : connections !== null && typeof connections === "object" && !Array.isArray(connections)
          ? Object.fromEntries(Object.entries(connections).map(([entry, value]) => [entry, pending(value) ? {} : value]))
          : connections;
    const given: unknown = args !== null && typeof args === "object" ? { ...args, connections: known(args.connections) } : args;
    const checked = connectionTestsArgumentsSchema.safeParse(given);
    if (!checked.success) {
      const why = checked.error.issues.map((issue) => `${issue.path.length > 0 ? `${issuePath(issue.path)}: ` : ""}${issue.message}`);
      throw new pulumi.RunError(`ConnectionTests "${name}": ${why.join("; ")}`);
    }
    super(serializedConnectionTestsProvider, name, { connections: eachSecret(args.connections) }, opts, "sdelements", "ConnectionTests");
  }
}

/**
 * The connections, each a secret of its own (they hold credentials). Not the whole map as one: an Output is
 * known only when every value inside is, so one connection whose project comes from a resource not yet
 * created would make the whole catalogue unknown in a preview, and nothing would be tested together.
 */
function eachSecret(connections: ConnectionTestsArgs["connections"]): pulumi.Input<Record<string, unknown>> {
  if (pulumi.Output.isInstance(connections) || connections instanceof Promise) return pulumi.secret(connections);
  return Object.fromEntries(Object.entries(connections).map(([name, args]) => [name, pulumi.secret(args)]));
}
