import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CheckedConnectionCreate } from "../client/endpoints/connections";
import { isSdeApiError } from "../client/errors";
import { acceptInputs, patchFor } from "../model/api-body";
import { describeChanges, diffConnection, providerOwnChanged } from "../model/diff";
import type { ConnectionInputs } from "../model/inputs";
import { credentialValues, managementOf, paramsAfter, toInputs, toState, withProviderOwn } from "../model/state";
import { containsUnknown } from "../model/unknowns";
import type { Connection } from "../schema/connection";
import { redact } from "../schema/secrets";
import { Adoption } from "./adoption";
import { BulkReads, type BulkReadOptions } from "./bulk-reads";
import type { ClientSource } from "./client-source";
import { ConnectionTest } from "./connection-test";
import { CreateRecovery } from "./create-recovery";
import { failure, providerError } from "./errors";
import { checkArguments } from "./preview-check";
import type { PassedTests } from "./remembered-tests";
import { stateToRefresh, storedState } from "./stored-state";
import { isUnconfirmed, PendingLookups } from "./unconfirmed";
import { PARAMS_HIDDEN } from "../client/messages";

type Bag = Record<string, unknown>;

/** Provider settings that tests shorten; the defaults are for real servers. */
export interface ProviderOptions {
  /**
   * After a create whose outcome is unknown, the pauses between lookups by project and alias (a server may
   * commit a moment after the connection dropped). Default 0.5, 1 and 2 s: four lookups over 3.5 s.
   */
  lookupPausesMs?: readonly number[];
  /**
   * Where connection tests that passed are remembered beyond this process (the host's file, with
   * `sdelements:rememberTests`: remembered-tests.ts); asked at each test. Default: nowhere.
   */
  passedTests?: () => PassedTests;
  /**
   * The connection tests, when shared with the ConnectionTests resource's provider in the same host (its
   * verdicts are then this provider's); default: its own, made from `source` and `passedTests`.
   */
  connectionTest?: ConnectionTest;
  /**
   * Whether the reads of a refresh share one listing of the connections (bulk-reads.ts) instead of one GET
   * each. Default true; false is one GET per read. A function is asked at each read (the host's setting,
   * which configure may set after the provider is made).
   */
  bulkReads?: boolean | (() => boolean);
  /** How those listings page and how long they serve reads (bulk-reads.ts); tests shorten the pages. */
  bulkReadOptions?: BulkReadOptions;
}

const DEFAULT_LOOKUP_PAUSES_MS = [500, 1000, 2000];

/**
 * The IssueTrackerConnection provider: check, diff, create, read, update and delete against the API, each
 * a few steps of the jobs in the files beside it. Every method gets plain values (the engine strips secret
 * envelopes before calling a dynamic provider) and returns plain values; the resource class marks
 * credentials secret on both sides.
 */
export class ConnectionProvider implements dynamic.ResourceProvider {
  private readonly connectionTest: ConnectionTest;
  private readonly adoption: Adoption;
  private readonly recovery: CreateRecovery;
  /** Creates of unknown outcome in the state, which this process's create looks up before posting. */
  private readonly lookups = new PendingLookups();
  private readonly bulkReads: BulkReads;
  private readonly bulkReadsOn: () => boolean;

  constructor(
    private readonly source: ClientSource,
    options: ProviderOptions = {},
  ) {
    this.connectionTest = options.connectionTest ?? new ConnectionTest(source, options.passedTests);
    this.adoption = new Adoption(source);
    this.recovery = new CreateRecovery(source, options.lookupPausesMs ?? DEFAULT_LOOKUP_PAUSES_MS);
    this.bulkReads = new BulkReads(
      () => source.client(),
      (message) => source.warn(message),
      options.bulkReadOptions,
    );
    const bulk = options.bulkReads ?? true;
    this.bulkReadsOn = typeof bulk === "function" ? bulk : () => bulk;
  }

