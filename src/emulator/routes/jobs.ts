import { badRequest, json, notFound, type ApiResponse } from "../http";
import { paginate } from "../pagination";
import type { RequestContext } from "../router";
import { invalidPk } from "../rules/fields";
import { idFilter } from "../rules/filters";
import { readJob } from "../rules/jobs";
import { jobRepresentation } from "../serializers";

/**
 * `/api/v2/jobs/issue-tracker/` and `/{id}/` (reference/sde-api.md §2.5). A POST records a job: queued
 * (`ready: false`, the connection is then in progress) or finished with its result.
 */
export function listJobs(ctx: RequestContext): ApiResponse {
  const connection = idFilter(ctx.query, "connection");
  const page = paginate(ctx.store.jobs(connection), ctx.query, ctx.pageUrl);
  return json(200, { ...page, results: page.results.map(jobRepresentation) });
}

export function getJob(ctx: RequestContext): ApiResponse {
  const job = ctx.store.job(ctx.ids[0]!);
  return job ? json(200, jobRepresentation(job)) : notFound();
}

export async function createJob(ctx: RequestContext): Promise<ApiResponse> {
  const read = readJob(await ctx.readJson());
  if (!read.ok) return badRequest(read.errors);
  const data = read.value;
  const connection = ctx.store.connection(data.connection);
  if (!connection) return badRequest({ connection: [invalidPk(data.connection)] });
  // Manual integration is unavailable when the connector is inaccessible (sde-api.md §4).
  if (!data.automatic && !data.ready && ctx.store.connector(connection.connector)?.inaccessible) {
    return badRequest({ automatic: ["Manual integration is unavailable: the connection's connector is inaccessible (remote)."] });
  }
  const { record, saved } = ctx.store.recordJob(data.connection, {
    succeeded: data.succeeded,
    ready: data.ready,
    automatic: data.automatic,
    resultMessage: data.result_message,
    user: ctx.principal.user,
  });
  await saved;
  return json(201, jobRepresentation(record));
}
