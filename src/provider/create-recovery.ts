import { isSdeApiError, type SdeApiError } from "../client/errors";
import { diffConnection } from "../model/diff";
import type { ConnectionInputs } from "../model/inputs";
import { credentialValues, managementOf, toState } from "../model/state";
import type { Connection } from "../schema/connection";
import { redact } from "../schema/secrets";
import type { ClientSource } from "./client-source";
import { failure, providerError } from "./errors";
import { NEXT_UP, unconfirmedCreate } from "./unconfirmed";

type Bag = Record<string, unknown>;

/**
 * What a create does when its outcome is not plain: never take over a connection that is not the one
 * requested, never invite a duplicate. A lost answer is looked up by project and alias; a malformed 2xx
 * answer naming an id is undone when that is the connection just requested; an outcome still unknown is a
 * create the engine keeps as unconfirmed (unconfirmed.ts), which the next `up` looks up before posting.
 */
export class CreateRecovery {
  constructor(
    private readonly source: ClientSource,
    /** The pauses between lookups after a lost answer (a server may commit a moment after the connection dropped). */
    private readonly lookupPausesMs: readonly number[],
  ) {}

  /** After a failed POST: the connection it made, found; or the error that says what became of it. */
  async afterFailedCreate(inputs: ConnectionInputs, error: unknown, news: Bag): Promise<Connection> {
    if (isSdeApiError(error) && error.kind === "outcome_unknown") return this.findAfterLostCreate(inputs, error, news);
    if (isSdeApiError(error) && error.kind === "invalid_response" && error.answerId !== undefined) {
      throw await this.undoUnusableCreate(inputs, error, error.answerId, news);
    }
    throw failure(`creating connection "${inputs.alias}"`, error, credentialValues(inputs));
  }

  /**
   * The lookup before posting again, after a create of unknown outcome in an earlier deployment: the one
   * connection exactly as requested and never synced is adopted; none (or only others') means post; more
   * than one, or one that has synced since, cannot be decided here.
   */
  async findUnconfirmed(inputs: ConnectionInputs, news: Bag): Promise<Connection | undefined> {
    const where = `creating connection "${inputs.alias}" in project ${inputs.project}, whose last create's outcome was unknown`;
    const unknown = (why: string) => unconfirmedCreate(redact(`${where}: ${why}. ${NEXT_UP}`, credentialValues(inputs)), inputs, news);
    let found: Lookup;
    try {
      found = await this.lookUp(inputs);
    } catch (error) {
      throw unknown(`looking it up failed (${isSdeApiError(error) ? error.message : String(error)})`);
    }
    if (found.requested.length === 1) return found.requested[0];
    const identical = found.sameAlias.filter((c) => isAsRequested(c, inputs, { syncedOrNot: true }));
    if (identical.length > 0) {
      throw unknown(
        `${identical.length} connection(s) exactly as requested exist (ids ${identical.map((c) => c.id).join(", ")})${found.requested.length > 1 ? "" : ", and it has synced since, so it may be someone else's"}: set adoptId to the one to manage (and delete any extra one in SD Elements), or rename this one`,
      );
    }
    return undefined;
  }

  /**
   * The server answered a create with 2xx but not with a connection, naming an id: if that is the connection
   * just requested (alias, project, connector and every managed field as sent, and never synced, so not one
   * that was there before), it is deleted again so nothing is half-made. Anything else is left alone (the id
   * may be another project's connection, or no connection at all) and the create is unconfirmed.
   */
  private async undoUnusableCreate(inputs: ConnectionInputs, refused: SdeApiError, id: number, news: Bag): Promise<Error> {
    const secrets = credentialValues(inputs);
    const what = `creating connection "${inputs.alias}": the server answered ${refused.status ?? ""} but its answer does not have the documented shape (${refused.message})`;
    const client = this.source.client();
    const named = await client.connections.get(id, { includeLastJob: true }).catch(() => undefined);
    const ours = named !== undefined && isAsRequested(named, inputs);
    if (!ours) {
      const which = named
        ? `connection "${named.alias}" in project ${named.project} (connector ${named.connector}${named.last_job ? ", synced before" : ""})`
        : "no connection this token can read";
      return unconfirmedCreate(
        redact(
          `${what}. The answer names id ${id}, which is ${which}, not the connection requested, so nothing was deleted: check connection ${id} in SD Elements. Whether "${inputs.alias}" was created in project ${inputs.project} is unknown. ${NEXT_UP}`,
          secrets,
        ),
        inputs,
        news,
      );
    }
    try {
      await client.connections.delete(id);
    } catch (error) {
      // It exists and is ours: the next `up` finds it and adopts it, rather than posting again.
      const message = failure(
        `${what}; it is connection ${id}, and deleting it again failed too: delete connection ${id} in SD Elements, or set adoptId: ${id} to keep it`,
        error,
        secrets,
      ).message;
      return unconfirmedCreate(`${message}. ${NEXT_UP}`, inputs, news);
    }
    return providerError(
      redact(`${what}; it is connection ${id}, made by this create, and it was deleted again, so nothing changed`, secrets),
    );
  }