  /**
   * Validates the program's arguments (preview-check.ts) and, with the connection test on, asks the API
   * whether they work (connection-test.ts): for a new connection here; for an existing one the test only
   * starts here, and diff says its failures. Preview unknowns are neither validated nor tested.
   */
  async check(olds: Bag, news: Bag): Promise<dynamic.CheckResult> {
    const checked = checkArguments(news);
    if (checked.outcome === "refused") return { inputs: news, failures: checked.failures };
    if (checked.outcome === "pending") return { inputs: news };
    const { inputs, complete } = checked;
    if (!complete?.testConnection) return { inputs };
    const failures = await this.connectionTest.failures(olds, complete);
    return failures.length > 0 ? { inputs, failures } : { inputs };
  }

  /**
   * No API call: compares the stored outputs with the program, property by property. A create of unknown
   * outcome in the state is replaced, and the replacement's create looks the connection up first. First
   * it awaits the connection test check started, if any: a failed one fails the diff, and so the preview,
   * with the words check would have used (the engine names the resource).
   */
  async diff(id: string, olds: Bag, news: Bag): Promise<dynamic.DiffResult> {
    const failures = await this.connectionTest.collect(news);
    if (failures.length > 0)
      throw providerError(failures.map((f) => `${f.property ? `property ${f.property}: ` : ""}${f.reason}`).join("; "));
    if (isUnconfirmed(id, olds)) {
      this.lookups.note(news);
      this.source.warn(
        `connection "${String(news.alias)}" in project ${String(news.project)}: the last create's outcome was unknown, so this update looks for it before creating it`,
      );
      return { changes: true, replaces: ["connectionId"], deleteBeforeReplace: false };
    }
    const state = storedState(id, olds);
    const changes = diffConnection(state, news);
    const replaces = adoptsAnother(id, news) ? ["adoptId"] : [];
    return { changes: changes.length > 0 || replaces.length > 0 || providerOwnChanged(state, news), replaces, deleteBeforeReplace: false };
  }

  /**
   * One POST; or, with `adoptId`, a GET and a PATCH only if the connection differs from the program. After
   * a create of unknown outcome, one list of the project's connections first (see unconfirmed.ts).
   */
  async create(news: Bag): Promise<dynamic.CreateResult> {
    const { inputs, body } = accepted(news, "creating connection");
    this.bulkReads.forget();
    // Taken first: an unconfirmed create replaced by an adopting one is settled too (its delete is quiet).
    const lookFirst = this.lookups.take(inputs);
    if (inputs.adoptId !== undefined) return this.adoption.adopt(inputs, inputs.adoptId);
    let connection: Connection | undefined = lookFirst ? await this.recovery.findUnconfirmed(inputs, news) : undefined;
    try {
      connection ??= await this.source.client().connections.create(body);
    } catch (error) {
      connection = await this.recovery.afterFailedCreate(inputs, error, news);
    }
    this.warnIfParamsHidden(connection, "they are recorded as sent");
    // A connection just made has no sync job yet; without params in the answer, they are what was sent.
    return {
      id: String(connection.id),
      outs: toState(connection, managementOf(inputs), { lastJob: null, inProgress: false, params: inputs.params }),
    };
  }

