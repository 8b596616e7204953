import type { AttemptRecord, RetryBudget } from "./retry-policy";

/**
 * The client's advice, in one place: each sentence that tells a user what to do about a failure, and the
 * status texts. The same advice then reads the same wherever it is given (the transport, the endpoints,
 * the errors), and the provider and the exporter can say it with these words instead of their own copy.
 * The facts of each failure (what was sent, what came back) are worded where they are found.
 */

/** What a token needs to see and change connections; without it the API hides every connection's params. */
export const EDIT_PERMISSION = "the 'Edit Issue Tracker connections' permission";

/** Why an answer came without params. */
export const PARAMS_HIDDEN = `the API token cannot see params (it lacks ${EDIT_PERMISSION})`;

/** What a 404 for one object means: it is not there, or this token may not see it (the API does not say which). */
export function noSuch(what: string): string {
  return `there is no ${what} (or this API token cannot see it)`;
}

/** The way out of a connection test that cannot be made or does not pass. */
export const SKIP_TEST = "set testConnection: false to skip the test";

/** The start of every hint that suspects something other than SD Elements answered. */
const POINT_AT_SDE = "Check that sdelements:url points at SD Elements";

export const HINTS = {
  /** A 404 on a path with no id: the API itself is not at this address. */
  apiNotFound: "The API was not found at this address: check sdelements:url (the server's base address, e.g. https://sde.example.com)",
  /** A 2xx body of the wrong shape. */
  undocumentedShape: `${POINT_AT_SDE} (not a login page or proxy) and that this package supports its version`,
  /** A 2xx answer to a connection test that does not say whether it passed. */
  unclearTestAnswer: `${POINT_AT_SDE} (not a login page or proxy), or ${SKIP_TEST}`,
  /** Pagination that goes on past what the server counted. */
  endlessPages: `${POINT_AT_SDE}, not a proxy that rewrites its answers`,
  /** An answer larger than maxResponseBytes. */
  tooLarge: `${POINT_AT_SDE} (not a proxy or a download); a list of many thousands of connections can be read in pages (pageSize)`,
  /** A connection create whose outcome is unknown. */
  lookUpConnection: "Look it up (same project and alias) before creating it again",
  /** Any other create whose outcome is unknown. */
  lookUp: "Look it up before creating it again",
  /** A redirect to the same origin (a login page, a path the server moved). */
  redirected: "Check sdelements:url: it should be the server's own address (https, no login page in front)",
  proxyCredentials:
    "The proxy wants credentials: give them in the proxy URL (HTTPS_PROXY=http://user:password@proxy:port), or set NO_PROXY for this server",
  proxyRefused: "Check the proxy (HTTPS_PROXY / HTTP_PROXY) and NO_PROXY",
  /** The whole request outlasted its deadline. */
  slowAnswer: "The server or a proxy sends its answer too slowly: check them, or raise sdelements:timeout",
  /** No answer within one attempt's timeout. */
  noAnswer: "The server is slow or unreachable: check sdelements:url, or raise sdelements:timeout",
  /** The answer had begun when the connection broke. */
  cutOff: "The request reached the server; check the network or proxy between, and run again",
  untrustedCertificate:
    "Set sdelements:caFile (SDE_CA_FILE) to the PEM file of the CA that signed it, or sdelements:insecureSkipVerify: true for a lab server",
  /** Refused or unknown hosts are fixed in the settings, not by retrying longer. */
  unreachable: "Check sdelements:url, the network and any proxy (HTTPS_PROXY, NO_PROXY)",
} as const;

/**
 * The facts that name settings are here too, so that every setting the client names is in this module:
 * a request that outlasted its whole deadline, which these settings make up.
 */
export function deadlineMissed(timeoutMs: number, retryTimeoutMs: number): string {
  return `the request did not finish within its deadline of ${(timeoutMs + retryTimeoutMs) / 1000} s (sdelements:timeout + sdelements:retryTimeout)`;
}

/** An answer cut short at the client's limit (`limit` as the error shows it), and the option that sets it. */
export function answerTooLarge(limit: string): string {
  return `the answer is larger than ${limit}, the most this client reads (maxResponseBytes), so reading it stopped`;
}

/** How a proxy URL is written, for a proxy setting that is not one. */
export const PROXY_URL_ADVICE = "write it as http://host:port (or http://user:password@host:port)";

/** A redirect to another origin: probably the address sdelements:url should have. */
export function redirectedTo(origin: string): string {
  return `Set sdelements:url to ${origin} if that is your SD Elements server`;
}

/** Plain advice for the statuses users meet most; the API's own message comes first in the error. */
export function hintForStatus(status: number): string | undefined {
  switch (status) {
    case 401:
      return "The API token is wrong or expired: set sdelements:apiToken (or SDE_API_TOKEN) to a current token (SD Elements → your name → API Settings)";
    case 403:
      return `The API token lacks ${EDIT_PERMISSION}: use a token of a user who has it`;
    case 404:
      return "It does not exist (or this token cannot see it): check the id";
    case 405:
      return "The server does not allow this method here: check sdelements:url points at SD Elements";
    case 413:
      return "The request is too large: shorten the longest values";
    case 429:
      return "The server is throttling requests: raise sdelements:maxAttempts or sdelements:retryTimeout, or run with less parallelism";
    case 502:
    case 503:
    case 504:
      return "The server or a proxy in front of it is unavailable: try again later, or raise the retry budget";
    default:
      return undefined;
  }
}

/** Retrying stopped on its budget although the failure was retryable: what was spent, and what to raise. */
export function budgetSpentHint(record: AttemptRecord, budget: RetryBudget): string {
  const what =
    record.budgetSpent === "attempts" ? `all ${budget.maxAttempts} attempts` : `the ${budget.retryTimeoutMs / 1000} s retry time`;
  return `The retry budget is spent (${what}${record.lastStatus ? `, last status ${record.lastStatus}` : record.lastCode ? `, last error ${record.lastCode}` : ""}): raise sdelements:maxAttempts or sdelements:retryTimeout, or try again later`;
}

/** An error status in words, for an answer that brings no message of its own. */
export function statusText(status: number): string {
  return STATUS_TEXTS[status] ?? `HTTP ${status}`;
}

const STATUS_TEXTS: Partial<Record<number, string>> = {
  400: "the API rejected the request",
  401: "not authenticated",
  403: "not allowed",
  404: "not found",
  405: "method not allowed",
  409: "conflict",
  413: "request too large",
  415: "unsupported media type",
  429: "too many requests",
  500: "the server failed",
  502: "bad gateway",
  503: "service unavailable",
  504: "gateway timeout",
};
