import {
  boolean,
  booleanMessage,
  choice,
  choicesMessage,
  describeKind,
  maxLength,
  notBlank,
  ofWrongKind,
  text,
  type Check,
  type Field,
  type FieldErrors,
  type KindMessage,
} from "./fields";

/**
 * A connection's `params` as the server judges them (reference/sde-api.md §3.2, §3.3, §3.4): the params
 * whose values the references describe each have their rule, keyed by name (an sdetools option means the
 * same thing whichever system it is sent for); any other key is taken, as the product has more params
 * than are public, as long as its value is a plain JSON scalar. What needs the whole merged map (required
 * params, params that go together) is in systems.ts.
 */

export type ParamValue = string | number | boolean | null;
export type Params = Record<string, ParamValue>;

/** Longest value of a free-text param; a DRF text field is bounded, and 10,000 characters is a mistake. */
const MAX_TEXT = 4096;
/** Longest name-like value (a CharField's usual max_length: the Trac plugin's `alm_project` has 255, §2.4). */
const MAX_NAME = 255;
/** More params than any tracker has: a map beyond it is a mistake. */
export const MAX_PARAMS = 200;

/**
 * Params only the server sets: `last_successful_run` (API page: only after a successful sync),
 * `issue_tracker_reference_context` (§3.2) and `session_capture_socket` (the create example). In a
 * connection's body they are read-only fields and ignored; anywhere else (a test, a seed) they are refused.
 */
export const SERVER_SET_PARAMS: readonly string[] = ["last_successful_run", "issue_tracker_reference_context", "session_capture_socket"];

const noNul: Check<string> = (s) => (s.includes("\u0000") ? "must not contain NUL characters" : undefined);

const notAString: KindMessage = (value) =>
  value === null
    ? "must not be null: to leave it to the connector, remove the key"
    : typeof value === "number" || typeof value === "boolean"
      ? // Not repeated: the value may be a password.
        "must be a string: write the value in quotes"
      : `must be a string, not ${describeKind(value)}`;

/** A text param; `what` makes it one that must not be blank, naming what to give. */
const textParam = (max: number, what?: string, ...checks: Check<string>[]): Field<string> =>
  text(notAString, maxLength(max), noNul, ...(what === undefined ? [] : [notBlank(`must not be empty: give ${what}`)]), ...checks);

const choiceParam = <T extends string>(allowed: readonly T[]) => choice(allowed, choicesMessage(allowed));
const booleanParam = boolean(booleanMessage);
const freeText = textParam(MAX_TEXT);

/** The items of a comma-separated param, e.g. "requirements, development" → ["requirements", "development"]. */
export const csvItems = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** A comma-separated list of values from `allowed` (sdetools' checkbox fields, §3.2). */
const listOf = (allowed: readonly string[]) =>
  textParam(MAX_TEXT, undefined, (value) => {
    const unknown = csvItems(value).filter((item) => !allowed.includes(item));
    return unknown.length === 0
      ? undefined
      : `has unknown value(s) ${unknown.map((u) => JSON.stringify(u)).join(", ")}: use a comma-separated list of ${allowed.join(", ")}`;
  });

export const PHASES = ["requirements", "architecture-design", "development", "testing"];
export const STATUSES = ["TODO", "DONE", "NA"];
const VERIFICATION_STATES = ["none", "partial", "pass", "fail"];
const TITLE_PLACEHOLDERS = ["task_id", "title", "context", "application", "project"];

/** The placeholders a title format uses: `$x` and `${x}` both (sdetools parses `\$\{?([a-zA-Z_]+)\}?`, §3.4). */
export const titlePlaceholders = (format: string): string[] => [...format.matchAll(/\$\{?([A-Za-z_]+)\}?/g)].map((m) => m[1]!);

/** §3.4: `title` and `task_id` are mandatory, unknown placeholders are rejected. */
const titleFormat = textParam(
  MAX_NAME,
  'a format such as "$task_id $title"',
  (format) => {
    const unknown = titlePlaceholders(format).filter((p) => !TITLE_PLACEHOLDERS.includes(p));
    return unknown.length === 0
      ? undefined
      : `uses unknown placeholder(s) ${unknown.map((u) => "$" + u).join(", ")}: use only ${TITLE_PLACEHOLDERS.map((p) => "$" + p).join(", ")}`;
  },
  (format) => {
    const used = titlePlaceholders(format);
    const missing = ["task_id", "title"].filter((p) => !used.includes(p));
    return missing.length === 0 ? undefined : `must contain ${missing.map((m) => "$" + m).join(" and ")}, e.g. "$task_id $title"`;
  },
);

/** §3.2: `host[:port]`; the scheme is `issue_tracker_method`'s and a path is `issue_tracker_context_root`'s. */
const hostName = textParam(MAX_NAME, 'the tracker\'s host name, e.g. "jira.example.com"', (value) => {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    const method = scheme[1]!.toLowerCase() === "http" ? "http" : "https";
    return `is a host name, not a URL: drop "${scheme[0]}" and set issue_tracker_method to "${method}"`;
  }
  const trimmed = value.trim();
  if (/^[A-Za-z0-9.-]+(:\d{1,5})?\/./.test(trimmed)) {
    const [host, ...path] = trimmed.split("/");
    return `is a host name, not a path: set it to "${host}" and issue_tracker_context_root to "/${path.join("/")}"`;
  }
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(trimmed)
    ? undefined
    : 'must be a host name with an optional :port, e.g. "jira.example.com:8443"';
});