  /**
   * One GET, or the connection's item of a listing the refresh's reads share (bulk-reads.ts), which gives
   * the same outputs. A connection deleted outside Pulumi is reported gone (empty id), not as an error. A
   * create of unknown outcome stays as it is (no request): the next `up` settles it.
   */
  async read(id: string, props: Bag): Promise<dynamic.ReadResult> {
    if (isUnconfirmed(id, props)) return { id, props };
    const previous = stateToRefresh(id, props, (message) => this.source.warn(message));
    let connection: Connection;
    try {
      connection =
        (this.bulkReadsOn() ? await this.bulkReads.connection(Number(id)) : undefined) ??
        (await this.source.client().connections.get(Number(id), { includeLastJob: true }));
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404) return {};
      // The stored values as they are, readable or not: all of them are hidden.
      throw failure(`reading connection ${id}`, error, credentialValues(props));
    }
    this.warnIfParamsHidden(connection, "they were not refreshed; the params in the state are kept");
    const managed = { paramKeys: previous.managedParams, testConnection: previous.testConnection, adoptId: previous.adoptId };
    const state = toState(connection, managed, previous);
    return { id, props: state, inputs: toInputs(state) };
  }

  /** One PATCH carrying only what changed; params the program stopped setting are sent as null (removed). */
  async update(id: string, olds: Bag, news: Bag): Promise<dynamic.UpdateResult> {
    // diff replaces these; an engine that updated one anyway must not PATCH a connection that is not known.
    if (isUnconfirmed(id, olds))
      throw providerError(
        `updating connection "${String(news.alias)}": its create's outcome was unknown and it has no connection id yet; run \`pulumi up\` again (it looks the connection up first)`,
      );
    const state = storedState(id, olds);
    const { inputs } = accepted(news, `updating connection ${id}`);
    this.bulkReads.forget();
    const changes = diffConnection(state, inputs);
    if (changes.length === 0) return { outs: withProviderOwn(state, inputs) };
    try {
      // The client checks the PATCH: only its changed fields, and nulls a create body never holds.
      const connection = await this.source.client().connections.update(Number(id), patchFor(changes, inputs));
      this.warnIfParamsHidden(connection, "they are recorded as sent");
      return {
        outs: toState(connection, managementOf(inputs), { ...state, params: paramsAfter(state, inputs, changes), credentials: {} }),
      };
    } catch (error) {
      throw failure(
        `updating connection ${id} ("${inputs.alias}"; changed: ${describeChanges(changes)})`,
        error,
        credentialValues(state, inputs),
      );
    }
  }

  /**
   * One DELETE; a connection already gone is fine. Not one that another resource adopted in this
   * deployment (see Adoption.adoptedHere).
   */
  async delete(id: string, props: Bag): Promise<void> {
    if (isUnconfirmed(id, props)) {
      // Replaced in this deployment (its create looked the connection up), or never proven to exist:
      // either way there is no connection known to delete.
      if (!this.lookups.wasSettled(props)) {
        this.source.warn(
          `connection "${String(props.alias ?? "")}" in project ${String(props.project ?? "")} was never confirmed created (its create's outcome was unknown), so nothing was deleted: check SD Elements for a connection with this alias in that project, and delete it there if it exists`,
        );
      }
      return;
    }
    const state = storedState(id, props);
    if (this.adoption.adoptedHere(id)) {
      this.source.warn(
        `connection ${id} ("${state.alias}") was not deleted: another resource of this deployment adopted it (adoptId: ${id}), so only this resource's state was removed. To rename a resource without this, give it aliases: [{ name: "<old name>" }]`,
      );
      return;
    }
    this.bulkReads.forget();
    try {
      await this.source.client().connections.delete(Number(id));
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404) return;
      throw failure(`deleting connection ${id} ("${state.alias}")`, error, credentialValues(state));
    }
  }

  /**
   * Tokens without the 'Edit Issue Tracker connections' permission get answers without params (they may
   * still create and edit connections). The outputs then keep what is known instead, and the user is told.
   */
  private warnIfParamsHidden(connection: Connection, consequence: string): void {
    if (connection.params !== undefined) return;
    this.source.warn(`connection ${connection.id} ("${connection.alias}"): ${PARAMS_HIDDEN}, so ${consequence}`);
  }
}

/** What create and update get, parsed once (see acceptInputs); a bag check did not return is refused. */
function accepted(news: Bag, doing: string): { inputs: ConnectionInputs; body: CheckedConnectionCreate } {
  const accepted = acceptInputs(news);
  if (accepted.accepted) return accepted;
  throw providerError(
    redact(`${doing} "${String(news.alias)}": its inputs are not ones check returned (${accepted.problem})`, credentialValues(news)),
  );
}

/** A program that adopts a different existing connection than the one in state wants another resource. */
function adoptsAnother(id: string, news: Bag): boolean {
  const adoptId = news.adoptId;
  if (adoptId === undefined) return false;
  return containsUnknown(adoptId) || String(adoptId) !== id;
}