  /**
   * A create whose answer was lost may have been applied. Look for it (same project and alias) rather than
   * post again, and adopt it only if it is exactly what was requested and has never synced: a connection
   * that differs, or that has run a sync, was there before and belongs to someone else. The server may
   * commit a moment after the connection dropped, so the lookup is repeated over a short window; if it
   * stays undecided, the create is unconfirmed (the next `up` looks again before posting).
   */
  private async findAfterLostCreate(inputs: ConnectionInputs, lost: SdeApiError, news: Bag): Promise<Connection> {
    const where = `creating connection "${inputs.alias}" in project ${inputs.project}: no reliable answer came to the create (${lost.message})`;
    const unknown = (why: string) =>
      unconfirmedCreate(
        redact(
          `${where}, ${why}. ${NEXT_UP}. To settle it now, check SD Elements for a connection "${inputs.alias}" in project ${inputs.project}, and set adoptId to its id if it is there`,
          credentialValues(inputs),
        ),
        inputs,
        news,
      );
    let found: Lookup = { sameAlias: [], requested: [] };
    for (let attempt = 0; ; attempt++) {
      try {
        found = await this.lookUp(inputs);
      } catch (error) {
        throw unknown(
          `and looking it up failed too (${isSdeApiError(error) ? error.message : String(error)}), so whether it was created is unknown`,
        );
      }
      if (found.requested.length === 1) return found.requested[0] as Connection;
      if (found.requested.length > 1 || attempt >= this.lookupPausesMs.length) break;
      await new Promise((resolve) => setTimeout(resolve, this.lookupPausesMs[attempt]));
    }
    const ids = found.sameAlias.map((c) => c.id).join(", ");
    const window = this.lookupPausesMs.reduce((sum, ms) => sum + ms, 0) / 1000;
    if (found.requested.length > 1) {
      throw unknown(
        `and ${found.requested.length} identical connections with this alias exist (ids ${ids}); delete the extra one in SD Elements and set adoptId to the one to keep`,
      );
    }
    throw unknown(
      found.sameAlias.length > 0
        ? `and the connection with this alias that exists (id ${ids}) is not the one requested (its settings differ, or it has synced before), so it was left alone; whether "${inputs.alias}" was created is unknown`
        : `and no connection with this alias appeared in the project within ${window} s, so whether it was created is unknown (the server may still be creating it)`,
    );
  }

  /** The project's connections with this alias, and those of them exactly as requested and never synced. */
  private async lookUp(inputs: ConnectionInputs): Promise<Lookup> {
    const sameAlias = (await this.source.client().connections.list({ project: inputs.project, includeLastJob: true })).filter(
      (c) => c.alias === inputs.alias,
    );
    return { sameAlias, requested: sameAlias.filter((c) => isAsRequested(c, inputs)) };
  }
}

interface Lookup {
  sameAlias: Connection[];
  requested: Connection[];
}

/** Whether a connection is exactly what these inputs request and (unless said otherwise) has never synced. */
function isAsRequested(connection: Connection, inputs: ConnectionInputs, options: { syncedOrNot?: boolean } = {}): boolean {
  return (options.syncedOrNot || !connection.last_job) && diffConnection(toState(connection, managementOf(inputs)), inputs).length === 0;
}
