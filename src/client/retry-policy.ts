/**
 * When to try a request again, and how long to wait first. undici's retry interceptor does the re-sending;
 * this decides, because the default policy does not know what this API's requests may safely repeat.
 *
 * - Reads, updates (PATCH sets values: sending it twice gives the same result), deletes and connection
 *   tests are retried on 429, 502, 503 and 504 and when the connection fails.
 * - A create (POST) makes a new connection each time it is applied, so it is retried only when the server
 *   certainly did not apply it: 429 and 503 (the server declined it), connection failures that happen
 *   before anything was sent, and a proxy's refusal to pass it on (but 407, which needs credentials).
 *   After a reset, a timeout, a 500, a 502 or a 504 its outcome is unknown and the caller is told so
 *   instead (kind `outcome_unknown`), never re-sent.
 * - `Retry-After` (seconds or an HTTP date) is honoured; otherwise exponential backoff with jitter. With
 *   the shared budget (./request-budget), a throttled request waits for the budget's pause instead, which
 *   its answer set or extended, and every wait is spent in the budget's queue, holding no slot.
 * - Both the number of attempts and the total time are capped.
 */
import { THROTTLE_STATUSES, type RequestBudget } from "./request-budget";

export type RetryClass = "idempotent" | "create";

export interface RetryBudget {
  maxAttempts: number;
  retryTimeoutMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

/** What happened to one request across its attempts; filled in by the policy as it decides. */
export interface AttemptRecord {
  readonly startedAt: number;
  /** Attempts made so far (the first included). */
  attempts: number;
  lastStatus?: number | undefined;
  lastCode?: string | undefined;
  /** Why retrying stopped although the failure was retryable. */
  budgetSpent?: "attempts" | "time" | undefined;
  /** An earlier attempt may have been applied: its connection broke after sending, or a gateway failed. */
  uncertain?: boolean | undefined;
  /** The answer had begun (headers received): a failure now is not retried (the body cannot be resumed). */
  answered?: boolean | undefined;
  /** The end of the request's own wait before its next attempt (epoch ms), which the budget holds it to. */
  nextAttemptAt?: number | undefined;
}

/** Whether an attempt starting at `at` would start past the request's retry time (its waits included). */
export function pastRetryTime(record: AttemptRecord, at: number, budget: Pick<RetryBudget, "retryTimeoutMs">): boolean {
  return at - record.startedAt > budget.retryTimeoutMs;
}

const RETRYABLE_STATUSES: Record<RetryClass, readonly number[]> = {
  idempotent: [429, 502, 503, 504],
  create: [429, 503],
};

/** Failures that happen before a byte of the request reaches the server. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Failures before anything was sent that the same request will meet again: the certificate is not trusted,
 * or a header cannot be sent at all. Never retried.
 */
export const CERTIFICATE_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REVOKED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const PERMANENT_NOT_SENT_CODES = new Set([...CERTIFICATE_CODES, "UND_ERR_INVALID_ARG"]);

/** The connection broke; the request may have been sent and applied. */
const CONNECTION_LOST_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

export function isNotSentCode(code: string | undefined): boolean {
  return code !== undefined && (NOT_SENT_CODES.has(code) || PERMANENT_NOT_SENT_CODES.has(code));
}

/**
 * The status a proxy refused the request with, before anything reached the server: a CONNECT tunnel it
 * would not open (an https server), or a 407 to a forwarded request (an http server). undici tells these
 * apart from a dropped connection only by its message (code UND_ERR_ABORTED, or UND_ERR_INVALID_ARG for
 * the 407), so that is what is read.
 */
export function proxyRefusal(failure: { code?: string | undefined; message?: string | undefined }): number | undefined {
  const message = failure.message ?? "";
  const tunnel = failure.code === "UND_ERR_ABORTED" ? /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/.exec(message) : null;
  if (tunnel) return Number(tunnel[1]);
  return failure.code === "UND_ERR_INVALID_ARG" && message === "Proxy Authentication Required (407)" ? 407 : undefined;
}

/** Milliseconds to wait from a Retry-After value (delta seconds or an HTTP date), or undefined if unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Backoff before retry number `retry` (1 = the first retry): half fixed, half random ("equal jitter"). */
export function backoffMs(retry: number, budget: RetryBudget, random: () => number = Math.random): number {
  const ceiling = Math.min(budget.retryMaxDelayMs, budget.retryBaseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

interface RetryCandidate {
  statusCode?: number;
  code?: string;
  message?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/** Whether this failure may be retried at all, for this kind of request. */
export function isRetryable(retryClass: RetryClass, failure: RetryCandidate): boolean {
  if (failure.statusCode !== undefined && failure.code === "UND_ERR_REQ_RETRY") {
    return RETRYABLE_STATUSES[retryClass].includes(failure.statusCode);
  }
  // A proxy that refused the request sent nothing on: safe to repeat, a create too, unless the proxy
  // wants credentials (407), which the same request will not have next time either.
  const refusedBy = proxyRefusal(failure);
  if (refusedBy !== undefined) return refusedBy !== 407;
  if (failure.code !== undefined) {
    return NOT_SENT_CODES.has(failure.code) || (retryClass === "idempotent" && CONNECTION_LOST_CODES.has(failure.code));
  }
  return false;
}

type RetryCallback = (err: Error | null) => void;

/**
 * A `retry` function for undici's retry interceptor, bound to one request's record. Calling back with the
 * error ends the retries (the last response, or the error, then reaches the caller); with null, retries.
 *
 * It calls back at once: the wait it decides goes into the record (`nextAttemptAt`), and the budget's
 * interceptor holds the next attempt until then, and until the budget is open, without a slot or a socket.
 */
export function retryDecider(
  retryClass: RetryClass,
  policy: RetryBudget,
  record: AttemptRecord,
  budget: Pick<RequestBudget, "shared" | "pausedUntil">,
  random: () => number = Math.random,
) {
  return (err: Error & RetryCandidate, _context: unknown, callback: RetryCallback): NodeJS.Timeout | undefined => {
    record.lastStatus = err.code === "UND_ERR_REQ_RETRY" ? err.statusCode : undefined;
    record.lastCode = err.code === "UND_ERR_REQ_RETRY" ? undefined : err.code;
    // undici would resume a cut-off body with a Range header, which this API does not support, and would
    // send a PATCH again to do it: the failure goes to the caller instead.
    if (record.answered || !isRetryable(retryClass, err)) {
      callback(err);
      return undefined;
    }
    if (record.attempts >= policy.maxAttempts) {
      record.budgetSpent = "attempts";
      callback(err);
      return undefined;
    }
    const now = Date.now();
    // Shared, a throttle's wait is the budget's pause (this very answer set or extended it), not a wait of
    // its own; any other failure waits its own delay, and for the pause too if one is on.
    const throttled = budget.shared && record.lastStatus !== undefined && THROTTLE_STATUSES.includes(record.lastStatus);
    const own = throttled ? 0 : (parseRetryAfter(err.headers?.["retry-after"]) ?? backoffMs(record.attempts, policy, random));
    const delay = Math.max(own, budget.pausedUntil - now);
    if (pastRetryTime(record, now + delay, policy)) {
      record.budgetSpent = "time";
      callback(err);
      return undefined;
    }
    record.attempts += 1;
    if (
      (record.lastCode !== undefined && CONNECTION_LOST_CODES.has(record.lastCode)) ||
      record.lastStatus === 502 ||
      record.lastStatus === 504
    ) {
      record.uncertain = true;
    }
    record.nextAttemptAt = now + own;
    // Returned, so an abort in the moment before the callback cancels it (undici clears the timer).
    return setTimeout(() => callback(null), 0);
  };
}
