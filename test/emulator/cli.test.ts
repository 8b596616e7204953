import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_SEED, DEFAULT_TOKEN, READ_ONLY_TOKEN } from "../../src/emulator";
import { buildCli, spawnCli as spawnScript } from "./cli-process";

let dir: string;
let cli: ReturnType<typeof buildCli>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sde-emulator-cli-"));
  cli = buildCli();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cli.cleanup();
});
const spawnCli = (args: readonly string[]) => spawnScript(cli.script, args);

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Token ${token}` } });

describe("sde-emulator", () => {
  test("prints exactly one line when ready, serves, and exits 0 on SIGTERM", async () => {
    const proc = spawnCli(["--port", "0"]);
    const url = await proc.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${url}/api/v2/connections/issue-tracker/`, DEFAULT_TOKEN);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(1);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toBe(`SD Elements emulator listening on ${url}\n`);
    expect(proc.stderr()).toBe("");
  });

  test("exits 0 on SIGINT", async () => {
    const proc = spawnCli([]);
    await proc.ready;
    proc.child.kill("SIGINT");
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stdout().split("\n")).toHaveLength(2); // one line and its newline
  });

  test("--help prints usage, defaults and the seeded tokens, and exits 0", async () => {
    const proc = spawnCli(["--help"]);
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const help = proc.stdout();
    expect(help).toMatch(/^usage: sde-emulator /);
    for (const text of ["--port", "--host", "--token", "--data", "--seed", "--control-token", "127.0.0.1", "default 0", DEFAULT_TOKEN, READ_ONLY_TOKEN]) {
      expect(help).toContain(text);
    }
    expect(proc.stderr()).toBe("");
  });

  test.each([
    ["an unknown option", ["--nope"]],
    ["a positional argument", ["serve"]],
    ["a port that is not a number", ["--port", "http"]],
    ["a port out of range", ["--port", "70000"]],
    ["an option without its value", ["--data"]],
    ["a token with a space", ["--token", "two words"]],
    ["a token with a quote", ["--token", "it's"]],
    ["a control token no header can carry", ["--control-token", "contrôle"]],
  ])("%s: exit 2 with the usage line on stderr", async (_name, args) => {
    const proc = spawnCli(args);
    expect((await proc.exited).code).toBe(2);
    expect(proc.stdout()).toBe("");
    const lines = proc.stderr().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^sde-emulator: /);
    expect(lines[1]).toMatch(/^usage: sde-emulator /);
  });

  test("a seed with a bad field: exit 1 with one line naming the field", async () => {
    const seedFile = join(dir, "bad-seed.json");
    const seed = structuredClone(DEFAULT_SEED) as { connections: { connector: number }[] };
    seed.connections[0]!.connector = 42;
    writeFileSync(seedFile, JSON.stringify(seed));
    const proc = spawnCli(["--seed", seedFile]);
    expect((await proc.exited).code).toBe(1);
    expect(proc.stdout()).toBe("");
    const lines = proc.stderr().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sde-emulator: seed file .*connections\.0\.connector/);
    expect(lines[0]).toContain(seedFile);
  });

  test("a seed file that is not JSON, or missing: exit 1 with one line naming the file", async () => {
    const seedFile = join(dir, "not-json.json");
    writeFileSync(seedFile, "connections: []");
    for (const file of [seedFile, join(dir, "missing.json")]) {
      const proc = spawnCli(["--seed", file]);
      expect((await proc.exited).code).toBe(1);
      expect(proc.stderr().trimEnd().split("\n")).toEqual([expect.stringContaining(file)]);
    }
  });

  test("a port in use: exit 1 with one clear line", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    try {
      const { port } = blocker.address() as AddressInfo;
      const proc = spawnCli(["--port", String(port)]);
      expect((await proc.exited).code).toBe(1);
      expect(proc.stdout()).toBe("");
      expect(proc.stderr()).toBe(`sde-emulator: cannot listen on 127.0.0.1:${port}: the address is already in use\n`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  test("--seed, --token and --control-token", async () => {
    const seedFile = join(dir, "seed.json");
    const seed = structuredClone(DEFAULT_SEED) as { connections: { alias: string }[] };
    seed.connections[0]!.alias = "From my seed";
    writeFileSync(seedFile, JSON.stringify(seed));
    const proc = spawnCli(["--seed", seedFile, "--token", "ci-token", "--control-token", "ctl"]);
    const url = await proc.ready;
    try {
      const res = await get(`${url}/api/v2/connections/issue-tracker/1/`, "ci-token");
      expect(res.status).toBe(200);
      expect(((await res.json()) as { alias: string; params?: unknown }).alias).toBe("From my seed");
      expect((await get(`${url}/_emulator/requests/`, "ctl")).status).toBe(200);
      expect((await get(`${url}/_emulator/requests/`, "ci-token")).status).toBe(404);
    } finally {
      proc.child.kill("SIGTERM");
      expect((await proc.exited).code).toBe(0);
    }
  });

  // bin/sde-emulator.js runs the compiled CLI, which `npm ci` (prepare) and the test setup build into lib/.
  test("bin/sde-emulator.js runs the compiled CLI", async () => {
    const bin = spawnScript(resolve(__dirname, "../../bin/sde-emulator.js"), ["--help"]);
    expect(await bin.exited).toEqual({ code: 0, signal: null });
    expect(bin.stdout()).toMatch(/^usage: sde-emulator /);
  });
});
