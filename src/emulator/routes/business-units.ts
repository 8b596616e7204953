import { json, notFound, type ApiResponse } from "../http";
import { paginate } from "../pagination";
import type { RequestContext } from "../router";
import { businessUnitRepresentation } from "../serializers";

/** `/api/v2/business-units/` and `/{id}/`, read-only. Filter `name` (exact), as the business units page documents. */
export function listBusinessUnits(ctx: RequestContext): ApiResponse {
  const name = ctx.query.get("name");
  const records = ctx.store.businessUnits().filter((b) => !name || b.name === name);
  const page = paginate(records, ctx.query, ctx.pageUrl);
  return json(200, { ...page, results: page.results.map(businessUnitRepresentation) });
}

export function getBusinessUnit(ctx: RequestContext): ApiResponse {
  const businessUnit = ctx.store.businessUnit(ctx.ids[0]!);
  return businessUnit ? json(200, businessUnitRepresentation(businessUnit)) : notFound();
}
