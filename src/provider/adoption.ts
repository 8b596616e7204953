import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isSdeApiError } from "../client/errors";
import { patchFor } from "../model/api-body";
import { describeChanges, diffConnection } from "../model/diff";
import type { ConnectionInputs } from "../model/inputs";
import { credentialValues, managementOf, toState } from "../model/state";
import type { Connection } from "../schema/connection";
import type { ClientSource } from "./client-source";
import { failure, providerError } from "./errors";
import { noSuch, PARAMS_HIDDEN } from "../client/messages";

/**
 * Bringing an existing connection under management (`adoptId`) instead of creating one, and keeping it
 * from being deleted by another resource of the same deployment.
 */
export class Adoption {
  /**
   * Connections adopted by this provider (ids), which no other resource may delete. It lives as long as
   * the host process, which the CLI starts for each deployment.
   */
  private readonly adopted = new Set<string>();

  constructor(private readonly source: ClientSource) {}

  /** One GET, and a PATCH only if the connection differs from the program. */
  async adopt(inputs: ConnectionInputs, id: number): Promise<dynamic.CreateResult> {
    const client = this.source.client();
    let existing: Connection;
    try {
      existing = await client.connections.get(id, { includeLastJob: true });
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404) {
        throw providerError(
          `adopting connection ${id} for "${inputs.alias}": ${noSuch(`connection ${id}`)}. Check adoptId, or remove it to create a new connection`,
        );
      }
      throw failure(`adopting connection ${id}`, error, credentialValues(inputs));
    }
    for (const field of ["project", "connector"] as const) {
      if (existing[field] !== inputs[field]) {
        throw providerError(
          `adopting connection ${id}: it belongs to ${field} ${existing[field]}, but the program says ${field} ${inputs[field]}. Fix ${field} or adoptId`,
        );
      }
    }
    if (existing.params === undefined) {
      throw providerError(`adopting connection ${id}: ${PARAMS_HIDDEN}, so they cannot be compared with the program`);
    }
    this.adopted.add(String(id));
    // Compared as if the program had always managed the params it declares.
    const asFound = toState(existing, managementOf(inputs));
    const changes = diffConnection(asFound, inputs);
    if (changes.length === 0) return { id: String(id), outs: asFound };
    try {
      const updated = await client.connections.update(id, patchFor(changes, inputs));
      return { id: String(id), outs: toState(updated, managementOf(inputs)) };
    } catch (error) {
      throw failure(`adopting connection ${id} (changed: ${describeChanges(changes)})`, error, credentialValues(inputs));
    }
  }

  /**
   * Whether a resource of this deployment adopted this connection. Renaming an adopted resource (without
   * `aliases`) makes the engine create the new name, which adopts the same connection, and then delete the
   * old name, which must not delete it for both.
   */
  adoptedHere(id: string): boolean {
    return this.adopted.has(id);
  }
}
