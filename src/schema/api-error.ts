import { z } from "zod";

/**
 * Error bodies of a Django REST Framework API: `{"detail": "..."}` for auth, permission, not-found and
 * throttling; a map of field to messages for validation (`{"alias": ["This field is required."]}`), nested
 * for `params` (`{"params": {"issue_tracker_project": ["..."]}}`), `non_field_errors` for cross-field ones.
 */
export type FieldErrors = { [field: string]: string[] | FieldErrors };

const fieldErrorsSchema: z.ZodType<FieldErrors> = z.lazy(() =>
  z.record(z.string(), z.union([z.array(z.string()), z.string().transform((s) => [s]), fieldErrorsSchema])),
);

export const apiErrorBodySchema = z.union([
  z.looseObject({ detail: z.string() }),
  fieldErrorsSchema,
  // What DRF answers for a ValidationError raised with a plain message in a view: `["message"]`.
  z.array(z.string()),
]);

/** Field errors as (dotted path, message) pairs, e.g. `params.issue_tracker_project`, "This field is required." */
export function fieldErrorEntries(errors: FieldErrors, prefix = ""): { path: string; message: string }[] {
  return Object.entries(errors).flatMap(([field, value]) => {
    const path = prefix ? `${prefix}.${field}` : field;
    // Typed as lists and maps, but an answer cast rather than parsed may hold a bare message: take it as
    // one, and never walk into a string (its characters would recurse without end).
    if (Array.isArray(value)) return value.map((message) => ({ path, message: String(message) }));
    if (typeof value === "string") return [{ path, message: value }];
    return value !== null && typeof value === "object" ? fieldErrorEntries(value, path) : [];
  });
}

/** Field errors flattened to `path: message` lines, e.g. `params.issue_tracker_project: This field is required.` */
export function flattenFieldErrors(errors: FieldErrors): string[] {
  return fieldErrorEntries(errors).map((e) => `${e.path}: ${e.message}`);
}

export { fieldErrorsSchema };
