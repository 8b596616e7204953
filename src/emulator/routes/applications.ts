import { json, notFound, type ApiResponse } from "../http";
import { paginate } from "../pagination";
import type { RequestContext } from "../router";
import { idFilter } from "../rules/filters";
import { applicationRepresentation } from "../serializers";

/**
 * `/api/v2/applications/` and `/{id}/`, read-only: what project lookups match by name. Filters `name`
 * (exact) and `business_unit` (id), as the applications page documents.
 */
export function listApplications(ctx: RequestContext): ApiResponse {
  const businessUnit = idFilter(ctx.query, "business_unit");
  const name = ctx.query.get("name");
  const records = ctx.store
    .applications()
    .filter((a) => (businessUnit === undefined || a.business_unit === businessUnit) && (!name || a.name === name));
  const page = paginate(records, ctx.query, ctx.pageUrl);
  return json(200, { ...page, results: page.results.map(applicationRepresentation) });
}

export function getApplication(ctx: RequestContext): ApiResponse {
  const application = ctx.store.application(ctx.ids[0]!);
  return application ? json(200, applicationRepresentation(application)) : notFound();
}
