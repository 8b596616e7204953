import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Agent, request } from "undici";

/**
 * The emulator in a process of its own, so its work runs on the other core and is the same for every
 * variant; its request log and its throughput are read through the control surface.
 */
export interface EmulatorProcess {
  url: string;
  token: string;
  /** Requests seen since the last clear, by `METHOD kind` (kind: the path with ids as `{id}`). */
  calls(): Promise<Record<string, number>>;
  /** Requests since the last clear, by `METHOD kind status` (ids as {id}), however many there were. */
  counts(): Promise<Record<string, number>>;
  clear(): Promise<void>;
  /** Arms a fault (src/emulator/faults.ts) through the control surface. */
  arm(fault: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

const CONTROL = "bench-control-token";
const TOKEN = "sde-emulator-admin-token";

/** Starts the emulator CLI on a free port; `seedFile`: a JSON seed in place of the default data. */
export async function startEmulatorProcess(seedFile?: string): Promise<EmulatorProcess> {
  const script = join(__dirname, "..", "..", "lib", "cli", "emulator.js");
  const seed = seedFile ? ["--seed", seedFile] : [];
  // The control token travels in the environment, as every secret of the CLI does (never in argv).
  const child: ChildProcess = spawn(process.execPath, [script, "--port", "0", ...seed, "--control-token-env", "SDE_BENCH_CONTROL_TOKEN"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, SDE_BENCH_CONTROL_TOKEN: CONTROL },
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(line.replace(/^.* on /, "").trim()));
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  const agent = new Agent();
  const control = async (method: "GET" | "DELETE" | "POST", path: string, body?: unknown) => {
    const res = await request(`${url}/_emulator/${path}`, {
      method,
      headers: { authorization: `Token ${CONTROL}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      dispatcher: agent,
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`the emulator refused ${method} /_emulator/${path}: ${res.statusCode} ${text}`);
    return (text ? JSON.parse(text) : {}) as { results?: { method: string; path: string }[]; counts?: Record<string, number> };
  };
  return {
    url,
    token: TOKEN,
    async calls() {
      const log = (await control("GET", "requests/")).results ?? [];
      const counts: Record<string, number> = {};
      for (const e of log) {
        const key = `${e.method} ${e.path.replace(/\/\d+\//g, "/{id}/")}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    },
    async counts() {
      return (await control("GET", "requests/")).counts ?? {};
    },
    async clear() {
      await control("DELETE", "requests/");
    },
    async arm(fault) {
      await control("POST", "faults/", fault);
    },
    async clearFaults() {
      await control("DELETE", "faults/");
    },
    async stop() {
      await agent.close();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
