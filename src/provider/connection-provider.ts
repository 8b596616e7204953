import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { SdeClient } from "../client/client";
import type { CheckedConnectionCreate } from "../client/endpoints/connections";
import { isSdeApiError, type SdeApiError } from "../client/errors";
import { fieldErrorEntries } from "../schema/api-error";
import { inheritedConnectorParams, type Connector } from "../schema/connector";
import { MANUAL_FREQUENCY } from "../schema/frequency";
import { connectionParamsSchema, type ParamValue } from "../schema/params";
import type { Connection } from "../schema/connection";
import { redact, redactDeep, secretParamValues } from "../schema/secrets";
import { issuePath } from "../schema/validation";
import { diffConnection, describeChanges, type PropertyChange } from "../model/diff";
import { failure, providerError } from "./errors";
import { acceptInputs, patchFor } from "../model/api-body";
import { CONNECTION_ARGUMENTS, connectionInputsSchema, PROVIDER_KEY, unknownArgumentsMessage, type ConnectionInputs } from "../model/inputs";
import { RecentSet, sameTestedSettings, testKey } from "./tested-settings";
import { definedOnly, managementOf, toInputs, toState, type ConnectionState } from "../model/state";
import { stateToRefresh, storedState } from "./stored-state";
import { isUnconfirmed, NEXT_UP, PendingLookups, unconfirmedCreate } from "./unconfirmed";
import { containsUnknown, withoutUnknowns } from "../model/unknowns";

/** Where the provider gets its API client: the host's configured one, or a test's. */
export interface ClientSource {
  client(): SdeClient;
  /** A connector (its system and its params), looked up once per connector. */
  connectorOf(connector: number): Promise<Connector>;
  /** Where warnings go (the engine shows the host's stderr as diagnostics). */
  warn(message: string): void;
}

type Bag = Record<string, unknown>;

/** Provider settings that tests shorten; the defaults are for real servers. */
export interface ProviderOptions {
  /**
   * After a create whose outcome is unknown, the pauses between lookups by project and alias (a server may
   * commit a moment after the connection dropped). Default 0.5, 1 and 2 s: four lookups over 3.5 s.
   */
  lookupPausesMs?: readonly number[];
}

const DEFAULT_LOOKUP_PAUSES_MS = [500, 1000, 2000];

/**
 * The IssueTrackerConnection provider: check, diff, create, read, update and delete against the API.
 * Every method gets plain values (the engine strips secret envelopes before calling a dynamic provider)
 * and returns plain values; the resource class marks credentials secret on both sides.
 */
export class ConnectionProvider implements dynamic.ResourceProvider {
  private readonly passedTests = new RecentSet(10 * 60 * 1000);
  /**
   * Connections adopted by this provider (ids), which no other resource may delete. It lives as long as
   * the host process, which the CLI starts for each deployment.
   */
  private readonly adopted = new Set<string>();
  /** Creates of unknown outcome in the state, which this process's create looks up before posting. */
  private readonly lookups = new PendingLookups();
  private readonly lookupPausesMs: readonly number[];

  constructor(
    private readonly source: ClientSource,
    options: ProviderOptions = {},
  ) {
    this.lookupPausesMs = options.lookupPausesMs ?? DEFAULT_LOOKUP_PAUSES_MS;
  }