/**
 * §3.2: an integer from 1 to 10, "sent as int or string" (connectors show "7", connections 7); kept as the
 * integer.
 */
const priority: Field<number> = (value) => {
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) return ofWrongKind("must be a whole number from 1 to 10");
  return n >= 1 && n <= 10 ? { ok: true, value: n } : { ok: false, messages: ["must be from 1 to 10"], wrongKind: false };
};

/**
 * §3.3: sdetools supports Jira from 4.3.3 (versions 4, 5 and 6 in 2015); later majors are taken too, as
 * the product still syncs with today's Jira.
 */
const jiraVersion = textParam(16, undefined, (v) =>
  /^([4-9]|[1-9]\d)(\.\d+)*$/.test(v) ? undefined : 'must be a Jira version number, 4 or later ("5" means 5 and later)',
);

/** §3.2: `selected_tasks` is a comma-separated list of task ids matching `^[^\d]+\d+$` (T12, CT213). */
const taskIds = textParam(MAX_TEXT, undefined, (value) => {
  const bad = csvItems(value).filter((item) => !/^[^\d]+\d+$/.test(item));
  return bad.length === 0
    ? undefined
    : `has item(s) ${bad.map((b) => JSON.stringify(b)).join(", ")} that are not task ids: use a comma-separated list such as "T12,CT213"`;
});

/** A param's rule, and what the server's plugins fill in when neither the connector nor the connection sets it. */
interface ParamRule {
  judge: Field;
  fallback?: ParamValue;
}
const rule = (judge: Field, fallback?: ParamValue): ParamRule => (fallback === undefined ? { judge } : { judge, fallback });

/**
 * The params with a rule, in the order their messages are given. The fallbacks are §3.2's defaults as the
 * API page's examples show them for params their requests do not send (§4, group 3). Empty phases and
 * statuses are judged with the merged params (systems.ts): they may be empty when `selected_tasks` is set.
 */
const PARAM_RULES: Readonly<Record<string, ParamRule>> = {
  issue_tracker_server: rule(hostName),
  // The two the current pages show (`basic` for Rally and Jira, `api_token` for GitHub).
  issue_tracker_auth_mode: rule(choiceParam(["basic", "api_token"]), "basic"),
  issue_tracker_method: rule(choiceParam(["http", "https"]), "https"),
  issue_tracker_context_root: rule(textParam(MAX_NAME)),
  issue_tracker_user: rule(textParam(MAX_NAME)),
  issue_tracker_pass: rule(freeText),
  issue_tracker_api_token: rule(freeText),
  issue_tracker_validate_cert: rule(booleanParam, true),
  issue_tracker_project: rule(textParam(MAX_NAME, "the tracker project (Jira key, Rally project, GitHub repository)")),
  issue_tracker_title_format: rule(titleFormat, "$task_id $title"),
  issue_tracker_phases: rule(listOf(PHASES), "requirements,architecture-design,development"),
  issue_tracker_parent_issue: rule(textParam(MAX_NAME)),
  issue_tracker_issue_label: rule(textParam(MAX_NAME)),
  issue_tracker_project_version: rule(textParam(MAX_NAME)),
  issue_tracker_context: rule(textParam(MAX_NAME)),
  issue_tracker_standard_workflow: rule(booleanParam),
  sde_statuses_in_scope: rule(listOf(STATUSES), "TODO"),
  sde_verification_filter: rule(listOf(VERIFICATION_STATES), "none,partial,pass,fail"),
  conflict_policy: rule(choiceParam(["issue_tracker", "sde", "timestamp"]), "issue_tracker"),
  sde_min_priority: rule(priority, 7),
  sde_tags_filter: rule(freeText),
  how_tos_in_scope: rule(booleanParam),
  start_fresh: rule(booleanParam),
  selected_tasks: rule(taskIds),
  jira_version: rule(jiraVersion),
  rally_workspace: rule(textParam(MAX_NAME, "the Rally workspace name")),
  rally_card_type: rule(choiceParam(["Story", "Task"])),
  github_repo_owner: rule(textParam(MAX_NAME, "the GitHub user or organisation that owns the repository")),
  github_duplicate_label: rule(textParam(MAX_NAME)),
  // Pivotal Tracker (sync_pt, §3.3).
  pt_story_type: rule(choiceParam(["feature", "bug", "chore"])),
  pt_new_status: rule(choiceParam(["unstarted", "unscheduled", "started"])),
  pt_done_statuses: rule(listOf(["accepted", "delivered", "finished"])),
};
const RULED = Object.keys(PARAM_RULES);

