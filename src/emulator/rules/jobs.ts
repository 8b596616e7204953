import {
  boolean,
  isPlainObject,
  expected,
  maxLength,
  optional,
  text,
  wholeNumber,
  type BodyVerdict,
  type Field,
  type FieldErrors,
} from "./fields";

/**
 * The body of `POST /api/v2/jobs/issue-tracker/` (reference/sde-api.md §2.5, the jobs page): "Initiate a
 * sync" sends `connection`, `automatic` and `ready: false`; "Post results" (a remote runner) sends
 * `connection`, `automatic`, `succeeded` and `result_message`. No other field is taken.
 */

export interface JobBody {
  connection: number;
  automatic: boolean;
  ready: boolean;
  succeeded: boolean;
  result_message: string;
}

const TRUE_OR_FALSE = "must be true or false";
const FIELDS: Readonly<Record<keyof JobBody, Field>> = {
  connection: wholeNumber(
    () => "must be the id of the connection the job belongs to",
    (id) => (id > 0 ? undefined : "must be the id of the connection the job belongs to"),
  ),
  automatic: boolean((value) =>
    value === undefined ? "is required: true for a scheduled sync, false for one started by hand" : TRUE_OR_FALSE,
  ),
  ready: optional(boolean(() => TRUE_OR_FALSE)),
  succeeded: optional(boolean(() => TRUE_OR_FALSE)),
  // Bounded: a result is a line of a sync log, not a document. (The message for a longer one is the same
  // as for a non-string, as the client's schema words it: see the emulator README.)
  result_message: optional(
    text(
      () => "must be a string",
      (s) => (maxLength(4096)(s) === undefined ? undefined : "must be a string"),
    ),
  ),
};
const NAMES = Object.keys(FIELDS);

export function readJob(raw: unknown): BodyVerdict<JobBody> {
  const sent = raw ?? {};
  if (!isPlainObject(sent)) return { ok: false, errors: { non_field_errors: [expected("object")(sent)] } };
  const errors: FieldErrors = {};
  const job: Partial<JobBody> = {};
  let wrongKind = false;
  for (const name of NAMES as (keyof JobBody)[]) {
    const verdict = FIELDS[name](sent[name]);
    if (verdict.ok) (job as Record<string, unknown>)[name] = verdict.value;
    else {
      errors[name] = verdict.messages;
      wrongKind ||= verdict.wrongKind;
    }
  }
  const unknown = Object.keys(sent).filter((key) => !NAMES.includes(key));
  if (unknown.length > 0)
    errors.non_field_errors = [`Unrecognized key${unknown.length === 1 ? "" : "s"}: ${unknown.map((k) => JSON.stringify(k)).join(", ")}`];

  // The body's own rules, once each field has a value of its kind (DRF's `validate`).
  if (!wrongKind) {
    if (job.ready === undefined && (job.succeeded === undefined || job.result_message === undefined)) {
      errors.ready = ["is required: false queues a sync; to record a finished one, give succeeded and result_message"];
    }
    // A queued job has not run: it cannot have succeeded (its connection would show a sync that never was).
    if (job.ready === false && job.succeeded === true)
      errors.succeeded = ["must be false for a queued job (ready: false): it has not run yet"];
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      connection: job.connection!,
      automatic: job.automatic!,
      ready: job.ready ?? true,
      succeeded: job.succeeded ?? false,
      result_message: job.result_message ?? "",
    },
  };
}