  /**
   * Validates the program's arguments, fills defaults and normalises values to the API's types. For a new
   * connection, or one whose connector, project or params changed, asks the API to test it, so a wrong
   * server, credential or tracker project fails the preview. Preview unknowns are neither validated nor
   * tested.
   */
  async check(olds: Bag, news: Bag): Promise<dynamic.CheckResult> {
    const { [PROVIDER_KEY]: _provider, ...given } = news;
    // An argument this resource does not take is refused by name whatever its value, known or not yet:
    // taken silently, a misspelt `frequncy` would leave the connection syncing manually for ever.
    const strangers = Object.keys(given).filter((key) => !CONNECTION_ARGUMENTS.includes(key));
    const declared = strangers.length === 0 ? given : Object.fromEntries(Object.entries(given).filter(([key]) => !strangers.includes(key)));
    const { known, unknownPaths } = withoutUnknowns(declared);
    const parsed = schemaAllowing(unknownPaths).safeParse(known);
    if (!parsed.success || strangers.length > 0) {
      const isUnknownAt = (path: string) => unknownPaths.some((u) => u === path || path.startsWith(`${u}.`) || u.startsWith(`${path}.`));
      const secrets = secretParamValues((known as Bag).params);
      const failures = [
        // One failure each, under its own name.
        ...strangers.map((key) => ({ property: key, reason: unknownArgumentsMessage([key]) })),
        ...(parsed.error?.issues ?? [])
          .map((issue) => ({ property: issuePath(issue.path), reason: issue.message }))
          .filter((f) => !isUnknownAt(f.property))
          .map((f) => redactDeep(f, secrets)),
      ];
      if (failures.length > 0) return { inputs: news, failures };
      // Every problem is with a value not known yet: nothing to say until it is.
      return { inputs: news };
    }
    const inputs = mergeUnknowns(parsed.data as ConnectionInputs, declared, unknownPaths);
    if (unknownPaths.length > 0 || !parsed.data.testConnection) return { inputs };
    const remote = await this.manualOnRemoteConnector(olds, parsed.data as ConnectionInputs);
    if (remote) return { inputs, failures: [remote] };
    const complete = parsed.data as ConnectionInputs;
    const isNew = Object.keys(olds).every((key) => key === PROVIDER_KEY);
    if (!isNew && sameTestedSettings(olds, complete)) {
      return { inputs };
    }
    // check runs in the preview and again in the update of one `pulumi up`: within one host process,
    // settings that just passed are not tested twice.
    const key = testKey(complete);
    if (this.passedTests.has(key)) return { inputs };
    const failures = await this.testConnection(complete);
    if (failures.length === 0) this.passedTests.remember(key);
    return failures.length > 0 ? { inputs, failures } : { inputs };
  }

  /**
   * No API call: compares the stored outputs with the program, property by property. A create of unknown
   * outcome in the state is replaced, and the replacement's create looks the connection up first.
   */
  async diff(id: string, olds: Bag, news: Bag): Promise<dynamic.DiffResult> {
    const declared = news as Partial<ConnectionInputs>;
    if (isUnconfirmed(id, olds)) {
      this.lookups.note(declared as ConnectionInputs);
      this.source.warn(`connection "${String(declared.alias)}" in project ${String(declared.project)}: the last create's outcome was unknown, so this update looks for it before creating it`);
      return { changes: true, replaces: ["connectionId"], deleteBeforeReplace: false };
    }
    const state = storedState(id, olds);
    const changes = diffConnection(state, declared);
    const replaces = adoptsAnother(id, declared) ? ["adoptId"] : [];
    // The provider's own arguments change no API object, but the stored outputs must follow them.
    const own = declared.testConnection !== state.testConnection || declared.adoptId !== state.adoptId;
    return { changes: changes.length > 0 || replaces.length > 0 || own, replaces, deleteBeforeReplace: false };
  }

  /**
   * One POST; or, with `adoptId`, a GET and a PATCH only if the connection differs from the program. After
   * a create of unknown outcome, one list of the project's connections first (see unconfirmed.ts).
   */
  async create(news: Bag): Promise<dynamic.CreateResult> {
    const { inputs, body } = accepted(news, "creating connection");
    // Taken first: an unconfirmed create replaced by an adopting one is settled too (its delete is quiet).
    const lookFirst = this.lookups.take(inputs);
    if (inputs.adoptId !== undefined) return this.adopt(inputs);
    const client = this.source.client();
    let connection: Connection | undefined = lookFirst ? await this.findUnconfirmed(inputs, news) : undefined;
    try {
      connection ??= await client.connections.create(body);
    } catch (error) {
      if (isSdeApiError(error) && error.kind === "outcome_unknown") {
        connection = await this.findAfterLostCreate(inputs, error, news);
      } else if (isSdeApiError(error) && error.kind === "invalid_response" && error.answerId !== undefined) {
        throw await this.undoUnusableCreate(inputs, error, error.answerId, news);
      } else {
        throw failure(`creating connection "${inputs.alias}"`, error, secretsOf(inputs));
      }
    }
    this.warnIfParamsHidden(connection, "they are recorded as sent");
    // A connection just made has no sync job yet; without params in the answer, they are what was sent.
    return { id: String(connection.id), outs: toState(connection, managementOf(inputs), { lastJob: null, inProgress: false, params: inputs.params }) };
  }

