import { badRequest, type ApiResponse } from "../http";
import type { ParamProblems } from "../rules/systems";

/** Merged-params problems as DRF's nested field errors: `{"params": {"<key>": ["<message>"]}}`, or none. */
export function paramProblemsFailed(problems: ParamProblems): ApiResponse | undefined {
  return Object.keys(problems).length > 0 ? badRequest({ params: problems }) : undefined;
}
