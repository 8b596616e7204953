import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { AUTHENTICATE_HEADER, authenticate, PERMISSION_DENIED } from "./auth";
import { handleControl, isControlRequest } from "./control";
import { echoResponse, oversized, trickle } from "./fault-answers";
import { SERVER_ERROR_DETAILS, throttledMessage, type ActionFault, type Faults } from "./faults";
import {
  acceptsJson,
  declaresBody,
  detail,
  HttpError,
  json,
  mediaType,
  notFound,
  parseJsonBody,
  readBody,
  sendResponse,
  type ApiResponse,
} from "./http";
import type { RequestLog } from "./request-log";
import { allowedMethods, matchRoute, type RequestContext, type Route } from "./router";
import { connectionRepresentation } from "./serializers";
import type { TokenRecord } from "./seed-schema";
import type { Store } from "./store";

/** Everything one emulator's HTTP server works with. */
export interface ServerDeps {
  routes: readonly Route[];
  store: Store;
  faults: Faults;
  log: RequestLog;
  tokens: readonly TokenRecord[];
  controlToken: string | undefined;
  maxBodyBytes: number;
  /** `host:port` the server listens on, for absolute URLs when a request's Host header is unusable. */
  ownHost: () => string;
  /** Aborted when the emulator stops: ends injected delays at once. */
  stopping: AbortSignal;
}

/** Methods that never change anything; all others need the edit permission. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const INTERNAL_ERROR = detail(500, "A server error occurred.");

/** A Host header usable in a URL (a name or IPv4/IPv6 address, optional port); anything else is ignored. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function createEmulatorServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    handleRequest(deps, req, res).catch((err: unknown) => {
      // Only reached if answering itself failed; never let one request take the emulator down.
      reportInternalError(req, err);
      if (!res.headersSent && !res.destroyed) sendResponse(res, INTERNAL_ERROR);
    });
  });
  return server;
}

function reportInternalError(req: IncomingMessage, err: unknown): void {
  // Requests whose client went away fail while reading their body: not an emulator problem.
  if (req.destroyed && !req.complete) return;
  // Method and path only: headers and bodies may carry tokens and secrets.
  console.error(`sde-emulator: internal error answering ${req.method} ${(req.url ?? "").split("?")[0]}:`, err);
}

/** The request target split into path and raw query; both kept exactly as sent. */
function splitTarget(url: string): { path: string; query: string } {
  const q = url.indexOf("?");
  return q < 0 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error("emulator stopping"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("emulator stopping"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function handleRequest(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const { path, query } = splitTarget(req.url ?? "/");
  let readJson = () => readJsonBody(req, deps.maxBodyBytes);

  if (isControlRequest(deps.controlToken, path, req.headers.authorization)) {
    sendResponse(res, await answer(() => handleControl(deps, method, path, readJson)));
    return;
  }

  const entry = deps.log.start(method, path, query);
  // 'finish' when the answer is handed to the socket, which is before the client can read it and send
  // another; 'close' for a socket destroyed without an answer.
  const finished = () => deps.log.finish(entry);
  res.once("finish", finished).once("close", finished);
  const respond = (response: ApiResponse) => {
    if (res.destroyed) return;
    entry.status = response.status;
    sendResponse(res, response);
  };

  // Faults come first, before routing and authentication, like a flaky network or proxy in front.
  const { delayMs, action } = deps.faults.take(method, path);
  if (action?.kind === "reset" && action.appliedAfterMs === undefined) {
    req.socket.destroy();
    return;
  }
  if (delayMs > 0) {
    try {
      await sleep(delayMs, deps.stopping);
    } catch {
      return; // stopping: the socket is being closed
    }
  }
  const injected = await injectedResponse(action, req, deps.maxBodyBytes);
  if (injected) return respond(injected);
  if (action?.kind === "hang" && !action.applied) {
    req.resume(); // read the whole request, answer nothing: stop() closes the socket
    return;
  }
  if (action?.kind === "reset") {
    // The request is read, the client loses its connection, and the server commits a moment later.
    const raw = await readBody(req, deps.maxBodyBytes).catch(() => undefined);
    req.socket.destroy();
    if (raw === undefined) return;
    readJson = async () => (raw.length === 0 ? undefined : parseJsonBody(raw));
    try {
      await sleep(action.appliedAfterMs ?? 0, deps.stopping);
    } catch {
      return;
    }
  }

  const response = await answer(() => routeRequest(deps, req, method, path, query, readJson));
  // The request has had its effect (and is saved); what the client hears of it is the fault's.
  switch (action?.kind) {
    case "reset":
    case "hang":
      return;
    case "dropResponse":
      req.socket.destroy();
      return;
    case "serverError":
      return respond(detail(action.status, SERVER_ERROR_DETAILS[action.status]));
    case "slowBody":
      entry.status = response.status;
      return trickle(res, response, action.intervalMs, action.endless, deps.stopping);
    case "oversizedBody":
      entry.status = response.status;
      return oversized(res, response, action.bytes);
    case "foreignAnswer":
    case "foreignId":
      return respond(isSuccess(response) ? foreignResponse(deps, action, response) : response);
    default:
      return respond(response);
  }
}

const isSuccess = (response: ApiResponse) => response.status >= 200 && response.status < 300;

/** A 2xx answer that is not about what was asked: another connection, or some other object's id. */
function foreignResponse(
  deps: ServerDeps,
  action: Extract<ActionFault, { kind: "foreignAnswer" | "foreignId" }>,
  response: ApiResponse,
): ApiResponse {
  if (action.kind === "foreignId") return json(response.status, { id: action.id, email: "someone-else@example.com" });
  if (action.altered) return json(response.status, { ...(response.body as object), ...action.altered });
  const made = (response.body as { id?: unknown } | undefined)?.id;
  const other =
    action.connection !== undefined
      ? deps.store.connection(action.connection)
      : deps.store.connections().find((record) => record.id !== made);
  if (!other) return response;
  return json(response.status, connectionRepresentation(deps.store, other, "detail", { showParams: true, includeLastJob: false }));
}

/** Runs a handler, turning thrown HttpErrors into their response and anything else into a 500. */
async function answer(run: () => ApiResponse | Promise<ApiResponse>): Promise<ApiResponse> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof HttpError) return err.response;
    throw err;
  }
}

