import { z } from "zod";
import { booleanSchema } from "./boolean";
import { frequencySchema } from "./frequency";
import { idSchema } from "./ids";
import { lastJobSchema } from "./job";
import { connectionParamsPatchSchema, connectionParamsSchema, paramsResponseSchema } from "./params";
import { systemRefSchema } from "./system";
import { strictKeysError } from "./unknown-keys";
import { describeKind } from "./validation";

/** Longest alias the API stores (a DRF CharField). */
export const MAX_ALIAS_LENGTH = 255;

// Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional overrides and
// isolates: they cannot be seen in the UI, break the logs sync jobs write, or make text read in another
// order than it is stored ("Trojan Source").
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export const aliasSchema = z
  .string({
    error: (iss) =>
      iss.input === undefined
        ? "is required: the name of the connection as SD Elements shows it"
        : `must be a string (the connection's name), not ${describeKind(iss.input)}`,
  })
  .max(MAX_ALIAS_LENGTH, `is too long: at most ${MAX_ALIAS_LENGTH} characters`)
  .refine((s) => s.trim().length > 0, "must not be empty: give the connection a name")
  .refine(
    (s) => !CONTROL_CHARACTERS.test(s),
    "must not contain control characters (tabs, newlines, NUL, text-direction overrides): use a single line of plain text",
  );

/** An Issue Tracker connection as the API returns it (`/api/v2/connections/issue-tracker/`). */
export const connectionSchema = z.looseObject({
  id: z.int(),
  alias: z.string(),
  system: systemRefSchema,
  frequency: z.string(),
  command: z.string(),
  debug_mode: z.boolean(),
  /** Absent for tokens without the 'Edit Issue Tracker connections' permission. */
  params: paramsResponseSchema.optional(),
  inaccessible: z.boolean(),
  /** Lists carry it; single-object responses do not (the API page shows both shapes). */
  in_progress: z.boolean().optional(),
  connector: z.int(),
  project: z.int(),
  /** With `include=last_job`: the newest sync job, or null before the first. */
  last_job: lastJobSchema.nullable().optional(),
});
export type Connection = z.infer<typeof connectionSchema>;

const connectionCreateShape = {
  alias: aliasSchema,
  connector: idSchema("issue-tracker connector the connection uses"),
  project: idSchema("SD Elements project the connection belongs to"),
  frequency: frequencySchema.optional(),
  debug_mode: booleanSchema.optional(),
  params: connectionParamsSchema,
};
const CONNECTION_FIELDS = Object.keys(connectionCreateShape);

/** The body of a create (POST). */
export const connectionCreateSchema = z.strictObject(connectionCreateShape, {
  error: strictKeysError(
    CONNECTION_FIELDS,
    { one: "field", many: "fields" },
    "a connection has alias, connector, project, frequency, debug_mode and params",
    "must be a JSON object",
  ),
});
export type ConnectionCreate = z.input<typeof connectionCreateSchema>;

/**
 * The body of an update (PATCH): any subset of the create fields; `params` are merged into the stored
 * ones, null removing one.
 */
export const connectionUpdateSchema = connectionCreateSchema.partial().extend({ params: connectionParamsPatchSchema.optional() });
export type ConnectionUpdate = z.input<typeof connectionUpdateSchema>;

/**
 * The body of a test (`POST /api/v2/connections/test-issue-tracker/`): the connection's settings, tried
 * against the tracker without saving anything.
 */
export const connectionTestSchema = z.looseObject({
  connector: idSchema("issue-tracker connector to test with").optional(),
  project: idSchema("SD Elements project").optional(),
  alias: z.string().optional(),
  name: z.string().optional(),
  system: z.looseObject({ id: z.string({ error: 'must name the system, e.g. { id: "jira" }' }) }).optional(),
  params: connectionParamsSchema,
});
export type ConnectionTest = z.input<typeof connectionTestSchema>;

export const connectionTestResultSchema = z.looseObject({
  success: z.boolean(),
  detail: z.string().optional(),
  error: z.string().optional(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
