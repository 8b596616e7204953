import { json, notFound, type ApiResponse } from "../http";
import { paginate } from "../pagination";
import type { RequestContext } from "../router";
import { connectorRepresentation } from "../serializers";

/**
 * `/api/v2/connectors/issue-tracker/` and `/{id}/`, read-only. `?system=<id>` filters by system, as the
 * 2016 connectors page documents. Params only for the edit permission, as for connections.
 */
export function listConnectors(ctx: RequestContext): ApiResponse {
  const system = ctx.query.get("system");
  const records = ctx.store.connectors().filter((c) => !system || c.system === system);
  const page = paginate(records, ctx.query, ctx.pageUrl);
  const show = ctx.principal.canEditConnections;
  return json(200, { ...page, results: page.results.map((c) => connectorRepresentation(ctx.store, c, show)) });
}

export function getConnector(ctx: RequestContext): ApiResponse {
  const connector = ctx.store.connector(ctx.ids[0]!);
  return connector ? json(200, connectorRepresentation(ctx.store, connector, ctx.principal.canEditConnections)) : notFound();
}
