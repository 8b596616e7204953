import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SdeClient } from "../../src/client";
import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import type { LocalEngine } from "../../src/engine";
import { credentialValues, populate, type CreatedConnection } from "./connection-population";
import { countSteps, engineFor, filesIn, installDependencies, sdePulumi, secretKeysOf, writes } from "./harness";

// The issue's acceptance test: 500 connections made by hand in a fresh emulator → `sde-pulumi export`
// (TypeScript) → the exported program through the local engine (Pulumi's own dynamic-provider host):
// preview adopts every one without an API write, up writes nothing and duplicates nothing, a second preview
// is all `same`, and one changed entry is exactly one PATCH.

const COUNT = 500;
const PROJECT = "sdelements-adopted";
// Each step runs 500 resources through the provider host; generous, so a slow CI machine fails on a
// wrong count rather than on time.
const STEP_TIMEOUT = 120_000;

let emulator: Emulator;
let client: SdeClient;
let created: CreatedConnection[];
let work: string;
let exported: string;
let programDir: string;
let engine: LocalEngine;
let stdout: string;
let stderr: string;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new SdeClient({ url: emulator.url, token: DEFAULT_TOKEN }, {});
  // Only the connections made here: the seed's own connection 1 goes.
  await client.connections.delete(1);
  created = await populate(client, COUNT);
  work = mkdtempSync(join(tmpdir(), "sde-export-acceptance-"));
  exported = join(work, "exported");
  programDir = exported;
}, STEP_TIMEOUT);

afterAll(async () => {
  await engine?.close();
  await client?.close();
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test(
  "export lists every page, writes the program, and prints one config command per credential",
  async () => {
    emulator.clearRequestLog();
    const run = await sdePulumi(["export", "--url", emulator.url, "--all", "--out", exported], { SDE_API_TOKEN: DEFAULT_TOKEN });
    ({ stdout, stderr } = run);
    expect(run.stderr).not.toMatch(/warning/);
    expect(run.code).toBe(0);
    // 500 connections at 100 per page: progress from page 2 to 5, and each connector read once.
    expect(stderr).toMatch(/listing connections: page 5 read/);
    expect(emulator.requestLog.filter((e) => /\/connectors\/issue-tracker\/\d+\/$/.test(e.path))).toHaveLength(3);
    expect(writes(emulator)).toEqual([]);
    const withCredentials = created.filter((c) => Object.keys(c.ownCredentials).length > 0);
    expect(secretKeysOf(stdout)).toHaveLength(withCredentials.length);
    expect(withCredentials.length).toBeGreaterThan(50);
  },
  STEP_TIMEOUT,
);

test("no credential value is in any written file", () => {
  const files = filesIn(exported);
  expect(
    Object.keys(files)
      .map((f) => f.slice(exported.length + 1))
      .sort(),
  ).toEqual(["Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);
  const text = Object.values(files).join("\n");
  for (const value of [...credentialValues(created), DEFAULT_TOKEN, "rally_password"]) expect(text).not.toContain(value);
});

test(
  "preview: every connection is an adopt-create, and no API request is made",
  async () => {
    installDependencies(exported);
    engine = engineFor(() => programDir, PROJECT, emulator, DEFAULT_TOKEN, secretsFor(exported));
    emulator.clearRequestLog();
    const preview = await engine.preview();
    expect(countSteps(preview.steps)).toEqual({ create: COUNT });
    // Each create adopts one of the connections, each exactly once.
    const adopted = engine.lastRegistrations.filter((r) => r.custom).map((r) => r.object.adoptId as number);
    expect(adopted.sort((a, b) => a - b)).toStrictEqual(created.map((c) => c.id).sort((a, b) => a - b));
    expect(emulator.requestLog).toEqual([]);
  },
  STEP_TIMEOUT,
);

test(
  "up adopts all 500 with no write and no duplicate: one GET each",
  async () => {
    emulator.clearRequestLog();
    const up = await engine.up();
    expect(countSteps(up.steps)).toEqual({ create: COUNT });
    expect(writes(emulator)).toEqual([]);
    expect(emulator.requestLog.filter((e) => e.method === "GET")).toHaveLength(COUNT);
    expect(emulator.connections()).toHaveLength(COUNT);
    expect(engine.state).toHaveLength(COUNT);
    expect(new Set(engine.state.map((r) => r.id)).size).toBe(COUNT);
  },
  STEP_TIMEOUT,
);

test(
  "the program type-checks with its own tsconfig.json, as `pulumi up` type-checks it",
  () => {
    // The devDependencies it names are the ones the CLI type-checks with; here they resolve from this repository.
    expect(Object.keys(JSON.parse(readFileSync(join(exported, "package.json"), "utf8")).devDependencies).sort()).toEqual([
      "@types/node",
      "typescript",
    ]);
    const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(exported, "tsconfig.json"), "--noEmit"], {
      encoding: "utf8",
    });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  },
  STEP_TIMEOUT,
);

test(
  "a second preview shows every connection unchanged, with no API request",
  async () => {
    emulator.clearRequestLog();
    const preview = await engine.preview();
    expect(countSteps(preview.steps)).toEqual({ same: COUNT });
    expect(emulator.requestLog).toEqual([]);
  },
  STEP_TIMEOUT,
);

test(
  "one changed entry in the program is exactly one PATCH",
  async () => {
    const edited = join(work, "edited");
    cpSync(exported, edited, { recursive: true, verbatimSymlinks: true });
    const target = created[42] as CreatedConnection;
    const index = join(edited, "index.ts");
    const source = readFileSync(index, "utf8");
    const renamed = source.replace(`alias: ${JSON.stringify(target.alias)},`, `alias: ${JSON.stringify(`${target.alias} (renamed)`)},`);
    expect(renamed).not.toBe(source);
    writeFileSync(index, renamed);
    programDir = edited;

    const preview = await engine.preview();
    expect(countSteps(preview.steps)).toEqual({ same: COUNT - 1, update: 1 });
    emulator.clearRequestLog();
    await engine.up();
    expect(writes(emulator)).toEqual([`PATCH /api/v2/connections/issue-tracker/${target.id}/`]);
    expect(emulator.connections().find((c) => c.id === target.id)?.alias).toBe(`${target.alias} (renamed)`);
    expect(emulator.connections()).toHaveLength(COUNT);
  },
  STEP_TIMEOUT,
);

/**
 * The stack config a user would set after the export: for each printed key, the credential the connection
 * has now. The program names its resources and their adoptIds, and keys are `<resource>.<param>`.
 */
function secretsFor(dir: string): Record<string, string> {
  const source = readFileSync(join(dir, "index.ts"), "utf8");
  const idOf = new Map(
    [...source.matchAll(/new IssueTrackerConnection\("([^"]+)", \{\n\s+adoptId: (\d+),/g)].map((m) => [m[1] as string, Number(m[2])]),
  );
  const byId = new Map(created.map((c) => [c.id, c]));
  const secrets: Record<string, string> = {};
  for (const key of secretKeysOf(stdout)) {
    const [resource, param] = key.split(".") as [string, string];
    const value = byId.get(idOf.get(resource) as number)?.ownCredentials[param];
    if (value === undefined) throw new Error(`config key ${key} names no credential the test made`);
    secrets[`${PROJECT}:${key}`] = value;
  }
  return secrets;
}
