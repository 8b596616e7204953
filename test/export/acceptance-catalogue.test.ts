import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SdeClient } from "../../src/client";
import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import type { LocalEngine } from "../../src/engine";
import { parseCatalogue } from "../../src/export/catalogue";
import { credentialValues, populate, type CreatedConnection } from "./connection-population";
import { countSteps, engineFor, PROJECT_ROOT, sdePulumi, secretKeysOf, writes } from "./harness";

// The acceptance test through the YAML catalogue: 500 connections → `sde-pulumi export --format yaml` →
// examples/at-scale reading that catalogue, through the local engine: preview adopts all without a write,
// up writes nothing and duplicates nothing, a second preview is all `same`, and one changed entry in the
// catalogue is exactly one PATCH.

const COUNT = 500;
// The example registers one ConnectionTests before its connections: one step and one state entry more.
const RESOURCES = COUNT + 1;
const PROJECT = "sdelements-at-scale";
const AT_SCALE = join(PROJECT_ROOT, "examples", "at-scale");
const STEP_TIMEOUT = 120_000;

let emulator: Emulator;
let client: SdeClient;
let created: CreatedConnection[];
let work: string;
let catalogueFile: string;
let engine: LocalEngine;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new SdeClient({ url: emulator.url, token: DEFAULT_TOKEN }, {});
  await client.connections.delete(1);
  created = await populate(client, COUNT);
  work = mkdtempSync(join(tmpdir(), "sde-export-catalogue-"));
  catalogueFile = join(work, "catalogue.yaml");
}, STEP_TIMEOUT);

afterAll(async () => {
  await engine?.close();
  await client?.close();
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

let text: string;
let entries: ReturnType<typeof parseCatalogue>;

test(
  "export --format yaml writes a catalogue with no credential value and one config key per credential",
  async () => {
    const run = await sdePulumi(["export", "--url", emulator.url, "--all", "--out", work, "--format", "yaml"], {
      SDE_API_TOKEN: DEFAULT_TOKEN,
    });
    expect(run.stderr).not.toMatch(/warning/);
    expect(run.code).toBe(0);
    text = readFileSync(catalogueFile, "utf8");
    for (const value of [...credentialValues(created), DEFAULT_TOKEN]) expect(text).not.toContain(value);

    // The secrets a user would set: each printed key, with the credential its connection has now.
    entries = parseCatalogue(text, catalogueFile);
    expect(entries).toHaveLength(COUNT);
    const byId = new Map(created.map((c) => [c.id, c]));
    const secrets: Record<string, string> = {};
    const keys = secretKeysOf(run.stdout);
    for (const entry of entries) {
      for (const [param, key] of Object.entries(entry.credentials)) {
        expect(keys).toContain(key);
        secrets[`${PROJECT}:${key}`] = byId.get(entry.adoptId as number)?.ownCredentials[param] as string;
      }
    }
    expect(Object.keys(secrets)).toHaveLength(keys.length);
    engine = engineFor(() => AT_SCALE, PROJECT, emulator, DEFAULT_TOKEN, secrets, { [`${PROJECT}:catalogue`]: catalogueFile });
  },
  STEP_TIMEOUT,
);

test(
  "preview: every entry is an adopt-create, and no API request is made",
  async () => {
    emulator.clearRequestLog();
    const preview = await engine.preview();
    expect(countSteps(preview.steps)).toEqual({ create: RESOURCES });
    const connections = engine.lastRegistrations.filter((r) => r.custom && r.type.endsWith(":IssueTrackerConnection"));
    expect(connections).toHaveLength(COUNT);
    expect(connections.filter((r) => typeof r.object.adoptId !== "number")).toEqual([]);
    expect(emulator.requestLog).toEqual([]);
  },
  STEP_TIMEOUT,
);

test(
  "up adopts all 500 with no write and no duplicate",
  async () => {
    emulator.clearRequestLog();
    const up = await engine.up();
    expect(countSteps(up.steps)).toEqual({ create: RESOURCES });
    expect(writes(emulator)).toEqual([]);
    expect(emulator.connections()).toHaveLength(COUNT);
    expect(engine.state).toHaveLength(RESOURCES);
  },
  STEP_TIMEOUT,
);

test(
  "a second preview shows every entry unchanged",
  async () => {
    emulator.clearRequestLog();
    expect(countSteps((await engine.preview()).steps)).toEqual({ same: RESOURCES });
    expect(emulator.requestLog).toEqual([]);
  },
  STEP_TIMEOUT,
);

test(
  "one changed entry in the catalogue (its frequency) is exactly one PATCH",
  async () => {
    const target = entries.find((e) => e.frequency === "manually") as (typeof entries)[number];
    const block = new RegExp(`(- name: ${target.name}\\n(?:    .*\\n)*?    frequency: )manually`);
    const edited = text.replace(block, "$1weekly");
    expect(edited).not.toBe(text);
    writeFileSync(catalogueFile, edited);
    emulator.clearRequestLog();
    const changed = await engine.up();
    expect(countSteps(changed.steps)).toEqual({ same: RESOURCES - 1, update: 1 });
    expect(writes(emulator)).toEqual([`PATCH /api/v2/connections/issue-tracker/${target.adoptId}/`]);
    expect(emulator.connections().find((c) => c.id === target.adoptId)?.frequency).toBe("weekly");
    expect(emulator.connections()).toHaveLength(COUNT);
  },
  STEP_TIMEOUT,
);