/** What the server's plugins fill in for any param neither the connector nor the connection sets. */
export const PLUGIN_DEFAULTS: Readonly<Params> = Object.freeze(
  Object.fromEntries(RULED.flatMap((key) => (PARAM_RULES[key]!.fallback === undefined ? [] : [[key, PARAM_RULES[key]!.fallback!]]))),
);

/** A param without a rule: any plain scalar, a string bounded as a text param is. */
const otherParam: Field = (value) => {
  if (typeof value === "string") return freeText(value);
  if (typeof value === "number" || typeof value === "boolean") return { ok: true, value };
  return ofWrongKind(
    value === null
      ? "must not be null: to stop setting a param, remove its key"
      : "must be a string, number or boolean (params hold plain values, not lists or objects)",
  );
};

/** What cannot be a param name: empty, over 128 characters, spaces or control characters. */
const PARAM_NAME = /^[^\s\p{Cc}]{1,128}$/u;

export type ParamsVerdict = { ok: true; value: Params } | { ok: false; errors: string[] | FieldErrors };

/**
 * Judges a params map (already known to be an object): each value by its rule, then, when every value is
 * of its kind, the map as a whole (its size, its key names, none of the server's own params). Answers the
 * params as the server keeps them (`sde_min_priority` as an integer), ruled keys first.
 */
export function judgeParams(params: Readonly<Record<string, unknown>>): ParamsVerdict {
  const errors: Record<string, string[]> = {};
  const value: Params = {};
  let wrongKind = false;
  const judge = (key: string, field: Field) => {
    const verdict = field(params[key]);
    if (verdict.ok) value[key] = verdict.value as ParamValue;
    else {
      errors[key] = verdict.messages;
      wrongKind ||= verdict.wrongKind;
    }
  };
  for (const key of RULED) if (Object.hasOwn(params, key)) judge(key, PARAM_RULES[key]!.judge);
  const keys = Object.keys(params);
  for (const key of keys) if (!Object.hasOwn(PARAM_RULES, key)) judge(key, otherParam);

  if (!wrongKind) {
    if (keys.length > MAX_PARAMS) return { ok: false, errors: [`has ${keys.length} params: at most ${MAX_PARAMS}`] };
    for (const key of SERVER_SET_PARAMS)
      if (Object.hasOwn(params, key)) (errors[key] ??= []).push("is set by the server, not by a program: remove it");
    for (const key of keys) {
      if (!PARAM_NAME.test(key))
        (errors[key] ??= []).push("is not a param name: at most 128 characters, without spaces or control characters");
    }
  }
  return Object.keys(errors).length === 0 ? { ok: true, value } : { ok: false, errors };
}

/**
 * JSON may name a param `__proto__`, which no param is and which parsing into an object would lose:
 * refused by name, before anything else, like any other impossible param name.
 */
export function protoParamRefused(params: unknown): FieldErrors | undefined {
  return typeof params === "object" && params !== null && Object.hasOwn(params, "__proto__")
    ? { params: { ["__proto__"]: ["is not a param name: remove it"] } }
    : undefined;
}

/**
 * Connectors spell the title format `title_format` (connectors page), connections
 * `issue_tracker_title_format` (API page): a connector's key is read as the connection's (§2.3), an
 * explicit connection-style key winning over it.
 */
const CONNECTOR_KEY_ALIASES: Readonly<Record<string, string>> = { title_format: "issue_tracker_title_format" };

/** A connector's params with its keys spelt as a connection's. */
export function connectorKeysAsConnection(params: Readonly<Params>): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    const alias = CONNECTOR_KEY_ALIASES[key];
    if (alias !== undefined && Object.hasOwn(params, alias)) continue;
    out[alias ?? key] = value;
  }
  return out;
}

/**
 * A connector's params as its connections inherit them: keys spelt as a connection's, values as the
 * params rules keep them (`sde_min_priority: "7"` → 7, §2.2). Data the rules refuse is passed on as it is.
 */
export function connectorParamsAsConnection(params: Readonly<Params>): Params {
  const renamed = connectorKeysAsConnection(params);
  const judged = judgeParams(renamed);
  return judged.ok ? judged.value : renamed;
}
