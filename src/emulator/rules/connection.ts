import { listed, unknownKeysMessage } from "../../schema/unknown-keys";
import {
  boolean,
  booleanMessage,
  choice,
  describeKind,
  isPlainObject,
  maxLength,
  notBlank,
  optional,
  primaryKey,
  text,
  type BodyVerdict,
  type Check,
  type Field,
  type FieldErrors,
} from "./fields";
import { judgeParams, protoParamRefused, SERVER_SET_PARAMS, type Params } from "./params";

/**
 * The body of a connection create (POST) and update (PATCH), as the API page's field table gives it:
 * `alias`, `connector` and `project` required, `frequency` and `debug_mode` optional, `params` required
 * (a dictionary of connection options). What needs the server's data (ids that exist, the organisation's
 * settings, the merged params) is judged by the route once the body is read.
 */

/** API page: "hourly", "daily", "weekly", "monthly" and "manually", in lower case. */
export const FREQUENCIES = ["hourly", "daily", "weekly", "monthly", "manually"] as const;
export type Frequency = (typeof FREQUENCIES)[number];
/** API page: the default, and the one choice of an organisation without the advanced feature. */
export const MANUALLY: Frequency = "manually";

/** A DRF CharField's max_length for a name. */
const MAX_ALIAS = 255;

// Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional overrides and
// isolates: invisible in the UI, they break sync logs or make the name read in another order than stored.
const INVISIBLE_OR_REORDERING = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const singleLine: Check<string> = (s) =>
  INVISIBLE_OR_REORDERING.test(s)
    ? "must not contain control characters (tabs, newlines, NUL, text-direction overrides): use a single line of plain text"
    : undefined;

/** A name, trimmed before it is judged and stored as DRF's CharField does (emulator README). */
export const aliasField: Field<string> = text(
  (value) =>
    value === undefined
      ? "is required: the name of the connection as SD Elements shows it"
      : `must be a string (the connection's name), not ${describeKind(value)}`,
  maxLength(MAX_ALIAS),
  notBlank("must not be empty: give the connection a name"),
  singleLine,
);

export const frequencyField: Field<Frequency> = choice(FREQUENCIES, (value) => {
  if (typeof value === "string" && (FREQUENCIES as readonly string[]).includes(value.trim().toLowerCase())) {
    return `"${value}" is not a valid choice: write it in lower case, "${value.trim().toLowerCase()}"`;
  }
  if (typeof value !== "string" && typeof value !== "number") return `must be one of ${FREQUENCIES.join(", ")}, not ${describeKind(value)}`;
  return `${JSON.stringify(value)} is not a valid choice: use one of ${FREQUENCIES.join(", ")}`;
});

const FIELDS = {
  alias: aliasField,
  connector: primaryKey("issue-tracker connector the connection uses"),
  project: primaryKey("SD Elements project the connection belongs to"),
  frequency: optional(frequencyField),
  debug_mode: optional(boolean(booleanMessage)),
};
const WRITABLE = [...Object.keys(FIELDS), "params"];

/**
 * Fields the server shows and ignores in a request (DRF read-only fields): a GET's body, changed and sent
 * back, is a valid PATCH.
 */
const READ_ONLY = ["id", "system", "command", "inaccessible", "in_progress", "last_job"];

export interface ConnectionBody {
  alias: string;
  connector: number;
  project: number;
  frequency: Frequency | undefined;
  debug_mode: boolean | undefined;
  /** The connection's own params as sent (nulls taken out: see `removed`). */
  params: Params;
}

/** The params of a request: without the server's own (read-only) and with nulls apart, as "no override". */
function ownParams(sent: Record<string, unknown>): { params: Record<string, unknown>; removed: string[] } {
  const kept: [string, unknown][] = [];
  const removed: string[] = [];
  for (const [key, value] of Object.entries(sent)) {
    if (SERVER_SET_PARAMS.includes(key)) continue;
    if (value === null) removed.push(key);
    else kept.push([key, value]);
  }
  // Object.fromEntries defines own properties, so a "__proto__" key cannot reach a prototype.
  return { params: Object.fromEntries(kept), removed };
}

/**
 * Reads a create (`partial: false`) or an update (`partial: true`, every field optional, DRF's
 * `partial=True`). Answers the fields sent, and for an update the params sent as null (which remove the
 * connection's own value), or the DRF 400 body.
 */
function readBody(raw: unknown, partial: boolean): BodyVerdict<{ body: Partial<ConnectionBody>; removed: string[] }> {
  const refused = protoParamRefused(isPlainObject(raw) ? raw.params : undefined);
  if (refused) return { ok: false, errors: refused };
  // No body (or JSON null) is an empty object: every required field is then reported missing.
  const sent = raw === undefined || raw === null ? {} : raw;
  if (!isPlainObject(sent)) return { ok: false, errors: { non_field_errors: ["must be a JSON object"] } };

  const errors: FieldErrors = {};
  const body: Partial<ConnectionBody> = {};
  for (const [name, field] of Object.entries(FIELDS) as [keyof typeof FIELDS, Field][]) {
    let value = sent[name];
    if (partial && value === undefined) continue;
    if (name === "alias" && typeof value === "string") value = value.trim();
    const verdict = field(value);
    if (verdict.ok) (body as Record<string, unknown>)[name] = verdict.value;
    else errors[name] = verdict.messages;
  }

  let removed: string[] = [];
  if (isPlainObject(sent.params)) {
    const own = ownParams(sent.params);
    removed = own.removed;
    const judged = judgeParams(own.params);
    if (judged.ok) body.params = judged.value;
    else errors.params = judged.errors;
  } else if (!(partial && sent.params === undefined)) {
    errors.params = [
      sent.params === undefined
        ? 'is required: a map of param names to values, e.g. { issue_tracker_project: "KEY" }'
        : partial
          ? `must be a map of param names to values (null removes one), not ${describeKind(sent.params)}`
          : `must be a map of param names to values, not ${describeKind(sent.params)}: e.g. { issue_tracker_project: "KEY" }`,
    ];
  }

  const unknown = Object.keys(sent).filter((key) => !WRITABLE.includes(key) && !READ_ONLY.includes(key));
  if (unknown.length > 0) {
    errors.non_field_errors = [
      unknownKeysMessage(unknown, WRITABLE, { one: "field", many: "fields" }, `a connection has ${listed(WRITABLE)}`),
    ];
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { body, removed } };
}

/** A create's body: every required field, its params without nulls (a null is the same as no key). */
export function readConnectionCreate(raw: unknown): BodyVerdict<ConnectionBody> {
  const read = readBody(raw, false);
  return read.ok ? { ok: true, value: read.value.body as ConnectionBody } : read;
}

/** An update's body: the fields sent, and the params sent as null (each removes the connection's own value). */
export function readConnectionUpdate(raw: unknown): BodyVerdict<{ body: Partial<ConnectionBody>; removed: string[] }> {
  return readBody(raw, true);
}
