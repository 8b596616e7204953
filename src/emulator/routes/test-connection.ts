import { redact, secretParamValues } from "../../schema/secrets";
import { badRequest, json, type ApiResponse, type FieldErrors } from "../http";
import { effectiveParams } from "../params-merge";
import type { RequestContext } from "../router";
import { invalidPk } from "../rules/fields";
import { mergedParamProblems, systemById, unknownSystem } from "../rules/systems";
import { readConnectionTest } from "../rules/test-connection";
import { checkAgainstTrackers } from "../trackers";
import { paramProblemsFailed } from "./common";

/**
 * `POST /api/v2/connections/test-issue-tracker/`: tries a connection's settings against the (fake) tracker
 * without saving anything. The system comes from `connector` when one is given, else from `system.id`;
 * params merge like a connection's (defaults, the connector's if given, the project's names if given, then
 * the body's). Settings problems are DRF field errors; a tracker that refuses is 400
 * `{"success": false, "detail": ...}` (reference/sde-api.md §6.7).
 */
export async function testConnection(ctx: RequestContext): Promise<ApiResponse> {
  const read = readConnectionTest(await ctx.readJson());
  if (!read.ok) return badRequest(read.errors);
  const data = read.value;

  const errors: FieldErrors = {};
  const connector = data.connector === undefined ? undefined : ctx.store.connector(data.connector);
  const project = data.project === undefined ? undefined : ctx.store.project(data.project);
  if (data.connector !== undefined && !connector) errors.connector = [invalidPk(data.connector)];
  if (data.project !== undefined && !project) errors.project = [invalidPk(data.project)];

  const requestedSystem = data.systemId;
  if (requestedSystem !== undefined && !systemById(requestedSystem)) {
    errors.system = { id: [unknownSystem(requestedSystem)] };
  } else if (connector && requestedSystem !== undefined && requestedSystem !== connector.system) {
    errors.system = {
      id: [`${JSON.stringify(requestedSystem)} does not match the connector's system ${JSON.stringify(connector.system)}`],
    };
  } else if (data.connector === undefined && requestedSystem === undefined) {
    errors.system = ['is required without a connector: name the system, e.g. { id: "jira" }'];
  }
  if (Object.keys(errors).length > 0) return badRequest(errors);

  const system = connector ? ctx.store.systemOf(connector) : systemById(requestedSystem!)!;
  const merged = effectiveParams({
    connector: connector?.params,
    project: project ? ctx.store.projectNames(project) : undefined,
    own: data.params,
  });
  const rejected = paramProblemsFailed(mergedParamProblems(system, merged));
  if (rejected) return rejected;

  const result = checkAgainstTrackers(ctx.store.trackers, system.id, merged);
  if (result.ok) return json(200, { success: true });
  // The messages name params, never their values; the server and project names they quote are the
  // caller's own input, redacted anyway in case a secret was typed into the wrong field.
  return json(400, { success: false, detail: redact(result.detail, secretParamValues(merged)) });
}
