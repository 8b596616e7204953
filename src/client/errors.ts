import { fieldErrorEntries, flattenFieldErrors, type FieldErrors } from "../schema/api-error";

// Advice by status lives with the rest of the client's wording; it is exported here as before.
export { hintForStatus } from "./messages";

/**
 * What went wrong, in one word:
 * - `http`: the API answered with an error status (its message and field errors are attached);
 * - `network`: no answer: connection refused, reset, closed;
 * - `timeout`: the server took longer than the configured timeout to answer, or the whole request (every
 *   attempt and wait, a body that trickles in) outlasted its deadline of timeout + retry time;
 * - `outcome_unknown`: a create was sent but no answer came back, so it may or may not have been applied
 *   (it is never re-sent blindly: look the connection up before trying again);
 * - `invalid_response`: the API answered 2xx with a body that does not match its documented shape, or an
 *   answer larger than the client reads (maxResponseBytes);
 * - `invalid_input`: the request was refused before sending, because its data is invalid;
 * - `config`: the client's own settings are invalid (URL, token, CA file...): an SdeConfigError.
 */
export type SdeApiErrorKind = "http" | "network" | "timeout" | "outcome_unknown" | "invalid_response" | "invalid_input" | "config";

export interface SdeApiErrorDetails {
  kind: SdeApiErrorKind;
  /** HTTP status of the last answer, if there was one. */
  status?: number | undefined;
  method?: string | undefined;
  /** Path and query of the request (never the origin's credentials, never the token). */
  path?: string | undefined;
  /** The API's own message (`detail`), already redacted. */
  apiMessage?: string | undefined;
  /** The API's field errors (400), already redacted. */
  fieldErrors?: FieldErrors | undefined;
  /** A plain sentence on what to do about it. */
  hint?: string | undefined;
  /** How many attempts were made (retries included). */
  attempts?: number | undefined;
  /** How long all attempts took, in milliseconds. */
  elapsedMs?: number | undefined;
  /** Low-level error code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT...), for network errors. */
  code?: string | undefined;
  /**
   * For `invalid_response`: the `id` the refused answer carried, if any. A create answered 2xx was
   * applied even though its answer is unusable, and this is the object it made.
   */
  answerId?: number | undefined;
  /** An earlier attempt of this request may have been applied (its answer was lost, or a gateway failed). */
  uncertain?: boolean | undefined;
}

/**
 * The client's error type (wrong settings are its subclass SdeConfigError). Its message is complete and
 * safe to print: it names the request, the status, the API's message and field errors, the attempts made
 * and a hint, and has been redacted of the API token and of every credential param of the request.
 */
export class SdeApiError extends Error {
  override readonly name = "SdeApiError";
  readonly kind: SdeApiErrorKind;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly apiMessage: string | undefined;
  readonly fieldErrors: FieldErrors | undefined;
  readonly hint: string | undefined;
  readonly attempts: number | undefined;
  readonly elapsedMs: number | undefined;
  readonly code: string | undefined;
  readonly answerId: number | undefined;
  readonly uncertain: boolean | undefined;

  constructor(summary: string, details: SdeApiErrorDetails) {
    super(composeMessage(summary, details));
    this.kind = details.kind;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.apiMessage = details.apiMessage;
    this.fieldErrors = details.fieldErrors;
    this.hint = details.hint;
    this.attempts = details.attempts;
    this.elapsedMs = details.elapsedMs;
    this.code = details.code;
    this.answerId = details.answerId;
    this.uncertain = details.uncertain;
    // The message says everything a user can act on; frames inside this package would only be noise
    // in `pulumi up` output.
    this.stack = `${this.name}: ${this.message}`;
  }

  /** Field errors as `field: message` lines (`params.issue_tracker_project: ...`). */
  get fieldMessages(): string[] {
    return this.fieldErrors ? flattenFieldErrors(this.fieldErrors) : [];
  }
}

export function isSdeApiError(value: unknown): value is SdeApiError {
  return value instanceof SdeApiError;
}

/**
 * A mistake in the client's settings (the options given in code, the stack config `sdelements:*`, the
 * SDE_* variables, a proxy variable, the CA file), found before any request is sent. It is an SdeApiError
 * of kind `config` with its own class, so a caller can tell "fix the settings" from a failed request;
 * its name stays SdeApiError, so code that tells errors apart by name, and the line users see, are as
 * before. The message names each bad setting and its fix, never the token.
 */
export class SdeConfigError extends SdeApiError {
  declare readonly kind: "config";

  constructor(message: string) {
    super(message, { kind: "config" });
  }
}

export function isSdeConfigError(value: unknown): value is SdeConfigError {
  return value instanceof SdeConfigError;
}

function composeMessage(summary: string, d: SdeApiErrorDetails): string {
  const request = d.method && d.path ? `${d.method} ${d.path}` : undefined;
  const head = [request, d.status !== undefined ? `${d.status}` : undefined].filter(Boolean).join(" → ");
  const parts = [head ? `${head}: ${summary}` : summary];
  if (d.apiMessage && !summary.includes(d.apiMessage)) parts.push(d.apiMessage);
  // Field errors the summary does not already spell out (under its own name for the field or not).
  const fields = (d.fieldErrors ? fieldErrorEntries(d.fieldErrors) : [])
    .filter((e) => !summary.includes(e.message))
    .map((e) => `${e.path}: ${e.message}`);
  if (fields.length > 0) parts.push(fields.join("; "));
  if (d.attempts !== undefined && d.attempts > 1) {
    parts.push(`gave up after ${d.attempts} attempts over ${((d.elapsedMs ?? 0) / 1000).toFixed(1)} s`);
  }
  if (d.hint) parts.push(d.hint);
  return parts.join(". ").replace(/\.\./g, ".");
}
