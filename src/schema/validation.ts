import type { z } from "zod";
import type { FieldErrors } from "./api-error";

/**
 * One vocabulary for invalid data, whoever finds it: the emulator answers with DRF's field-error map,
 * the client and provider with `field: message` lines. Both come from the same zod issues, so the
 * message a program sees in `pulumi preview` is the one the emulator would send.
 */

/**
 * What kind of value was given instead, for messages that must not echo it (it may be a password put in
 * the wrong place): "a list", "an object", "null", "a string"...
 */
export function describeKind(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return typeof value === "number" || typeof value === "boolean" || typeof value === "string"
    ? `a ${typeof value}`
    : `a ${typeof value} value`;
}

/** A dotted path (`params.issue_tracker_project`), or `(body)` for an issue with the whole object. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(body)" : path.map(String).join(".");
}

/** Issues as DRF-style field errors: `{"alias": ["..."], "params": {"sde_min_priority": ["..."]}}`. */
export function toFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    // Issues with the whole object (unknown keys, wrong type) are DRF's non_field_errors.
    const path = issue.path.length === 0 ? ["non_field_errors"] : issue.path.map(String);
    let node: FieldErrors = out;
    for (const segment of path.slice(0, -1)) {
      const next = node[segment];
      if (next === undefined || Array.isArray(next)) node[segment] = {};
      node = node[segment] as FieldErrors;
    }
    const leaf = path[path.length - 1] as string;
    const messages = node[leaf];
    if (Array.isArray(messages)) messages.push(issue.message);
    else node[leaf] = [issue.message];
  }
  return out;
}

/** Issues as `path: message` lines, in order. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`);
}
