import type { IncomingMessage, ServerResponse } from "node:http";

/** What a handler answers; the server decides whether and how it is sent (see the dropResponse fault). */
export interface ApiResponse {
  status: number;
  /** A JSON value; undefined for an empty body (204, 301). */
  body?: unknown;
  /** A body that is not JSON, sent as it is (with its own content-type header): injected faults only. */
  text?: string;
  headers?: Readonly<Record<string, string>>;
}

/** An error response thrown from deep inside a handler (body limits, JSON errors, bad pages). */
export class HttpError extends Error {
  constructor(readonly response: ApiResponse) {
    super(`HTTP ${response.status}`);
    this.name = "HttpError";
  }
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): ApiResponse =>
  headers ? { status, body, headers } : { status, body };

/** DRF's `{"detail": "..."}` body. */
export const detail = (status: number, message: string, headers?: Record<string, string>): ApiResponse =>
  json(status, { detail: message }, headers);

/** DRF's 400 body: a map of field to messages, nested for a map inside (`{"params": {"key": ["..."]}}`). */
export type FieldErrors = { [field: string]: string[] | FieldErrors };

export const badRequest = (errors: FieldErrors): ApiResponse => json(400, errors);

export const NOT_FOUND = "Not found.";
export const notFound = (): ApiResponse => detail(404, NOT_FOUND);

/** A request declares a body when it has a non-zero Content-Length or any Transfer-Encoding. */
export function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Reads the request body, refusing more than `limit` bytes with 413: a declared Content-Length over the
 * limit is refused before reading anything, and a body that outgrows it while streaming stops being read
 * at once. Nothing beyond the limit is ever buffered.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(detail(413, `Request body too large: at most ${limit} bytes.`, { connection: "close" }));
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    // The client went away before sending the whole body: nothing to answer.
    const onClose = () => {
      if (!req.complete) onError(new Error("request aborted"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Parses a JSON request body as DRF's JSONParser would, with its error wording. Invalid UTF-8 is an error
 * rather than silently replaced characters.
 */
export function parseJsonBody(raw: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(detail(400, "JSON parse error - the body is not valid UTF-8"));
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(detail(400, `JSON parse error - ${(err as Error).message}`));
  }
}

/** Whether an Accept header lets the server answer with JSON (DRF answers 406 otherwise). */
export function acceptsJson(header: string | undefined): boolean {
  if (header === undefined || header.trim() === "") return true;
  return header.split(",").some((range) => {
    const type = mediaType(range);
    return type === "application/json" || type === "application/*" || type === "*/*";
  });
}

/** Writes a response unless the socket is already gone. */
export function sendResponse(res: ServerResponse, response: ApiResponse): void {
  if (res.destroyed || res.headersSent) return;
  const body =
    response.text !== undefined
      ? Buffer.from(response.text, "utf8")
      : response.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(response.body), "utf8");
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  // The API page shows the JSON content type even on its 204; a redirect has no body to describe.
  if ((body !== undefined || response.status === 204) && !res.hasHeader("content-type")) {
    res.setHeader("content-type", "application/json");
  }
  if (body !== undefined && response.status !== 204 && response.status !== 304) {
    res.setHeader("content-length", body.length);
    res.end(body);
  } else {
    res.end();
  }
}
