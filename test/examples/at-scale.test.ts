import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { stringify } from "yaml";
import { DEFAULT_SEED, DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import { LocalEngine } from "../../src/engine";
import { loadCatalogue } from "../../src/export/catalogue";
import { countSteps } from "../export/harness";
import { calls } from "../support/emulated-api";

// examples/at-scale through the local engine (Pulumi's own dynamic-provider host) against the emulator: a
// catalogue of 200 entries, one per SD Elements project named (not numbered), creates 200 connections
// with one listing of the projects per program run, and a second preview shows no change; the catalogue shipped with the example runs as it is; a bad catalogue fails the preview
// naming the entry and the field.

const ROOT = resolve(__dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "at-scale");
const PROJECT = "sdelements-at-scale";
const ENTRIES = 200;
// The emulator's Jira tracker of examples/basic accepts this password (src/emulator/seed.ts).
const JIRA_PASSWORD = "example-jira-password";
const STEP_TIMEOUT = 120_000;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "at-scale-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stack of the example against `emulator`, reading `catalogue` (default: the example's own). */
function stackOf(emulator: Emulator, catalogue?: string): LocalEngine {
  return new LocalEngine({
    program: EXAMPLE,
    project: PROJECT,
    config: {
      "sdelements:url": emulator.url,
      "sdelements:apiToken": DEFAULT_TOKEN,
      [`${PROJECT}:jiraPassword`]: JIRA_PASSWORD,
      ...(catalogue ? { [`${PROJECT}:catalogue`]: catalogue } : {}),
    },
    secretKeys: ["sdelements:apiToken", `${PROJECT}:jiraPassword`],
    hostCwd: ROOT,
  });
}

const creates = (emulator: Emulator) =>
  emulator.requestLog.filter((e) => e.method === "POST" && e.path === "/api/v2/connections/issue-tracker/");

test(
  `${ENTRIES} entries, one per project: up creates ${ENTRIES} connections, a second preview shows no change`,
  async () => {
    const seed = structuredClone(DEFAULT_SEED);
    for (let id = 4; id <= ENTRIES; id++)
      (seed.projects ??= []).push({ id, name: `Team ${id}`, slug: `team-${id}`, application: 1, archived: false });
    const emulator = await startEmulator({ seed });
    const catalogue = join(work, "two-hundred.yaml");
    writeFileSync(
      catalogue,
      stringify({
        defaults: {
          connector: "Jira Connector",
          frequency: "daily",
          params: {
            issue_tracker_server: "jira.example.com",
            issue_tracker_user: "pulumi-bot",
            issue_tracker_phases: "requirements,architecture-design,development,testing",
            issue_tracker_title_format: "[SDE] $task_id $title",
          },
          credentials: { issue_tracker_pass: "jiraPassword" },
        },
        connections: Array.from({ length: ENTRIES }, (_, i) => ({
          project: ["Project 1", "Demo Project", "Spare Project"][i] ?? `Team ${i + 1}`,
          alias: `Team ${i + 1} Jira`,
          params: { issue_tracker_project: i % 2 === 0 ? "PAY" : "OPS" },
        })),
      }),
    );
    const engine = stackOf(emulator, catalogue);
    try {
      const preview = await engine.preview();
      // The connections and the ConnectionTests resource registered before them.
      expect(countSteps(preview.steps)).toEqual({ create: ENTRIES + 1 });
      // Two tracker projects, so two distinct settings: two tests for 200 connections, run in that one Check.
      expect(calls(emulator).filter((c) => c === "POST /api/v2/connections/test-issue-tracker/")).toHaveLength(2);
      expect(preview.outputs.connectionCount).toBe(ENTRIES);

      const before = emulator.connections().length;
      emulator.clearRequestLog();
      const up = await engine.up();
      expect(countSteps(up.steps)).toEqual({ create: ENTRIES + 1 });
      expect(creates(emulator)).toHaveLength(ENTRIES);
      // The names cost one listing of the projects in each of the up's two program runs, not one a name.
      expect(calls(emulator).filter((c) => c === "GET /api/v2/projects/")).toHaveLength(2);
      expect(emulator.connections()).toHaveLength(before + ENTRIES);
      const made = emulator.connections().filter((c) => c.alias.startsWith("Team "));
      expect(made.map((c) => c.project).sort((a, b) => a - b)).toEqual(Array.from({ length: ENTRIES }, (_, i) => i + 1));
      expect(made.every((c) => c.frequency === "daily" && c.params?.issue_tracker_title_format === "[SDE] $task_id $title")).toBe(true);
      expect(made.every((c) => c.params?.issue_tracker_pass === JIRA_PASSWORD)).toBe(true);

      emulator.clearRequestLog();
      const again = await engine.preview();
      expect(countSteps(again.steps)).toEqual({ same: ENTRIES + 1 });
      // Nothing but the program's two lookups: the projects list and the connectors list.
      expect(calls(emulator).sort()).toEqual(["GET /api/v2/connectors/issue-tracker/", "GET /api/v2/projects/"]);
    } finally {
      await engine.close();
      await emulator.stop();
    }
  },
  3 * STEP_TIMEOUT,
);

test(
  "the example's own catalogue runs as shipped: one connection per project, the password from a config secret",
  async () => {
    expect(loadCatalogue(join(EXAMPLE, "catalogue.yaml")).map((c) => [c.name, c.project, c.connector])).toEqual([
      ["project-1-payments-jira", { name: "Project 1" }, { name: "Jira Connector" }],
      ["demo-project-operations-jira", { name: "Demo Project" }, { name: "Jira Connector" }],
      ["spare-project-spare-jira", { name: "Spare Project", application: "Demo Application" }, { name: "Jira Connector" }],
    ]);
    const emulator = await startEmulator();
    const engine = stackOf(emulator);
    try {
      expect(countSteps((await engine.up()).steps)).toEqual({ create: 4 });
      expect(countSteps((await engine.up()).steps)).toEqual({ same: 4 });
      expect(emulator.connections().find((c) => c.alias === "Spare Jira")).toMatchObject({ project: 3, frequency: "weekly" });
    } finally {
      await engine.close();
      await emulator.stop();
    }
  },
  STEP_TIMEOUT,
);

test("a bad catalogue fails the preview naming the entry and the field, and nothing is created", async () => {
  // Through the demo runner in its own process: a program that throws leaves rejections of the Pulumi
  // runtime behind that would fail any jest test running it in-process.
  const { catalogue, run } = await failedPreviewOf(
    "bad.yaml",
    "defaults: { connector: 1 }\nconnections:\n  - { project: 1, alias: Good Jira, params: { issue_tracker_project: PAY } }\n  - { project: 2, alias: Bad Jira, frequency: Weekly }\n",
  );
  expect(run.stdout).toContain(
    `error: the program failed: ${catalogue}: connections[1] ("Bad Jira", project 2): frequency: "Weekly" is not a valid choice: write it in lower case, "weekly"`,
  );
  // No connection is planned: only the stack itself, as the CLI shows a first preview whose program failed.
  expect(run.stdout).not.toMatch(/IssueTrackerConnection/);
  expect(run.stdout).toMatch(/Resources:\n {4}\+ 1 to create\n/);
});

test("a project name that matches no project fails the preview naming the entry and the candidates, and nothing is created", async () => {
  const { catalogue, run } = await failedPreviewOf(
    "unknown-name.yaml",
    "defaults: { connector: Jira Connector }\nconnections:\n  - { project: Demo Project, alias: Good Jira, params: { issue_tracker_project: PAY } }\n  - { project: Payments, alias: Lost Jira, params: { issue_tracker_project: PAY } }\n",
  );
  expect(run.stdout).toContain(
    `error: the program failed: ${catalogue}: "Lost Jira" (payments-lost-jira): project: no project named "Payments" (names match exactly, case included); projects: `,
  );
  expect(run.stdout).not.toMatch(/IssueTrackerConnection/);
});

/** A preview of the example reading a catalogue of this text, through the demo runner; it must fail. */
async function failedPreviewOf(file: string, yaml: string) {
  const catalogue = join(work, file);
  writeFileSync(catalogue, yaml);
  const run = await demo([
    "--program",
    EXAMPLE,
    "--steps",
    "preview",
    "--config",
    `catalogue=${catalogue}`,
    "--secret-env",
    "jiraPassword=JIRA_PASSWORD",
  ]);
  expect(run.code).toBe(1);
  return { catalogue, run };
}

/** `npm run demo -- ARGS` (the compiled runner, built by the test setup), without any pulumi CLI on PATH. */
function demo(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, "lib", "cli", "demo.js"), ...args], {
      cwd: ROOT,
      env: { PATH: dirname(process.execPath), JIRA_PASSWORD },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}