  /**
   * One GET. A connection deleted outside Pulumi is reported gone (empty id), not as an error. A create of
   * unknown outcome stays as it is (no request): the next `up` settles it.
   */
  async read(id: string, props: Bag): Promise<dynamic.ReadResult> {
    if (isUnconfirmed(id, props)) return { id, props };
    const previous = stateToRefresh(id, props, (message) => this.source.warn(message));
    let connection: Connection;
    try {
      connection = await this.source.client().connections.get(Number(id), { includeLastJob: true });
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404) return {};
      // The stored values as they are, readable or not: all of them are hidden.
      throw failure(`reading connection ${id}`, error, secretsOf(props));
    }
    this.warnIfParamsHidden(connection, "they were not refreshed; the params in the state are kept");
    const managed = { paramKeys: previous.managedParams, testConnection: previous.testConnection, adoptId: previous.adoptId };
    const state = toState(connection, managed, previous);
    return { id, props: state, inputs: toInputs(state) };
  }

  /** One PATCH carrying only what changed; params the program stopped setting are sent as null (removed). */
  async update(id: string, olds: Bag, news: Bag): Promise<dynamic.UpdateResult> {
    // diff replaces these; an engine that updated one anyway must not PATCH a connection that is not known.
    if (isUnconfirmed(id, olds)) throw providerError(`updating connection "${String(news.alias)}": its create's outcome was unknown and it has no connection id yet; run \`pulumi up\` again (it looks the connection up first)`);
    const state = storedState(id, olds);
    const { inputs } = accepted(news, `updating connection ${id}`);
    const changes = diffConnection(state, inputs);
    if (changes.length === 0) return { outs: definedOnly({ ...state, testConnection: inputs.testConnection, adoptId: inputs.adoptId }) };
    try {
      // The client checks the PATCH: only its changed fields, and nulls a create body never holds.
      const connection = await this.source.client().connections.update(Number(id), patchFor(changes, inputs));
      this.warnIfParamsHidden(connection, "they are recorded as sent");
      return { outs: toState(connection, managementOf(inputs), { ...state, params: paramsAfter(state, inputs, changes), credentials: {} }) };
    } catch (error) {
      throw failure(`updating connection ${id} ("${inputs.alias}"; changed: ${describeChanges(changes)})`, error, secretsOf(state, inputs));
    }
  }

  /**
   * Tokens without the 'Edit Issue Tracker connections' permission get answers without params (they may
   * still create and edit connections). The outputs then keep what is known instead, and the user is told.
   */
  private warnIfParamsHidden(connection: Connection, consequence: string): void {
    if (connection.params !== undefined) return;
    this.source.warn(
      `connection ${connection.id} ("${connection.alias}"): the API token cannot see params (it lacks the 'Edit Issue Tracker connections' permission), so ${consequence}`,
    );
  }

  /**
   * One DELETE; a connection already gone is fine. Not one that another resource adopted in this
   * deployment: renaming an adopted resource (without `aliases`) makes the engine create the new name,
   * which adopts the same connection, and then delete the old name, which would delete it for both.
   */
  async delete(id: string, props: Bag): Promise<void> {
    if (isUnconfirmed(id, props)) {
      // Replaced in this deployment (its create looked the connection up), or never proven to exist:
      // either way there is no connection known to delete.
      if (!this.lookups.wasSettled(props as Partial<ConnectionInputs>)) {
        this.source.warn(
          `connection "${String(props.alias ?? "")}" in project ${String(props.project ?? "")} was never confirmed created (its create's outcome was unknown), so nothing was deleted: check SD Elements for a connection with this alias in that project, and delete it there if it exists`,
        );
      }
      return;
    }
    const state = storedState(id, props);
    if (this.adopted.has(id)) {
      this.source.warn(
        `connection ${id} ("${state.alias}") was not deleted: another resource of this deployment adopted it (adoptId: ${id}), so only this resource's state was removed. To rename a resource without this, give it aliases: [{ name: "<old name>" }]`,
      );
      return;
    }
    try {
      await this.source.client().connections.delete(Number(id));
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404) return;
      throw failure(`deleting connection ${id} ("${state.alias}")`, error, secretsOf(state));
    }
  }

  /**
   * "manually" is unavailable to connections on an inaccessible (remote) connector, and it is the default
   * frequency: said in the preview rather than by the server's 400 in the update. Asked with the
   * connection test on (with testConnection: false the check makes no call), whenever the connection is
   * new or its connector or frequency changed, whether or not the test itself runs again. The connector
   * comes from the run's cache; one that cannot be read is left to the test.
   */
  private async manualOnRemoteConnector(olds: Bag, inputs: ConnectionInputs): Promise<dynamic.CheckFailure | undefined> {
    if (inputs.frequency !== MANUAL_FREQUENCY) return undefined;
    if (olds.connector === inputs.connector && olds.frequency === inputs.frequency) return undefined;
    const connector = await this.source.connectorOf(inputs.connector).catch(() => undefined);
    if (!connector?.inaccessible) return undefined;
    return {
      property: "frequency",
      reason: `"manually" (the default) is not available on connector ${inputs.connector}, which is inaccessible (a remote connector, synced by the Remote Integration Client): set frequency to a schedule, e.g. "daily"`,
    };
  }

  private async testConnection(inputs: ConnectionInputs): Promise<dynamic.CheckFailure[]> {
    const client = this.source.client();
    try {
      const connector = await this.source.connectorOf(inputs.connector);
      // The connection's params over its connector's: the test then works whether or not the server fills
      // in the connector's itself (the API page's example spells out server and credentials).
      // An adopted connection keeps its own params where the program sets none (its own password, say):
      // test those, not the connector's.
      const base = (inputs.adoptId !== undefined ? await this.adoptedParams(inputs.adoptId) : undefined) ?? inheritedFrom(connector);
      const outcome = await client.connections.test(
        {
          connector: inputs.connector,
          project: inputs.project,
          alias: inputs.alias,
          // The endpoint's field table requires the connector's name; its example sends the alias instead.
          name: connector.name,
          system: { id: connector.system.id },
          params: { ...base, ...inputs.params },
        },
      );
      if (outcome.success) return [];
      const fields = outcome.fieldErrors ? fieldErrorEntries(outcome.fieldErrors) : [];
      if (fields.length > 0) return fields.map((f) => ({ property: f.path, reason: `${f.message} (the API's connection test)` }));
      const why = outcome.message.replace(/\.+$/, "");
      return [{ property: "params", reason: `the connection test failed: ${why}. Fix the params, or set testConnection: false to skip the test` }];
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404 && error.path?.includes("/connectors/")) {
        return [{ property: "connector", reason: `there is no issue-tracker connector with id ${inputs.connector} (or this API token cannot see it): use the id of a connector from SD Elements → Integrations` }];
      }
      if (isSdeApiError(error) && error.status === 403 && error.path?.includes("/connectors/")) {
        return [{ property: "connector", reason: `this API token may not read connector ${inputs.connector} (403), so the connection cannot be tested: use a token that can, or set testConnection: false` }];
      }
      if (isSdeApiError(error) && error.status === 404 && error.path?.includes("/connections/issue-tracker/")) {
        return [{ property: "adoptId", reason: `there is no connection ${inputs.adoptId} (or this API token cannot see it): check adoptId, or remove it to create a new connection` }];
      }
      throw failure(`testing connection "${inputs.alias}"`, error, secretsOf(inputs));
    }
  }

  /** The params an existing connection runs with, as the test may send them; undefined if hidden. */
  private async adoptedParams(id: number): Promise<Record<string, string | number | boolean> | undefined> {
    const existing = await this.source.client().connections.get(id);
    return existing.params === undefined ? undefined : acceptedParams(existing.params);
  }

  private async adopt(inputs: ConnectionInputs): Promise<dynamic.CreateResult> {
    const id = inputs.adoptId as number;
    const client = this.source.client();
    let existing: Connection;
    try {
      existing = await client.connections.get(id, { includeLastJob: true });
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404) {
        throw providerError(`adopting connection ${id} for "${inputs.alias}": there is no connection ${id} (or this API token cannot see it). Check adoptId, or remove it to create a new connection`);
      }
      throw failure(`adopting connection ${id}`, error, secretsOf(inputs));
    }
    for (const field of ["project", "connector"] as const) {
      if (existing[field] !== inputs[field]) {
        throw providerError(`adopting connection ${id}: it belongs to ${field} ${existing[field]}, but the program says ${field} ${inputs[field]}. Fix ${field} or adoptId`);
      }
    }
    if (existing.params === undefined) {
      throw providerError(`adopting connection ${id}: the API token cannot see its params (it lacks the 'Edit Issue Tracker connections' permission), so they cannot be compared with the program`);
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
      throw failure(`adopting connection ${id} (changed: ${describeChanges(changes)})`, error, secretsOf(inputs));
    }
  }

  /**
   * The server answered a create with 2xx but not with a connection, naming an id: if that is the connection
   * just requested (alias, project, connector and every managed field as sent, and never synced, so not one
   * that was there before), it is deleted again so nothing is half-made. Anything else is left alone (the id
   * may be another project's connection, or no connection at all) and the create is unconfirmed.
   */
  private async undoUnusableCreate(inputs: ConnectionInputs, refused: SdeApiError, id: number, news: Bag): Promise<Error> {
    const secrets = secretsOf(inputs);
    const what = `creating connection "${inputs.alias}": the server answered ${refused.status ?? ""} but its answer does not have the documented shape (${refused.message})`;
    const client = this.source.client();
    const named = await client.connections.get(id, { includeLastJob: true }).catch(() => undefined);
    const ours = named !== undefined && isAsRequested(named, inputs);
    if (!ours) {
      const which = named ? `connection "${named.alias}" in project ${named.project} (connector ${named.connector}${named.last_job ? ", synced before" : ""})` : "no connection this token can read";
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
      const message = failure(`${what}; it is connection ${id}, and deleting it again failed too: delete connection ${id} in SD Elements, or set adoptId: ${id} to keep it`, error, secrets).message;
      return unconfirmedCreate(`${message}. ${NEXT_UP}`, inputs, news);
    }
    return providerError(redact(`${what}; it is connection ${id}, made by this create, and it was deleted again, so nothing changed`, secrets));
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
    const unknown = (why: string) => unconfirmedCreate(redact(`${where}, ${why}. ${NEXT_UP}. To settle it now, check SD Elements for a connection "${inputs.alias}" in project ${inputs.project}, and set adoptId to its id if it is there`, secretsOf(inputs)), inputs, news);
    let found: Lookup = { sameAlias: [], requested: [] };
    for (let attempt = 0; ; attempt++) {
      try {
        found = await this.lookUp(inputs);
      } catch (error) {
        throw unknown(`and looking it up failed too (${isSdeApiError(error) ? error.message : String(error)}), so whether it was created is unknown`);
      }
      if (found.requested.length === 1) return found.requested[0] as Connection;
      if (found.requested.length > 1 || attempt >= this.lookupPausesMs.length) break;
      await new Promise((resolve) => setTimeout(resolve, this.lookupPausesMs[attempt]));
    }
    const ids = found.sameAlias.map((c) => c.id).join(", ");
    const window = this.lookupPausesMs.reduce((sum, ms) => sum + ms, 0) / 1000;
    if (found.requested.length > 1) {
      throw unknown(`and ${found.requested.length} identical connections with this alias exist (ids ${ids}); delete the extra one in SD Elements and set adoptId to the one to keep`);
    }
    throw unknown(
      found.sameAlias.length > 0
        ? `and the connection with this alias that exists (id ${ids}) is not the one requested (its settings differ, or it has synced before), so it was left alone; whether "${inputs.alias}" was created is unknown`
        : `and no connection with this alias appeared in the project within ${window} s, so whether it was created is unknown (the server may still be creating it)`,
    );
  }

  /**
   * The lookup before posting again, after a create of unknown outcome in an earlier deployment: the one
   * connection exactly as requested and never synced is adopted; none (or only others') means post; more
   * than one, or one that has synced since, cannot be decided here.
   */
  private async findUnconfirmed(inputs: ConnectionInputs, news: Bag): Promise<Connection | undefined> {
    const where = `creating connection "${inputs.alias}" in project ${inputs.project}, whose last create's outcome was unknown`;
    const unknown = (why: string) => unconfirmedCreate(redact(`${where}: ${why}. ${NEXT_UP}`, secretsOf(inputs)), inputs, news);
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

  /** The project's connections with this alias, and those of them exactly as requested and never synced. */
  private async lookUp(inputs: ConnectionInputs): Promise<Lookup> {
    const sameAlias = (await this.source.client().connections.list({ project: inputs.project, includeLastJob: true })).filter((c) => c.alias === inputs.alias);
    return { sameAlias, requested: sameAlias.filter((c) => isAsRequested(c, inputs)) };
  }
}

