import { request as httpRequest } from "node:http";
import { DEFAULT_TOKEN, startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";

/** Shared helpers for the emulator tests: real HTTP over loopback with global fetch. */

export const CONNECTIONS = "/api/v2/connections/issue-tracker/";
export const TEST_CONNECTION = "/api/v2/connections/test-issue-tracker/";
export const JOBS = "/api/v2/jobs/issue-tracker/";

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: any; // any: tests compare responses field by field
  text: string;
}

export interface CallOptions {
  /** A token (sent as `Token <t>`), null for no Authorization header; default the admin token. */
  token?: string | null;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType` if given (fetch adds none for a Buffer). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  redirect?: RequestInit["redirect"];
}

export async function call(emulator: Emulator, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  const token = options.token === undefined ? DEFAULT_TOKEN : options.token;
  if (token !== null) headers.authorization = `Token ${token}`;
  let body: string | Buffer | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = options.contentType ?? "application/json";
  } else if (options.raw !== undefined) {
    body = options.raw;
    if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  }
  const res = await fetch(emulator.url + path, { method, headers, body, redirect: options.redirect ?? "manual" });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}

/** A raw HTTP/1.1 request with node:http (for what fetch hides: sockets destroyed, hung answers). */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url + options.path, { method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Starts a fresh emulator before each test of the calling file and stops it after. */
export function useEmulator(options: () => EmulatorOptions = () => ({})): { readonly current: Emulator } {
  const holder: { current?: Emulator } = {};
  beforeEach(async () => {
    holder.current = await startEmulator(options());
  });
  afterEach(async () => {
    await holder.current?.stop();
    holder.current = undefined;
  });
  return {
    get current(): Emulator {
      if (!holder.current) throw new Error("no emulator running");
      return holder.current;
    },
  };
}

/** Waits, a bounded number of times, for a condition that an event elsewhere makes true. */
export async function eventually(condition: () => boolean, what: string, attempts = 200, pauseMs = 10): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A JSON fixture copied from the API page. */
// any: fixtures are untyped JSON that tests pick apart and modify freely
export function fixture(name: string): any {
  return structuredClone(require(`./fixtures/${name}.json`));
}