/** The answer of a fault that answers in the request's place (nothing is applied), if this is one. */
async function injectedResponse(
  action: ActionFault | undefined,
  req: IncomingMessage,
  maxBodyBytes: number,
): Promise<ApiResponse | undefined> {
  switch (action?.kind) {
    case "throttle":
      return detail(429, throttledMessage(action.retryAfter), { "retry-after": String(action.retryAfter) });
    case "serverError":
      return action.applied ? undefined : detail(action.status, SERVER_ERROR_DETAILS[action.status]);
    case "redirect":
      return { status: action.status, headers: { location: action.location } };
    case "echo": {
      const raw = await readBody(req, maxBodyBytes).catch(() => Buffer.alloc(0));
      return echoResponse(action.status, action.form, raw, req.headers);
    }
    default:
      return undefined;
  }
}

/**
 * An API request after faults, in DRF's order: URL resolution (404, or 301 to add the trailing slash),
 * content negotiation (406), authentication (401), permission (403), method (405), then the handler.
 */
async function routeRequest(
  deps: ServerDeps,
  req: IncomingMessage,
  method: string,
  path: string,
  query: string,
  readJson: () => Promise<unknown>,
): Promise<ApiResponse> {
  const match = matchRoute(deps.routes, path, query);
  if (match.kind === "missing-slash") {
    // Django's APPEND_SLASH redirects only what is safe to repeat; other methods find no URL.
    return method === "GET" || method === "HEAD" ? { status: 301, headers: { location: match.location } } : notFound();
  }
  if (match.kind === "none") return notFound();

  if (!acceptsJson(req.headers.accept)) return detail(406, "Could not satisfy the request Accept header.");

  const auth = authenticate(req.headers.authorization, deps.tokens);
  if (!auth.ok) return detail(401, auth.message, { ...AUTHENTICATE_HEADER });
  if (!SAFE_METHODS.has(method) && !auth.principal.canEditConnections) return detail(403, PERMISSION_DENIED);

  const handler = match.route.handlers[method === "HEAD" ? "GET" : method];
  if (!handler) {
    return json(405, { detail: `Method "${method}" not allowed.` }, { allow: allowedMethods(match.route).join(", ") });
  }
  const ctx: RequestContext = {
    method: method === "HEAD" ? "GET" : method,
    path,
    query: new URLSearchParams(query),
    ids: match.ids,
    principal: auth.principal,
    store: deps.store,
    readJson,
    pageUrl: (q) => {
      const host = req.headers.host !== undefined && HOST_HEADER.test(req.headers.host) ? req.headers.host : deps.ownHost();
      const qs = q.toString();
      return `http://${host}${path}${qs ? `?${qs}` : ""}`;
    },
  };
  try {
    return await handler(ctx);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    reportInternalError(req, err);
    return INTERNAL_ERROR;
  }
}

/**
 * The request's JSON body, undefined when it has none. Checked as DRF's JSONParser would: the media type
 * first (415, before reading anything), then the size (413), then the syntax (400).
 *
 * One deliberate leniency: a body without any Content-Type is read as JSON. The API page's request
 * examples send none (DRF would answer 415), and the emulator must accept them as written; a body that
 * declares another type (text/plain, a form) is still 415.
 */
async function readJsonBody(req: IncomingMessage, maxBodyBytes: number): Promise<unknown> {
  if (!declaresBody(req)) return undefined;
  const contentType = req.headers["content-type"];
  if (contentType !== undefined && mediaType(contentType) !== "application/json") {
    throw new HttpError(detail(415, `Unsupported media type "${contentType}" in request.`));
  }
  const raw = await readBody(req, maxBodyBytes);
  return raw.length === 0 ? undefined : parseJsonBody(raw);
}
