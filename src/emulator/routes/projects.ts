import { json, notFound, type ApiResponse } from "../http";
import { paginate } from "../pagination";
import type { RequestContext } from "../router";
import { idFilter } from "../rules/filters";
import { projectRepresentation } from "../serializers";

/**
 * `/api/v2/projects/` and `/{id}/`, read-only: just what connections refer to and lookups find. Filters
 * `application`, `name` and `slug` (exact), the projects page's filters but `ordering` and `search`.
 */
export function listProjects(ctx: RequestContext): ApiResponse {
  const application = idFilter(ctx.query, "application");
  const name = ctx.query.get("name");
  const slug = ctx.query.get("slug");
  const records = ctx.store
    .projects()
    .filter(
      (p) =>
        (application === undefined || p.application === application) &&
        (!name || p.name === name) &&
        (!slug || projectRepresentation(p).slug === slug),
    );
  const page = paginate(records, ctx.query, ctx.pageUrl);
  return json(200, { ...page, results: page.results.map(projectRepresentation) });
}

export function getProject(ctx: RequestContext): ApiResponse {
  const project = ctx.store.project(ctx.ids[0]!);
  return project ? json(200, projectRepresentation(project)) : notFound();
}
