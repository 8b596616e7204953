import { json, notFound, badRequest, type ApiResponse, type FieldErrors } from "../http";
import { paginate } from "../pagination";
import { effectiveParams, patchOwnParams } from "../params-merge";
import type { RequestContext } from "../router";
import { readConnectionCreate, readConnectionUpdate, MANUALLY, type Frequency } from "../rules/connection";
import { invalidPk } from "../rules/fields";
import { idFilter, includes } from "../rules/filters";
import type { Params } from "../rules/params";
import { mergedParamProblems } from "../rules/systems";
import { connectionRepresentation, type ConnectionView } from "../serializers";
import type { NewConnection, Store } from "../store";
import { paramProblemsFailed } from "./common";

/** `/api/v2/connections/issue-tracker/` and `/{id}/`. */

export const FREQUENCY_NEEDS_ADVANCED_FEATURE = 'Organizations without the advanced Issue Tracker feature can only choose "manually".';

/** The connector is inaccessible (remote, synced by the Remote Integration Client): no manual integration. */
export const MANUAL_NEEDS_ACCESSIBLE_CONNECTOR =
  '"manually" is not available for a connection on an inaccessible (remote) connector: choose a schedule, e.g. "daily".';

function view(ctx: RequestContext): ConnectionView {
  return { showParams: ctx.principal.canEditConnections, includeLastJob: includes(ctx.query, "last_job") };
}

export function listConnections(ctx: RequestContext): ApiResponse {
  const project = idFilter(ctx.query, "project");
  const records = ctx.store.connections().filter((c) => project === undefined || c.project === project);
  const page = paginate(records, ctx.query, ctx.pageUrl);
  const v = view(ctx);
  return json(200, { ...page, results: page.results.map((r) => connectionRepresentation(ctx.store, r, "list", v)) });
}

// `include=last_job` is documented for the list only; the emulator honours it on a single connection too
// (get and PATCH), as DRF's include mechanism works per serializer, not per view. [INFER]
export function getConnection(ctx: RequestContext): ApiResponse {
  const record = ctx.store.connection(ctx.ids[0]!);
  if (!record) return notFound();
  return json(200, connectionRepresentation(ctx.store, record, "detail", view(ctx)));
}

/**
 * The checks that need the server's data, after the body passed its rules: the connector and project
 * exist, a non-manual frequency needs the advanced feature, a connection on an inaccessible connector
 * cannot be manual, and the merged params suit the connector's system (rules/systems.ts). Field errors of
 * the first group are reported together, as DRF validates each field before the object as a whole.
 * Answers the 400 that rejects the request, or undefined when it is valid.
 */
function checkAgainstState(
  store: Store,
  target: { connector: number; project: number; frequency: Frequency | undefined; own: Params; resulting?: Frequency | undefined },
): ApiResponse | undefined {
  const errors: FieldErrors = {};
  const connector = store.connector(target.connector);
  const project = store.project(target.project);
  if (!connector) errors.connector = [invalidPk(target.connector)];
  if (!project) errors.project = [invalidPk(target.project)];
  if (target.frequency !== undefined && target.frequency !== MANUALLY && !store.advancedIssueTracker) {
    errors.frequency = [FREQUENCY_NEEDS_ADVANCED_FEATURE];
  }
  // 'manual' frequency is unavailable to remote connections (sde-api.md §4).
  if (connector?.inaccessible && target.resulting === MANUALLY) errors.frequency = [MANUAL_NEEDS_ACCESSIBLE_CONNECTOR];
  if (Object.keys(errors).length > 0 || !connector || !project) return badRequest(errors);

  const merged = effectiveParams({ connector: connector.params, project: store.projectNames(project), own: target.own });
  return paramProblemsFailed(mergedParamProblems(store.systemOf(connector), merged));
}

export async function createConnection(ctx: RequestContext): Promise<ApiResponse> {
  const read = readConnectionCreate(await ctx.readJson());
  if (!read.ok) return badRequest(read.errors);
  const data = read.value;
  const own: Params = { ...data.params };
  const rejected = checkAgainstState(ctx.store, {
    connector: data.connector,
    project: data.project,
    frequency: data.frequency,
    own,
    resulting: data.frequency ?? MANUALLY,
  });
  if (rejected) return rejected;

  const { record, saved } = ctx.store.createConnection({
    alias: data.alias,
    connector: data.connector,
    project: data.project,
    frequency: data.frequency ?? MANUALLY,
    debug_mode: data.debug_mode ?? false,
    params: own,
  });
  await saved;
  return json(201, connectionRepresentation(ctx.store, record, "created", { showParams: true, includeLastJob: false }));
}

export async function updateConnection(ctx: RequestContext): Promise<ApiResponse> {
  const existing = ctx.store.connection(ctx.ids[0]!);
  if (!existing) return notFound();
  const raw = await ctx.readJson();
  // Deleted while the body was arriving: gone, as for any request that names it now.
  if (!ctx.store.connection(existing.id)) return notFound();
  const read = readConnectionUpdate(raw);
  if (!read.ok) return badRequest(read.errors);
  const { body: data, removed } = read.value;
  // Params are merged into the stored ones, not replaced (reference/sde-api.md §6.4); a null removes one.
  const own = patchOwnParams(existing.params, data.params, removed);
  const rejected = checkAgainstState(ctx.store, {
    connector: data.connector ?? existing.connector,
    project: data.project ?? existing.project,
    frequency: data.frequency,
    own,
    // Judged when the PATCH sets the frequency or moves the connection to another connector.
    resulting: data.frequency !== undefined || data.connector !== undefined ? (data.frequency ?? existing.frequency) : undefined,
  });
  if (rejected) return rejected;

  const changes: Partial<NewConnection> = { params: own };
  if (data.alias !== undefined) changes.alias = data.alias;
  if (data.connector !== undefined) changes.connector = data.connector;
  if (data.project !== undefined) changes.project = data.project;
  if (data.frequency !== undefined) changes.frequency = data.frequency;
  if (data.debug_mode !== undefined) changes.debug_mode = data.debug_mode;
  const { record, saved } = ctx.store.updateConnection(existing.id, changes);
  await saved;
  return json(200, connectionRepresentation(ctx.store, record, "detail", { ...view(ctx), showParams: true }));
}

// Deleting a connection whose sync is in progress is allowed (the reference leaves it open): its jobs go
// with it.
export async function deleteConnection(ctx: RequestContext): Promise<ApiResponse> {
  const existing = ctx.store.connection(ctx.ids[0]!);
  if (!existing) return notFound();
  await ctx.store.deleteConnection(existing.id);
  return { status: 204 };
}