/** Whether a connection is exactly what these inputs request and (unless said otherwise) has never synced. */
function isAsRequested(connection: Connection, inputs: ConnectionInputs, options: { syncedOrNot?: boolean } = {}): boolean {
  return (options.syncedOrNot || !connection.last_job) && diffConnection(toState(connection, managementOf(inputs)), inputs).length === 0;
}

interface Lookup {
  sameAlias: Connection[];
  requested: Connection[];
}

/**
 * Params from the server (a connector's, an adopted connection's) as a connection test may send them: only
 * those that pass the request's schema, each on its own. Data this package would refuse (an old title
 * format, an empty server, the server's own keys) must not fail the test of a connection that does not
 * set it; the server fills such values in itself anyway.
 */
function acceptedParams(params: Readonly<Record<string, ParamValue>>): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(params).filter(
      (entry): entry is [string, string | number | boolean] => entry[1] !== null && connectionParamsSchema.safeParse({ [entry[0]]: entry[1] }).success,
    ),
  );
}

/** A connector's params as its connections inherit them, accepted; once per connector object (a run looks each up once). */
const inheritedCache = new WeakMap<Connector, Record<string, string | number | boolean>>();
function inheritedFrom(connector: Connector): Record<string, string | number | boolean> {
  let inherited = inheritedCache.get(connector);
  if (!inherited) {
    inherited = acceptedParams(inheritedConnectorParams(connector.params ?? {}));
    inheritedCache.set(connector, inherited);
  }
  return inherited;
}

