import { z } from "zod";
import { booleanSchema } from "./boolean";
import { findSystem, COMMON_REQUIRED_PARAMS, CREDENTIALS_BY_AUTH_MODE } from "./systems";
import { describeKind } from "./validation";

/**
 * A connection's `params`: the API's own map of options, keys spelled as the API spells them
 * (reference/sde-api.md §3). The keys this package knows are typed and checked; any other key is
 * allowed (the product has more than is public) as long as its value is a plain JSON scalar.
 */

export const PHASES = ["requirements", "architecture-design", "development", "testing"] as const;
export const STATUSES = ["TODO", "DONE", "NA"] as const;
export const VERIFICATION_STATES = ["none", "partial", "pass", "fail"] as const;
export const CONFLICT_POLICIES = ["issue_tracker", "sde", "timestamp"] as const;
export const AUTH_MODES = ["basic", "api_token"] as const;
export const TITLE_PLACEHOLDERS = ["task_id", "title", "context", "application", "project"] as const;

/** Longest string any param may hold; DRF-backed text fields are bounded and 10,000 characters is a typo. */
export const MAX_PARAM_LENGTH = 4096;
const MAX_NAME_LENGTH = 255;

export const paramValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: "must be a string, number, boolean or null (params hold plain values, not lists or objects)",
});
export type ParamValue = z.infer<typeof paramValueSchema>;

