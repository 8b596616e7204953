import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Agent, EnvHttpProxyAgent, interceptors, Pool, type Dispatcher } from "undici";
import type { z } from "zod";
import { apiErrorBodySchema, type FieldErrors } from "../schema/api-error";
import { redact, redactDeep } from "../schema/secrets";
import { describeIssues } from "../schema/validation";
import { SdeApiError, SdeConfigError, hintForStatus, type SdeApiErrorDetails, type SdeApiErrorKind } from "./errors";
import { baseUrlOf, type ClientOptions } from "./options";
import { CERTIFICATE_CODES, isNotSentCode, proxyRefusal, retryDecider, type AttemptRecord, type RetryClass } from "./retry-policy";

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

/** A 404 on a path with no id: the API itself is not at this address. */
const API_NOT_FOUND_HINT = "The API was not found at this address: check sdelements:url (the server's base address, e.g. https://sde.example.com)";

// undici's codes for "the server did not answer in time".
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** undici's code for an answer that outgrew maxResponseSize (it stops reading there). */
const TOO_LARGE_CODE = "UND_ERR_RES_EXCEEDED_MAX_SIZE";

/** The reason a request's total deadline aborts it with: told apart from every other failure by identity. */
const DEADLINE = new Error("the request's total deadline passed");

type Where = { method: string; path: string };

/**
 * HTTP to one SD Elements server: keep-alive sockets per origin, proxies from the environment, the extra
 * CA or the opt-out of certificate checks, a timeout on every attempt, the retry policy, JSON both ways,
 * every 2xx body checked against its schema, every failure turned into one redacted SdeApiError.
 */
export class Transport {
  private readonly dispatcher: Dispatcher;
  private readonly base: URL;
  /** The base URL's path without its trailing slash, what every API path goes under. */
  private readonly basePath: string;

