import {
  describeKind,
  expected,
  isPlainObject,
  optional,
  primaryKey,
  text,
  type BodyVerdict,
  type Field,
  type FieldErrors,
} from "./fields";
import { judgeParams, type Params } from "./params";

/**
 * The body of `POST /api/v2/connections/test-issue-tracker/` (API page). The page's field table asks for
 * `name`, `system` and `params`, but its own example sends `connector`, `alias`, `project`, `system` and
 * `params` and no `name`: the emulator takes the example's fields, each optional but `params`, and the
 * route requires `system` only when no `connector` gives it (emulator README). Other fields are ignored.
 */

export interface TestBody {
  connector: number | undefined;
  project: number | undefined;
  /** `system.id`, when a system is given. */
  systemId: string | undefined;
  params: Params;
}

const FIELDS: readonly [string, Field][] = [
  ["connector", optional(primaryKey("issue-tracker connector to test with"))],
  ["project", optional(primaryKey("SD Elements project"))],
  ["alias", optional(text(expected("string")))],
  ["name", optional(text(expected("string")))],
];

export function readConnectionTest(raw: unknown): BodyVerdict<TestBody> {
  const sent = raw ?? {};
  if (!isPlainObject(sent)) return { ok: false, errors: { non_field_errors: [expected("object")(sent)] } };
  const errors: FieldErrors = {};
  for (const [name, field] of FIELDS) {
    const verdict = field(sent[name]);
    if (!verdict.ok) errors[name] = verdict.messages;
  }

  let systemId: string | undefined;
  if (isPlainObject(sent.system)) {
    if (typeof sent.system.id === "string") systemId = sent.system.id;
    else errors.system = { id: ['must name the system, e.g. { id: "jira" }'] };
  } else if (sent.system !== undefined) {
    errors.system = [expected("object")(sent.system)];
  }

  let params: Params = {};
  if (isPlainObject(sent.params)) {
    const judged = judgeParams(sent.params);
    if (judged.ok) params = judged.value;
    else errors.params = judged.errors;
  } else {
    errors.params = [
      sent.params === undefined
        ? 'is required: a map of param names to values, e.g. { issue_tracker_project: "KEY" }'
        : `must be a map of param names to values, not ${describeKind(sent.params)}: e.g. { issue_tracker_project: "KEY" }`,
    ];
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { connector: sent.connector as number | undefined, project: sent.project as number | undefined, systemId, params },
  };
}
