import {
  checkMergedParams,
  connectionCreateSchema,
  connectionUpdateSchema,
  MANUAL_FREQUENCY,
  SERVER_SET_PARAMS,
  type FieldErrors,
  type Frequency,
  type ConnectionParams,
  type Params,
} from "../../schema";
import { json, notFound, badRequest, type ApiResponse } from "../http";
import { paginate } from "../pagination";
import { effectiveParams, patchOwnParams, splitNullParams } from "../params-merge";
import type { RequestContext } from "../router";
import { connectionRepresentation, type ConnectionView } from "../serializers";
import type { NewConnection, Store } from "../store";
import { hasErrors, idFilter, includes, invalidPk, paramProblemsFailed, validationFailed } from "./common";

/** `/api/v2/connections/issue-tracker/` and `/{id}/`. */

export const FREQUENCY_NEEDS_ADVANCED_FEATURE =
  'Organizations without the advanced Issue Tracker feature can only choose "manually".';

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
 * The checks that need the server's data, after the body passed its schema: the connector and project
 * exist, a non-manual frequency needs the advanced feature, a connection on an inaccessible connector
 * cannot be manual, and the merged params are complete for the
 * connector's system. Field errors of the first group are reported together, as DRF validates each field
 * before the object as a whole. Answers the 400 that rejects the request, or undefined when it is valid.
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
  if (target.frequency !== undefined && target.frequency !== MANUAL_FREQUENCY && !store.advancedIssueTracker) {
    errors.frequency = [FREQUENCY_NEEDS_ADVANCED_FEATURE];
  }
  // 'manual' frequency is unavailable to remote connections (sde-api.md §4).
  if (connector?.inaccessible && target.resulting === MANUAL_FREQUENCY) errors.frequency = [MANUAL_NEEDS_ACCESSIBLE_CONNECTOR];
  if (hasErrors(errors) || !connector || !project) return badRequest(errors);

  const merged = effectiveParams({ connector: connector.params, project: store.projectNames(project), own: target.own });
  const problems = checkMergedParams(store.systemOf(connector).id, merged);
  return problems.length > 0 ? paramProblemsFailed(problems) : undefined;
}

/** Fields the server reports and ignores in a request (DRF read-only fields), as in a GET's body sent back. */
const READ_ONLY_FIELDS = ["id", "system", "command", "inaccessible", "in_progress", "last_job"];

/**
 * The request as DRF reads it: without read-only fields and the params only the server sets (a GET's body
 * sent back, changed, is a normal request; this package's client never sends either), and with the alias
 * trimmed before it is judged, as a CharField does.
 */
function asTheServerReadsIt(body: unknown): unknown {
  if (body === null || body === undefined) return {};
  if (typeof body !== "object" || Array.isArray(body)) return body;
  const kept: Record<string, unknown> = Object.fromEntries(Object.entries(body).filter(([key]) => !READ_ONLY_FIELDS.includes(key)));
  if (typeof kept.alias === "string") kept.alias = kept.alias.trim();
  const params = kept.params;
  if (params !== null && typeof params === "object" && !Array.isArray(params)) {
    kept.params = Object.fromEntries(Object.entries(params).filter(([key]) => !(SERVER_SET_PARAMS as readonly string[]).includes(key)));
  }
  return kept;
}

/**
 * JSON may name a param `__proto__`, which no param is and which parsing into an object would silently
 * drop: refused by name, like any other impossible param name.
 */
function protoParamRefused(body: unknown): ApiResponse | undefined {
  const params = (body as { params?: unknown } | null)?.params;
  if (params === null || typeof params !== "object" || !Object.hasOwn(params, "__proto__")) return undefined;
  return badRequest({ params: { ["__proto__"]: ["is not a param name: remove it"] } });
}

export async function createConnection(ctx: RequestContext): Promise<ApiResponse> {
  const raw = await ctx.readJson();
  const refused = protoParamRefused(raw);
  if (refused) return refused;
  // A null param on create means "no override", the same as leaving it out.
  const { body } = splitNullParams(asTheServerReadsIt(raw));
  const parsed = connectionCreateSchema.safeParse(body);
  if (!parsed.success) return validationFailed(parsed.error);
  const data = parsed.data;
  const own: ConnectionParams = { ...data.params };
  const rejected = checkAgainstState(ctx.store, {
    connector: data.connector,
    project: data.project,
    frequency: data.frequency,
    own,
    resulting: data.frequency ?? MANUAL_FREQUENCY,
  });
  if (rejected) return rejected;

  const { record, saved } = ctx.store.createConnection({
    alias: data.alias,
    connector: data.connector,
    project: data.project,
    frequency: data.frequency ?? MANUAL_FREQUENCY,
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
  const refused = protoParamRefused(raw);
  if (refused) return refused;
  const { body, removed } = splitNullParams(asTheServerReadsIt(raw));
  const parsed = connectionUpdateSchema.safeParse(body);
  if (!parsed.success) return validationFailed(parsed.error);
  const data = parsed.data;
  // Params are merged into the stored ones, not replaced (reference/sde-api.md §6.4).
  // Nulls were split off into `removed` before validation, so what remains are values.
  const own = patchOwnParams(existing.params, data.params as ConnectionParams | undefined, removed);
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
