import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { FaultOptions } from "./faults";
import { json, type ApiResponse } from "./http";

/**
 * The answers of the faults that misbehave in the answer itself rather than in the connection: an echo of
 * the request, a body that trickles or never ends, a body far too large. Each stops writing as soon as the
 * client hangs up, and the endless ones when the emulator stops, so none runs on by itself.
 */

type EchoForm = FaultOptions<"echo">["form"];

/**
 * The request (its body as sent and its Authorization header) echoed in an error, as careless servers and
 * proxies do: `raw` text, inside a JSON `detail` (JSON-escaped), or every string of the body (and the
 * token) as a field error's value, trimmed (DRF trims) or URL-encoded, or as the field error's key.
 */
export function echoResponse(status: number, form: EchoForm, raw: Buffer, headers: IncomingHttpHeaders): ApiResponse {
  const text = raw.toString("utf8");
  const authorization = headers.authorization ?? "";
  if (form === "raw") return { status, text: `${text}\nauthorization: ${authorization}\n`, headers: { "content-type": "text/plain" } };
  if (form === "json") return json(status, { detail: `could not process ${text} (authorization: ${authorization})` });
  const token = authorization.replace(/^\s*Token\s+/i, "");
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const shown = (value: string) => (form === "trimmed" ? value.trim() : encodeURIComponent(value));
  if (form === "key") {
    const errors: Record<string, string[]> = {};
    for (const value of [...stringsIn(body), token]) errors[value] = ["This field is not allowed."];
    return json(status, errors);
  }
  const mirror = (value: unknown): unknown => {
    if (typeof value === "string") return [`"${shown(value)}" is not a valid choice.`];
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(
        Object.entries(value)
          .map(([k, v]) => [k, mirror(v)])
          .filter(([, v]) => v !== undefined),
      );
    }
    return undefined;
  };
  const fields = (mirror(body) as Record<string, unknown> | undefined) ?? {};
  return json(status, { ...fields, non_field_errors: [`Invalid token "${shown(token)}".`] });
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The answer with its headers at once and its body one byte every `intervalMs` (each byte well within any
 * per-chunk timeout), or, `endless`, whitespace instead that ends only when the client hangs up, the
 * emulator stops, or after {@link ENDLESS_MS} (the connection is then cut: nothing here runs on by itself).
 */
export function trickle(res: ServerResponse, response: ApiResponse, intervalMs: number, endless: boolean, stopping: AbortSignal): void {
  const body = endless ? undefined : bodyBytes(response);
  res.writeHead(response.status, {
    ...response.headers,
    "content-type": "application/json",
    ...(body ? { "content-length": String(body.length) } : {}),
  });
  res.flushHeaders();
  let sent = 0;
  const until = Date.now() + ENDLESS_MS;
  const timer = setInterval(() => {
    if (res.destroyed || stopping.aborted || Date.now() > until) return stop();
    if (body === undefined) {
      res.write(" ");
      return;
    }
    res.write(body.subarray(sent, sent + 1));
    sent += 1;
    if (sent >= body.length) {
      res.end();
      stop();
    }
  }, intervalMs);
  const stop = () => {
    clearInterval(timer);
    if (!res.destroyed && !res.writableEnded) res.destroy();
  };
  stopping.addEventListener("abort", stop, { once: true });
  res.on("close", () => {
    clearInterval(timer);
    stopping.removeEventListener("abort", stop);
  });
}

/**
 * The answer's JSON followed by whitespace up to `bytes` in all, declared in Content-Length and written in
 * chunks as fast as the client reads, without holding more than one chunk: a client with no limit on what
 * it reads would buffer all of it.
 */
export function oversized(res: ServerResponse, response: ApiResponse, bytes: number): void {
  const head = bodyBytes(response) ?? Buffer.alloc(0);
  const total = Math.max(bytes, head.length);
  res.writeHead(response.status, { ...response.headers, "content-type": "application/json", "content-length": String(total) });
  res.write(head);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = total - head.length;
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** How long an "endless" body lasts at most. */
export const ENDLESS_MS = 10 * 60 * 1000;

function bodyBytes(response: ApiResponse): Buffer | undefined {
  if (response.text !== undefined) return Buffer.from(response.text, "utf8");
  return response.body === undefined ? undefined : Buffer.from(JSON.stringify(response.body), "utf8");
}