const text = (max = MAX_PARAM_LENGTH) =>
  z
    .string({
      error: (iss) =>
        iss.input === null
          ? "must not be null: to leave it to the connector, remove the key"
          : typeof iss.input === "number" || typeof iss.input === "boolean"
            ? // The value is not repeated: it may be a password.
              "must be a string: write the value in quotes"
            : `must be a string, not ${describeKind(iss.input)}`,
    })
    .max(max, `is too long: at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

const required = (max = MAX_NAME_LENGTH, what = "a value") =>
  text(max).refine((s) => s.trim().length > 0, `must not be empty: give ${what}`);

const bool = booleanSchema;

/** A comma-separated list whose items come from `allowed`, e.g. "requirements,development". */
const csvOf = (allowed: readonly string[], opts: { nonEmpty: boolean }) =>
  text().superRefine((value, ctx) => {
    const items = value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = items.filter((item) => !allowed.includes(item));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `has unknown value(s) ${unknown.map((u) => JSON.stringify(u)).join(", ")}: use a comma-separated list of ${allowed.join(", ")}`,
      });
    } else if (opts.nonEmpty && items.length === 0) {
      ctx.addIssue({ code: "custom", message: `must not be empty: list one or more of ${allowed.join(", ")}` });
    }
  });

const oneOf = (allowed: readonly [string, ...string[]]) =>
  z.enum(allowed, {
    error: (iss) =>
      typeof iss.input === "string"
        ? `${JSON.stringify(iss.input)} is not a valid choice: use one of ${allowed.join(", ")}`
        : `must be one of ${allowed.join(", ")}, not ${describeKind(iss.input)}`,
  });

/** Title formats must name `$task_id` and `$title` (both `$x` and `${x}` work) and nothing unknown. */
export const titleFormatSchema = required(MAX_NAME_LENGTH, 'a format such as "$task_id $title"').superRefine((value, ctx) => {
  const used = [...value.matchAll(/\$\{?([A-Za-z_]+)\}?/g)].map((m) => m[1] as string);
  const unknown = used.filter((p) => !(TITLE_PLACEHOLDERS as readonly string[]).includes(p));
  const missing = ["task_id", "title"].filter((p) => !used.includes(p));
  if (unknown.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: `uses unknown placeholder(s) ${unknown.map((u) => "$" + u).join(", ")}: use only ${TITLE_PLACEHOLDERS.map((p) => "$" + p).join(", ")}`,
    });
  }
  if (missing.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: `must contain ${missing.map((m) => "$" + m).join(" and ")}, e.g. "$task_id $title"`,
    });
  }
});

const PRIORITY_RANGE = "must be from 1 to 10";
/** A whole priority from 1 to 10, as the API answers it: `type` says what is wrong with anything else. */
export const priorityInRange = (type: z.ZodInt) => type.min(1, PRIORITY_RANGE).max(10, PRIORITY_RANGE);

/**
 * SD Elements priority 1..10 as the API takes it: an integer or a numeric string (reference/sde-api.md §3:
 * "sent as int or string"; the connectors endpoint shows `"7"`), answered as an integer. The schema of a
 * request and of the server's own data, which is the judge of its types; a program's arguments are
 * stricter (declared-params.ts).
 */
export const minPrioritySchema = z
  .union(
    [
      z.int(),
      z
        .string()
        .regex(/^\s*\d+\s*$/)
        .transform(Number),
    ],
    {
      error: "must be a whole number from 1 to 10",
    },
  )
  .pipe(priorityInRange(z.int()));

/** A host name with an optional port: the API keeps the scheme in issue_tracker_method. */
export const serverSchema = required(MAX_NAME_LENGTH, 'the tracker\'s host name, e.g. "jira.example.com"').superRefine((value, ctx) => {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    ctx.addIssue({
      code: "custom",
      message: `is a host name, not a URL: drop "${scheme[0]}" and set issue_tracker_method to "${scheme[1]!.toLowerCase() === "http" ? "http" : "https"}"`,
    });
  } else if (/^[A-Za-z0-9.-]+(:\d{1,5})?\/./.test(value.trim())) {
    const [host, ...path] = value.trim().split("/");
    ctx.addIssue({
      code: "custom",
      message: `is a host name, not a path: set it to "${host}" and issue_tracker_context_root to "/${path.join("/")}"`,
    });
  } else if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value.trim())) {
    ctx.addIssue({ code: "custom", message: 'must be a host name with an optional :port, e.g. "jira.example.com:8443"' });
  }
});

export const jiraVersionSchema = text(16).regex(/^([4-9]|[1-9]\d)(\.\d+)*$/, {
  message: 'must be a Jira version number, 4 or later ("5" means 5 and later)',
});

/**
 * Params only the server sets: the time of the last successful sync (read-only, API page), the reference
 * context it generates and its internal socket. A program or request that sends one is told to remove it:
 * it would be overwritten, or never read back, and diff for ever.
 */
export const SERVER_SET_PARAMS = ["last_successful_run", "issue_tracker_reference_context", "session_capture_socket"] as const;

/** More params than any tracker has: a map beyond it is a mistake (and would bloat every request). */
export const MAX_PARAMS = 200;

/** Refuses the server's own params and keys no param has, naming each; and more than MAX_PARAMS. */
function refuseServerSet(params: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const key of SERVER_SET_PARAMS) {
    if (key in params) ctx.addIssue({ code: "custom", path: [key], message: "is set by the server, not by a program: remove it" });
  }
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMS) ctx.addIssue({ code: "custom", path: [], message: `has ${keys.length} params: at most ${MAX_PARAMS}` });
  // Loose on purpose: the server's own keys are not all public, and a program must be able to name any
  // of them; only what cannot be a key is refused.
  for (const key of keys) {
    if (!/^[^\s\p{Cc}]{1,128}$/u.test(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "is not a param name: at most 128 characters, without spaces or control characters",
      });
    }
  }
}

/** The params this package knows, each optional: the connector and plugin defaults fill the rest. */
export const knownParamsShape = {
  issue_tracker_server: serverSchema,
  issue_tracker_method: oneOf(["http", "https"]),
  issue_tracker_context_root: text(MAX_NAME_LENGTH),
  issue_tracker_auth_mode: oneOf(AUTH_MODES),
  issue_tracker_user: text(MAX_NAME_LENGTH),
  issue_tracker_pass: text(),
  issue_tracker_api_token: text(),
  issue_tracker_validate_cert: bool,
  issue_tracker_project: required(MAX_NAME_LENGTH, "the tracker project (Jira key, Rally project, GitHub repository)"),
  issue_tracker_title_format: titleFormatSchema,
  issue_tracker_phases: csvOf(PHASES, { nonEmpty: true }),
  issue_tracker_parent_issue: text(MAX_NAME_LENGTH),
  issue_tracker_issue_label: text(MAX_NAME_LENGTH),
  issue_tracker_project_version: text(MAX_NAME_LENGTH),
  issue_tracker_context: text(MAX_NAME_LENGTH),
  issue_tracker_standard_workflow: bool,
  sde_statuses_in_scope: csvOf(STATUSES, { nonEmpty: true }),
  sde_verification_filter: csvOf(VERIFICATION_STATES, { nonEmpty: false }),
  sde_min_priority: minPrioritySchema,
  sde_tags_filter: text(),
  conflict_policy: oneOf(CONFLICT_POLICIES),
  how_tos_in_scope: bool,
  start_fresh: bool,
  jira_version: jiraVersionSchema,
  rally_workspace: required(MAX_NAME_LENGTH, "the Rally workspace name"),
  rally_card_type: oneOf(["Story", "Task"]),
  github_repo_owner: required(MAX_NAME_LENGTH, "the GitHub user or organisation that owns the repository"),
  github_duplicate_label: text(MAX_NAME_LENGTH),
};

/** The value of a param this package does not know: a plain scalar. */
const otherParamValue = z.union([text(), z.number(), z.boolean()], {
  error: (iss) =>
    iss.input === null
      ? "must not be null: to stop setting a param, remove its key"
      : "must be a string, number or boolean (params hold plain values, not lists or objects)",
});

/**
 * A params map whose known keys follow `shape`: each optional, other keys allowed with scalar values, the
 * server's own keys and keys no param has refused.
 */
export function paramsMapSchema<S extends z.ZodRawShape>(shape: S) {
  return z
    .object(shape, {
      error: (iss) =>
        iss.input === undefined
          ? 'is required: a map of param names to values, e.g. { issue_tracker_project: "KEY" }'
          : `must be a map of param names to values, not ${describeKind(iss.input)}: e.g. { issue_tracker_project: "KEY" }`,
    })
    .partial()
    .catchall(otherParamValue)
    .superRefine(refuseServerSet);
}

/** Params as a request gives them (the API's types: sde_min_priority may be a numeric string). */
export const connectionParamsSchema = paramsMapSchema(knownParamsShape);
export type ConnectionParams = z.output<typeof connectionParamsSchema>;

/**
 * Params in an update (PATCH): merged into the connection's own, and a key sent as null removes the
 * connection's own value, so the connector's (or the default) applies again.
 */
const nullableKnownShape = Object.fromEntries(Object.entries(knownParamsShape).map(([key, schema]) => [key, schema.nullable()])) as {
  [K in keyof typeof knownParamsShape]: z.ZodNullable<(typeof knownParamsShape)[K]>;
};
export const connectionParamsPatchSchema = z
  .object(nullableKnownShape, {
    error: (iss) => `must be a map of param names to values (null removes one), not ${describeKind(iss.input)}`,
  })
  .partial()
  .catchall(otherParamValue.nullable())
  .superRefine(refuseServerSet);

/** Params as the API returns them: any key, scalar values (the server is the judge of its own data). */
export const paramsResponseSchema = z.record(z.string(), paramValueSchema);
export type Params = z.infer<typeof paramsResponseSchema>;

/**
 * Defaults the server's plugins fill in for anything neither the connector nor the connection sets
 * (the values of the API page's examples).
 */
export const PLUGIN_DEFAULTS: Readonly<Params> = {
  issue_tracker_auth_mode: "basic",
  issue_tracker_method: "https",
  issue_tracker_validate_cert: true,
  issue_tracker_title_format: "$task_id $title",
  issue_tracker_phases: "requirements,architecture-design,development",
  sde_statuses_in_scope: "TODO",
  sde_verification_filter: "none,partial,pass,fail",
  conflict_policy: "issue_tracker",
  sde_min_priority: 7,
};

/**
 * Params the server adds for its own use, not settings: the API page's create response shows
 * `session_capture_socket` (and no other response does), so nothing should compare or show it.
 */
export const SERVER_INTERNAL_PARAMS: readonly string[] = ["session_capture_socket"];

/** A problem with one param of a complete (merged) params map. */
export interface ParamProblem {
  key: string;
  message: string;
}

const isBlank = (v: ParamValue | undefined) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * Checks that need the whole params map of a connection (its own params merged over its connector's and
 * the defaults): the params each system and auth mode require, and rules that tie two params together.
 */
export function checkMergedParams(systemId: string, merged: Readonly<Params>): ParamProblem[] {
  const problems: ParamProblem[] = [];
  const system = findSystem(systemId);
  const authMode = typeof merged.issue_tracker_auth_mode === "string" ? merged.issue_tracker_auth_mode : "basic";
  const credentials = CREDENTIALS_BY_AUTH_MODE[authMode] ?? [];
  for (const key of [...COMMON_REQUIRED_PARAMS, ...(system?.requiredParams ?? []), ...credentials]) {
    if (isBlank(merged[key])) {
      const why = credentials.includes(key) ? ` with issue_tracker_auth_mode "${authMode}"` : "";
      problems.push({
        key,
        message: `is required for ${system?.name ?? systemId} connections${why}: set it on the connection or on its connector`,
      });
    }
  }
  if (merged.rally_card_type === "Task" && isBlank(merged.issue_tracker_parent_issue)) {
    problems.push({
      key: "issue_tracker_parent_issue",
      message: 'is required when rally_card_type is "Task": name the parent story',
    });
  }
  if (
    !isBlank(merged.issue_tracker_parent_issue) &&
    systemId === "rally" &&
    merged.rally_card_type !== undefined &&
    merged.rally_card_type !== "Task"
  ) {
    problems.push({
      key: "rally_card_type",
      message: 'must be "Task" when issue_tracker_parent_issue is set: Rally only nests tasks under a parent story',
    });
  }
  return problems;
}
