// DRF error bodies read as field errors: nested params, and leaves that are not lists.
import { apiErrorBodySchema, fieldErrorEntries, flattenFieldErrors, type FieldErrors } from "../../src/schema/api-error";

test("nested params errors become dotted paths", () => {
  expect(flattenFieldErrors({ alias: ["This field is required."], params: { issue_tracker_project: ["Unknown project."] } })).toEqual([
    "alias: This field is required.",
    "params.issue_tracker_project: Unknown project.",
  ]);
});

test("a bare message where a list belongs is one message, not a walk through its characters", () => {
  const cast = { code: "unreachable", params: { issue_tracker_server: "Bad host." } } as unknown as FieldErrors;
  expect(fieldErrorEntries(cast)).toEqual([
    { path: "code", message: "unreachable" },
    { path: "params.issue_tracker_server", message: "Bad host." },
  ]);
});

test("leaves that are neither messages nor maps are skipped", () => {
  expect(fieldErrorEntries({ count: 3, gone: null } as unknown as FieldErrors)).toEqual([]);
});

test("the error body schema turns a bare string field into a list", () => {
  expect(apiErrorBodySchema.parse({ alias: "Too long." })).toEqual({ alias: ["Too long."] });
});