/** Every credential value known for a connection: the program's and the stored ones, for redaction. */
function secretsOf(...sources: { params?: unknown; credentials?: unknown }[]): string[] {
  return sources.flatMap((source) => [...secretParamValues(source.params), ...secretParamValues(source.credentials)]);
}

/** A program that adopts a different existing connection than the one in state wants another resource. */
function adoptsAnother(id: string, news: Partial<ConnectionInputs>): boolean {
  const adoptId = news.adoptId as unknown;
  if (adoptId === undefined) return false;
  return containsUnknown(adoptId) || String(adoptId) !== id;
}

/**
 * A connection's params as far as known after a PATCH, for an answer without them: the state's, with what
 * was sent; a param the program stopped setting now has the connector's value, which is not known here.
 */
function paramsAfter(state: ConnectionState, inputs: ConnectionInputs, changes: readonly PropertyChange[]): Record<string, ParamValue> {
  const known: Record<string, ParamValue> = { ...state.params, ...state.credentials, ...inputs.params };
  for (const change of changes) {
    if (change.kind === "delete" && change.property.startsWith("params.")) delete known[change.property.slice("params.".length)];
  }
  return known;
}

/** What create and update get, parsed (see acceptInputs); a bag that does not parse was not checked, and is refused. */
function accepted(news: Bag, doing: string): { inputs: ConnectionInputs; body: CheckedConnectionCreate } {
  const accepted = acceptInputs(news);
  if (accepted.accepted) return accepted;
  throw providerError(redact(`${doing} "${String(news.alias)}": its inputs are not ones check returned (${accepted.problem})`, secretsOf(news)));
}

/** The inputs' schema, with the arguments not known yet optional: a required one pending is not missing. */
function schemaAllowing(unknownPaths: readonly string[]) {
  if (unknownPaths.length === 0) return connectionInputsSchema;
  const pending = unknownPaths.filter((path): path is keyof ConnectionInputs => path in connectionInputsSchema.shape);
  const mask = Object.fromEntries(pending.map((k) => [k, true])) as Partial<Record<keyof ConnectionInputs, true>>;
  return pending.length > 0 ? connectionInputsSchema.partial(mask) : connectionInputsSchema;
}

/** Checked inputs, with the preview unknowns put back where the program had them. */
function mergeUnknowns(checked: ConnectionInputs, declared: Bag, unknownPaths: readonly string[]): Bag {
  if (unknownPaths.length === 0) return checked as unknown as Bag;
  const out = structuredClone(checked) as unknown as Bag;
  for (const path of unknownPaths) {
    const keys = path.split(".");
    let source: unknown = declared;
    let target: Bag = out;
    keys.forEach((key, i) => {
      source = (source as Bag)[key];
      if (i === keys.length - 1) target[key] = source;
      else target = (target[key] ??= {}) as Bag;
    });
  }
  return out;
}

