import type { Dispatcher } from "undici";
import type { z } from "zod";
import { apiErrorBodySchema, type FieldErrors } from "../schema/api-error";
import { redact, redactDeep } from "../schema/secrets";
import { describeIssues } from "../schema/validation";
import { BUDGET_OPTION, PausedPastRetryTimeError } from "./budget-interceptor";
import { createDispatcher } from "./dispatcher";
import { SdeApiError, type SdeApiErrorDetails, type SdeApiErrorKind } from "./errors";
import { answerTooLarge, budgetSpentHint, deadlineMissed, hintForStatus, HINTS, redirectedTo, statusText } from "./messages";
import { baseUrlOf, type ClientOptions } from "./options";
import { RequestBudget } from "./request-budget";
import {
  backoffMs,
  CERTIFICATE_CODES,
  isNotSentCode,
  proxyRefusal,
  retryDecider,
  type AttemptRecord,
  type RetryClass,
} from "./retry-policy";

export interface ApiRequest<S extends z.ZodType> {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path under the server's base URL (`/api/v2/...`, trailing slash included), or an absolute `next` URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Schema of a 2xx body; omit for 204 answers. */
  schema?: S;
  retry: RetryClass;
  /** Values to hide from every message about this request, besides the token (credential params). */
  secrets?: readonly string[];
  /** Statuses answered as data rather than thrown (e.g. 400 from the test endpoint). */
  acceptStatuses?: readonly number[];
  /** For a create: what it makes, for messages about an unknown outcome (default "the connection"). */
  creates?: string;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  /** Attempts made (1 when the first succeeded). */
  attempts: number;
}

// undici's codes for "the server did not answer in time".
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** undici's code for an answer that outgrew maxResponseSize (it stops reading there). */
const TOO_LARGE_CODE = "UND_ERR_RES_EXCEEDED_MAX_SIZE";

/** The reason a request's total deadline aborts it with: told apart from every other failure by identity. */
const DEADLINE = new Error("the request's total deadline passed");

type Where = { method: string; path: string };

/**
 * Requests to one SD Elements server, through the dispatcher (sockets, proxies, TLS, timeouts, retries):
 * a total deadline and the retry policy on each, all of them within one request budget, JSON both ways, every 2xx body checked against its
 * schema, every failure turned into one redacted SdeApiError with its advice.
 */
export class Transport {
  private readonly dispatcher: Dispatcher;
  /** Every request's attempts share it: how many are in flight, and the pause after a throttle. */
  private readonly budget: RequestBudget;
  private readonly base: URL;
  /** The base URL's path without its trailing slash, what every API path goes under. */
  private readonly basePath: string;

  constructor(private readonly options: ClientOptions) {
    this.base = new URL(baseUrlOf(options.url) + "/");
    this.basePath = this.base.pathname.replace(/\/$/, "");
    this.budget = new RequestBudget({
      maxConcurrentRequests: options.maxConcurrentRequests,
      adaptive: options.adaptiveThrottling,
      // A throttle without Retry-After pauses as a request would have waited: the same backoff.
      backoffMs: (throttlesInARow) => backoffMs(throttlesInARow, options),
    });
    this.dispatcher = createDispatcher(options, this.budget);
  }