  constructor(private readonly options: ClientOptions) {
    this.base = new URL(baseUrlOf(options.url) + "/");
    this.basePath = this.base.pathname.replace(/\/$/, "");
    const tls = {
      rejectUnauthorized: !options.insecureSkipVerify,
      ...(options.caFile ? { ca: [...rootCertificates, readCaFile(options.caFile, options.token)] } : {}),
    };
    // undici's own limit on an answer's size: it stops reading there (per chunk, Content-Length or not).
    const bounded = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, maxResponseSize: options.maxResponseBytes };
    const agentOptions = {
      connections: options.connections,
      ...bounded,
      connect: { ...tls, timeout: options.timeoutMs },
    };
    const timedPool = (origin: string | URL, opts: Pool.Options) => new Pool(origin, { ...opts, ...bounded });
    // undici's EnvHttpProxyAgent reads HTTP(S)_PROXY and NO_PROXY (and their lower-case forms); with no
    // proxy anywhere a plain Agent does the same without a proxy decision on every request.
    const proxied = proxySettings(options).length > 0;
    const agent = proxied
      ? new EnvHttpProxyAgent({
          ...agentOptions,
          httpProxy: options.httpProxy,
          httpsProxy: options.httpsProxy,
          noProxy: options.noProxy,
          requestTls: tls,
          // An https:// proxy is checked with the same CA and the same opt-out as the server.
          proxyTls: tls,
          // A ProxyAgent makes its own clients (to the proxy for CONNECT, and for plain-HTTP targets)
          // without the agent's timeouts; without these a silent proxy or server is waited on for minutes.
          connectTimeout: options.timeoutMs,
          clientFactory: timedPool,
          factory: timedPool,
        } as EnvHttpProxyAgent.Options)
      : new Agent(agentOptions);
    this.dispatcher = agent.compose(interceptors.retry({ throwOnError: false }));
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
        retryOptions: { retry: retryDecider(req.retry, this.options, record) },
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
        throw apiError(`the server linked to another origin (${url.origin}); refusing to send the token there`, { kind: "invalid_response" }, [this.options.token]);
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
    const context = () => ({ ...where, status, attempts: record.attempts, elapsedMs: Date.now() - record.startedAt, uncertain: record.uncertain });
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
            hint: "Check that sdelements:url points at SD Elements (not a login page or proxy) and that this package supports its version",
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
        hint: record.budgetSpent ? spentHint(record, this.options) : status === 404 && !/\/\d+\/|[?&]page=/.test(where.path) ? API_NOT_FOUND_HINT : hintForStatus(status),
      },
      secrets,
    );
  }

  /**
   * Redirects are not followed (the token would go wherever they point); the error names where the server
   * sends its clients, which is usually the address sdelements:url should have (https, another host).
   */
  private redirectError(status: number, location: string | string[] | undefined, context: Partial<SdeApiErrorDetails>, secrets: readonly string[]): SdeApiError {
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
        hint: origin && origin !== this.base.origin ? `Set sdelements:url to ${origin} if that is your SD Elements server` : "Check sdelements:url: it should be the server's own address (https, no login page in front)",
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
    const fail = (summary: string, details: Omit<SdeApiErrorDetails, keyof typeof context>) => apiError(summary, { ...context, ...details }, secrets);
    const timedOut = cause === DEADLINE || (code !== undefined && TIMEOUT_CODES.has(code));
    const made = req.creates ?? "the connection";
    const lookUp = req.creates ? "Look it up before creating it again" : "Look it up (same project and alias) before creating it again";
    const refusedBy = proxyRefusal({ code, message });
    if (refusedBy !== undefined) {
      // Nothing reached the server: a create too is a plain failure, with nothing to look up.
      return fail(`the proxy refused to pass the request on (HTTP ${refusedBy}${refusedBy === 407 ? " Proxy Authentication Required" : ""}): it was not sent to the server`, {
        kind: "network",
        hint: refusedBy === 407
          ? "The proxy wants credentials: give them in the proxy URL (HTTPS_PROXY=http://user:password@proxy:port), or set NO_PROXY for this server"
          : "Check the proxy (HTTPS_PROXY / HTTP_PROXY) and NO_PROXY",
      });
    }
    if (cause === DEADLINE) {
      const within = `the request did not finish within its deadline of ${(this.options.timeoutMs + this.options.retryTimeoutMs) / 1000} s (sdelements:timeout + sdelements:retryTimeout), ${record.answered ? "the answer still arriving" : "still waiting for an answer"}`;
      return req.retry === "create"
        ? fail(`${within}: ${made} may or may not have been created`, { kind: "outcome_unknown", hint: lookUp })
        : fail(within, { kind: "timeout", hint: "The server or a proxy sends its answer too slowly: check them, or raise sdelements:timeout" });
    }
    if (code === TOO_LARGE_CODE) {
      const tooLarge = `the answer is larger than ${formatBytes(this.options.maxResponseBytes)}, the most this client reads (maxResponseBytes), so reading it stopped`;
      return req.retry === "create"
        ? fail(`${tooLarge}: ${made} was probably created`, { kind: "outcome_unknown", hint: lookUp })
        : fail(tooLarge, { kind: "invalid_response", hint: "Check that sdelements:url points at SD Elements (not a proxy or a download); a list of many thousands of connections can be read in pages (pageSize)" });
    }
    if (record.answered) {
      const cut = `the answer was cut off after the server had begun it (${code ?? message})`;
      return req.retry === "create"
        ? fail(`${cut}: ${made} was probably created`, { kind: "outcome_unknown", hint: lookUp })
        : fail(cut, { kind: "network", hint: "The request reached the server; check the network or proxy between, and run again" });
    }
    if (req.retry === "create" && !isNotSentCode(code)) {
      return fail(`${timedOut ? "no answer in time" : `the connection broke (${code ?? message})`}: ${made} may or may not have been created`, { kind: "outcome_unknown", hint: lookUp });
    }
    if (timedOut) {
      return fail(`no answer within ${this.options.timeoutMs / 1000} s`, { kind: "timeout", hint: "The server is slow or unreachable: check sdelements:url, or raise sdelements:timeout" });
    }
    if (code !== undefined && CERTIFICATE_CODES.has(code)) {
      return fail(`the server's TLS certificate is not trusted (${code}: ${message})`, {
        kind: "network",
        hint: "Set sdelements:caFile (SDE_CA_FILE) to the PEM file of the CA that signed it, or sdelements:insecureSkipVerify: true for a lab server",
      });
    }
    // Refused or unknown hosts are fixed in the settings, not by retrying longer: that advice comes first.
    const reach = "Check sdelements:url, the network and any proxy (HTTPS_PROXY, NO_PROXY)";
    return fail(`could not reach the server (${code ?? "error"}: ${message})`, {
      kind: "network",
      hint: record.budgetSpent && !isNotSentCode(code) ? spentHint(record, this.options) : reach,
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

/**
 * The proxies in force, checked: undici would otherwise throw a bare TypeError that names no setting (and
 * carries the URL, password included, in its `input`). The same precedence as undici's EnvHttpProxyAgent:
 * the setting, else the lower-case variable, else the upper-case one; only those are judged.
 */
function proxySettings(options: ClientOptions): string[] {
  const env = process.env;
  // The first one set wins, as undici's `??` has it: an empty variable means "no proxy".
  const pick = (...named: [string, string | undefined][]) => named.find((entry) => entry[1] !== undefined);
  const inForce = [
    pick(["sdelements:httpProxy", options.httpProxy], ["http_proxy", env.http_proxy], ["HTTP_PROXY", env.HTTP_PROXY]),
    pick(["sdelements:httpsProxy", options.httpsProxy], ["https_proxy", env.https_proxy], ["HTTPS_PROXY", env.HTTPS_PROXY]),
  ].filter((entry): entry is [string, string] => entry !== undefined && entry[1] !== "");
  for (const [name, value] of inForce) {
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (!protocol || !PROXY_PROTOCOLS.includes(protocol)) {
      // Shown without anything before an @: a proxy URL may carry a password.
      const shown = value.includes("@") ? `…@${value.slice(value.lastIndexOf("@") + 1)}` : value;
      throw new SdeConfigError(`invalid proxy setting ${name}: ${JSON.stringify(shown)} is not an http(s) proxy URL: write it as http://host:port (or http://user:password@host:port)`);
    }
  }
  return inForce.map(([, value]) => value);
}

/**
 * The proxies this client supports. undici also speaks SOCKS, but the TLS settings this client passes for
 * https proxies would wrap a SOCKS handshake in TLS, so SOCKS is refused by name rather than failing later.
 */
const PROXY_PROTOCOLS = ["http:", "https:"];

/** The CA file's text; an error names the path, unless it is the token pasted into the wrong setting. */
function readCaFile(path: string, token: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    throw new SdeConfigError(redact(`cannot read the CA file ${path} (sdelements:caFile): ${(cause as Error).message}`, [token]));
  }
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
  if (!json.ok) return text.trim() && !text.trimStart().startsWith("<") ? { apiMessage: redact(text.trim().slice(0, 16_384), secrets).slice(0, 300) } : {};
  const parsed = apiErrorBodySchema.safeParse(json.value);
  if (!parsed.success) return {};
  if (Array.isArray(parsed.data)) return parsed.data.length > 0 ? { apiMessage: redact(parsed.data.join("; "), secrets) } : {};
  const body = parsed.data as Record<string, unknown>;
  if (typeof body.detail === "string") {
    return { apiMessage: redact(body.detail, secrets) };
  }
  return { fieldErrors: redactDeep(body as FieldErrors, secrets) };
}

function statusText(status: number): string {
  return (
    {
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
    }[status] ?? `HTTP ${status}`
  );
}

function spentHint(record: AttemptRecord, options: ClientOptions): string {
  const what = record.budgetSpent === "attempts" ? `all ${options.maxAttempts} attempts` : `the ${options.retryTimeoutMs / 1000} s retry time`;
  return `The retry budget is spent (${what}${record.lastStatus ? `, last status ${record.lastStatus}` : record.lastCode ? `, last error ${record.lastCode}` : ""}): raise sdelements:maxAttempts or sdelements:retryTimeout, or try again later`;
}