  /**
   * Sends the request (retrying as the policy allows) and returns the parsed body; throws SdeApiError, with
   * the token and the request's credentials hidden from every part of it.
   *
   * undici's timeouts are per attempt and per chunk of the body: a server that trickles its answer would
   * keep a request for ever. The whole request (waits and every attempt) therefore has a deadline of
   * timeoutMs + retryTimeoutMs, after which it is aborted through its signal.
   */
  async send<S extends z.ZodType>(req: ApiRequest<S>): Promise<ApiResponse<z.output<S>>> {
    const where: Where = { method: req.method, path: this.resolve(req.path, req.query) };
    const secrets = [this.options.token, ...(req.secrets ?? [])];
    const record: AttemptRecord = { startedAt: Date.now(), attempts: 1 };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(DEADLINE), this.options.timeoutMs + this.options.retryTimeoutMs);

    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await this.dispatcher.request({
        origin: this.base.origin,
        path: where.path,
        method: req.method,
        headers: {
          authorization: `Token ${this.options.token}`,
          accept: "application/json",
          "user-agent": "pulumi-sdelements",
          ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        signal: deadline.signal,
        retryOptions: { retry: retryDecider(req.retry, this.options, record, this.budget) },
        [BUDGET_OPTION]: record,
      } as Dispatcher.RequestOptions);
      record.answered = true;
      text = await response.body.text();
    } catch (cause) {
      this.log(where, "no answer", record, secrets);
      throw this.noAnswerError(deadline.signal.aborted ? DEADLINE : cause, req, where, record, secrets);
    } finally {
      clearTimeout(timer);
    }
    this.log(where, String(response.statusCode), record, secrets);
    return this.interpret(req, response.statusCode, text, where, record, secrets, response.headers.location);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * The path and query to request on the configured origin: a path under the base URL, or an absolute URL
   * the server gave (pagination's `next`), which must be on the same host.
   */
  private resolve(path: string, query: ApiRequest<z.ZodType>["query"]): string {
    let target: string;
    if (/^https?:\/\//.test(path)) {
      const url = new URL(path);
      // Behind a TLS-terminating proxy the server may link to itself as http://same-host/...: same host,
      // so the link is followed on the configured origin. Any other host would be sent the token.
      if (url.hostname !== this.base.hostname) {
        throw apiError(
          `the server linked to another origin (${url.origin}); refusing to send the token there`,
          { kind: "invalid_response" },
          [this.options.token],
        );
      }
      target = url.pathname + url.search;
    } else {
      target = this.basePath + (path.startsWith("/") ? path : `/${path}`);
    }
    const extra = Object.entries(query ?? {}).filter(([, value]) => value !== undefined);
    if (extra.length === 0) return target;
    const [pathname, search = ""] = target.split("?");
    const params = new URLSearchParams(search);
    for (const [key, value] of extra) params.set(key, String(value));
    return `${pathname}?${params}`;
  }

  private interpret<S extends z.ZodType>(
    req: ApiRequest<S>,
    status: number,
    text: string,
    where: Where,
    record: AttemptRecord,
    secrets: readonly string[],
    location?: string | string[],
  ): ApiResponse<z.output<S>> {
    // Only errors carry the context; a success does not pay for building it.
    const context = () => ({
      ...where,
      status,
      attempts: record.attempts,
      elapsedMs: Date.now() - record.startedAt,
      uncertain: record.uncertain,
    });
    const accepted = req.acceptStatuses?.includes(status) ?? false;
    if ((status >= 200 && status < 300) || accepted) {
      if (!req.schema) return { status, data: undefined as z.output<S>, attempts: record.attempts };
      const json = parseJson(text);
      const parsed = req.schema.safeParse(json.ok ? json.value : undefined);
      if (!json.ok || !parsed.success) {
        const why = !json.ok ? "the body is not JSON" : describeIssues(parsed.error!).join("; ");
        const id = json.ok ? (json.value as { id?: unknown } | null)?.id : undefined;
        throw apiError(
          `the API's answer does not have the documented shape: ${why}`,
          {
            kind: "invalid_response",
            ...context(),
            answerId: Number.isSafeInteger(id) ? (id as number) : undefined,
            hint: HINTS.undocumentedShape,
          },
          secrets,
        );
      }
      // Where error answers are taken as data (the connection test), any answer may be an error message,
      // a 200 that says `success: false` included: hide the secrets in it too.
      const data = req.acceptStatuses !== undefined ? redactDeep(parsed.data, secrets) : parsed.data;
      return { status, data, attempts: record.attempts };
    }
    if (status >= 300 && status < 400) throw this.redirectError(status, location, context(), secrets);
    const { apiMessage, fieldErrors } = readErrorBody(text, secrets);
    // A 502 or 504 to a create may come from a proxy after the server applied it; a 500 may come after
    // the object was saved (a failure while answering, or a save outside a transaction).
    const unknownOutcome = req.retry === "create" && (status === 500 || status === 502 || status === 504);
    const kind: SdeApiErrorKind = unknownOutcome ? "outcome_unknown" : "http";
    const summary = unknownOutcome
      ? `no reliable answer (${status}): ${req.creates ?? "the connection"} may or may not have been created`
      : (apiMessage ?? statusText(status));
    throw apiError(
      summary,
      {
        kind,
        ...context(),
        apiMessage,
        fieldErrors,
        hint: record.budgetSpent
          ? budgetSpentHint(record, this.options)
          : status === 404 && !/\/\d+\/|[?&]page=/.test(where.path)
            ? HINTS.apiNotFound
            : hintForStatus(status),
      },
      secrets,
    );
  }

  /**
   * Redirects are not followed (the token would go wherever they point); the error names where the server
   * sends its clients, which is usually the address sdelements:url should have (https, another host).
   */
  private redirectError(
    status: number,
    location: string | string[] | undefined,
    context: Partial<SdeApiErrorDetails>,
    secrets: readonly string[],
  ): SdeApiError {
    const target = Array.isArray(location) ? location[0] : location;
    let origin: string | undefined;
    try {
      origin = target ? new URL(target, this.base).origin : undefined;
    } catch {
      origin = undefined;
    }
    return apiError(
      `the server redirects this request${origin ? ` to ${origin}` : ""} (HTTP ${status}), and redirects are not followed: the API token would go with them`,
      {
        kind: "http",
        ...context,
        hint: origin && origin !== this.base.origin ? redirectedTo(origin) : HINTS.redirected,
      },
      secrets,
    );
  }

  private noAnswerError(
    cause: unknown,
    req: Pick<ApiRequest<z.ZodType>, "retry" | "creates">,
    where: Where,
    record: AttemptRecord,
    secrets: readonly string[],
  ): SdeApiError {
    const code = cause === DEADLINE ? undefined : (cause as { code?: string }).code;
    const message = cause instanceof Error ? cause.message : String(cause);
    const context = { ...where, code, attempts: record.attempts, elapsedMs: Date.now() - record.startedAt };
    const fail = (summary: string, details: Omit<SdeApiErrorDetails, keyof typeof context>) =>
      apiError(summary, { ...context, ...details }, secrets);
    const timedOut = cause === DEADLINE || (code !== undefined && TIMEOUT_CODES.has(code));
    const made = req.creates ?? "the connection";
    const lookUp = req.creates ? HINTS.lookUp : HINTS.lookUpConnection;
    if (cause instanceof PausedPastRetryTimeError) {
      // Nothing was sent (again): a create too is a plain failure.
      return fail(
        `the server is throttling${cause.status ? ` (HTTP ${cause.status})` : ""}: the client's requests are paused for another ${Math.ceil(cause.waitMs / 1000)} s, past this request's retry time, so it was not sent${record.attempts > 1 ? " again" : ""}`,
        { kind: "http", status: cause.status, hint: budgetSpentHint(record, this.options) },
      );
    }
    const refusedBy = proxyRefusal({ code, message });
    if (refusedBy !== undefined) {
      // Nothing reached the server: a create too is a plain failure, with nothing to look up.
      return fail(
        `the proxy refused to pass the request on (HTTP ${refusedBy}${refusedBy === 407 ? " Proxy Authentication Required" : ""}): it was not sent to the server`,
        {
          kind: "network",
          hint: refusedBy === 407 ? HINTS.proxyCredentials : HINTS.proxyRefused,
        },
      );
    }
    if (cause === DEADLINE) {
      const within = `${deadlineMissed(this.options.timeoutMs, this.options.retryTimeoutMs)}, ${record.answered ? "the answer still arriving" : "still waiting for an answer"}`;
      return req.retry === "create"
        ? fail(`${within}: ${made} may or may not have been created`, { kind: "outcome_unknown", hint: lookUp })
        : fail(within, { kind: "timeout", hint: HINTS.slowAnswer });
    }
    if (code === TOO_LARGE_CODE) {
      const tooLarge = answerTooLarge(formatBytes(this.options.maxResponseBytes));
      return req.retry === "create"
        ? fail(`${tooLarge}: ${made} was probably created`, { kind: "outcome_unknown", hint: lookUp })
        : fail(tooLarge, { kind: "invalid_response", hint: HINTS.tooLarge });
    }
    if (record.answered) {
      const cut = `the answer was cut off after the server had begun it (${code ?? message})`;
      return req.retry === "create"
        ? fail(`${cut}: ${made} was probably created`, { kind: "outcome_unknown", hint: lookUp })
        : fail(cut, { kind: "network", hint: HINTS.cutOff });
    }
    if (req.retry === "create" && !isNotSentCode(code)) {
      return fail(
        `${timedOut ? "no answer in time" : `the connection broke (${code ?? message})`}: ${made} may or may not have been created`,
        { kind: "outcome_unknown", hint: lookUp },
      );
    }
    if (timedOut) {
      return fail(`no answer within ${this.options.timeoutMs / 1000} s`, { kind: "timeout", hint: HINTS.noAnswer });
    }
    if (code !== undefined && CERTIFICATE_CODES.has(code)) {
      return fail(`the server's TLS certificate is not trusted (${code}: ${message})`, {
        kind: "network",
        hint: HINTS.untrustedCertificate,
      });
    }
    // Refused or unknown hosts are fixed in the settings, not by retrying longer: that advice comes first.
    return fail(`could not reach the server (${code ?? "error"}: ${message})`, {
      kind: "network",
      hint: record.budgetSpent && !isNotSentCode(code) ? budgetSpentHint(record, this.options) : HINTS.unreachable,
    });
  }

  private log(where: Where, outcome: string, record: AttemptRecord, secrets: readonly string[]): void {
    if (!this.options.logger) return;
    // The path too: a token pasted into sdelements:url by mistake would be in it.
    this.options.logger(
      `${where.method} ${redact(where.path, secrets)} → ${outcome} in ${Date.now() - record.startedAt} ms (${record.attempts} attempt${record.attempts === 1 ? "" : "s"})`,
    );
  }
}

/**
 * An SdeApiError with the secrets hidden from every text in it: the summary, the path (a token pasted into
 * sdelements:url lands there), the API's message and field errors (keys included), the hint.
 */
function apiError(summary: string, details: SdeApiErrorDetails, secrets: readonly string[]): SdeApiError {
  const hide = (text: string | undefined) => (text === undefined ? undefined : redact(text, secrets));
  return new SdeApiError(redact(summary, secrets), {
    ...details,
    path: hide(details.path),
    apiMessage: hide(details.apiMessage),
    hint: hide(details.hint),
    fieldErrors: details.fieldErrors && redactDeep(details.fieldErrors, secrets),
  });
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The API's message and field errors from an error body, redacted; tolerant of HTML and empty bodies. */
function readErrorBody(text: string, secrets: readonly string[]): { apiMessage?: string; fieldErrors?: FieldErrors } {
  const json = parseJson(text);
  // Redacted before it is cut short (a secret cut in two would no longer be found), from a start long
  // enough to hold any secret that begins within what is kept.
  if (!json.ok)
    return text.trim() && !text.trimStart().startsWith("<")
      ? { apiMessage: redact(text.trim().slice(0, 16_384), secrets).slice(0, 300) }
      : {};
  const parsed = apiErrorBodySchema.safeParse(json.value);
  if (!parsed.success) return {};
  if (Array.isArray(parsed.data)) return parsed.data.length > 0 ? { apiMessage: redact(parsed.data.join("; "), secrets) } : {};
  const body = parsed.data as Record<string, unknown>;
  if (typeof body.detail === "string") {
    return { apiMessage: redact(body.detail, secrets) };
  }
  return { fieldErrors: redactDeep(body as FieldErrors, secrets) };
}
