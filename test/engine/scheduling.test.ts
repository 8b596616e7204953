import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "../../src";
import { startEmulator, type Emulator } from "../../src/emulator";
import { DeploymentError, LocalEngine, type EngineEvent, type LocalEngineOptions } from "../../src/engine";
import { localStackOptions } from "../support/local-stack";
import { canarySeed, SECRETS } from "../support/seeds";
import { startTamperingProxy } from "../support/tampering-proxy";
import type { ScriptedServer } from "../support/scripted-server";

// The local engine paces provider calls as the Pulumi engine does (Check one at a time, in registration
// order), and `up` is a preview deployment then the update, each with its own provider host. Requests go
// through a proxy that counts the connection tests under way: the emulator delays each a little, so
// Checks that overlapped would have two under way at once.
const TEST_PATH = "/api/v2/connections/test-issue-tracker/";
let emulator: Emulator;
let proxy: ScriptedServer;
let underWay = 0;
let mostAtOnce = 0;
let engine: LocalEngine | undefined;
/** Test answers wait for this (by default nothing). */
let held: Promise<void> = Promise.resolve();
let onTestArrived: () => void = () => undefined;

beforeEach(async () => {
  emulator = await startEmulator({ seed: canarySeed() });
  emulator.faults.latency({ count: 1000, ms: 20, path: TEST_PATH });
  underWay = 0;
  mostAtOnce = 0;
  held = Promise.resolve();
  onTestArrived = () => undefined;
  proxy = await startTamperingProxy(
    emulator.url,
    async (request) => {
      if (request.path !== TEST_PATH) return undefined;
      await held;
      underWay--;
      return undefined;
    },
    (request) => {
      if (request.path !== TEST_PATH) return undefined;
      mostAtOnce = Math.max(mostAtOnce, ++underWay);
      onTestArrived();
      return undefined;
    },
  );
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await proxy.stop();
  await emulator.stop();
});

const tests = () => emulator.requestLog.filter((e) => e.path === TEST_PATH).length;
const PARAMS = { issue_tracker_server: "jira.secure.example", issue_tracker_user: "ci-bot", issue_tracker_project: "PAY" };

/** Six connections, each with its own tracker settings (so six tests), and the runs' isDryRun values. */
function stack(more: Partial<LocalEngineOptions> & { password?: () => string; flipped?: () => boolean } = {}) {
  const runs: boolean[] = [];
  const { password = () => SECRETS.password, flipped = () => false, config, ...options } = more;
  const program = () => {
    runs.push(pulumi.runtime.isDryRun());
    for (let i = 1; i <= 6; i++) {
      new IssueTrackerConnection(`team-${i}`, {
        alias: `Team ${i} Jira`,
        connector: 1,
        project: 1,
        params: { ...PARAMS, issue_tracker_pass: password(), sde_min_priority: flipped() ? 11 - i : i },
      });
    }
  };
  engine = new LocalEngine(localStackOptions(emulator, program, { config: { "sdelements:url": proxy.url, ...config }, ...options }));
  return { engine, runs };
}

test("Checks never overlap; up previews in one host and updates in another, each testing (rememberTests false)", async () => {
  const { engine, runs } = stack({ config: { "sdelements:rememberTests": "false" } });
  await engine.up();
  expect(runs).toEqual([true, false]);
  // Six in the preview's host, six again in the update's: a host remembers only what it tested itself.
  expect(tests()).toBe(12);
  expect(mostAtOnce).toBe(1);
});

test("with rememberTests (the default) a new connection is tested once per up: the update's host reuses the preview's pass", async () => {
  const { engine } = stack();
  await engine.up();
  expect(tests()).toBe(6);
  expect(mostAtOnce).toBe(1);
});

test("skipPreview: the update alone, the program run once", async () => {
  const { engine, runs } = stack({ config: { "sdelements:rememberTests": "false" } });
  await engine.up({ skipPreview: true });
  expect(runs).toEqual([false]);
  expect(tests()).toBe(6);
});

test("up's preview is held back, but its progress is not: each resource's `previewing` arrives while the preview's tests are under way", async () => {
  const seen: EngineEvent[] = [];
  let atRelease: EngineEvent[] = [];
  // The first connection test is answered only once all six resources are reported as being previewed:
  // without that progress the test would wait until its timeout and fail the preview.
  let release: () => void = () => undefined;
  held = new Promise<void>((resolve) => (release = resolve));
  const { engine } = stack({
    config: { "sdelements:timeout": "5", "sdelements:maxAttempts": "1" },
    onEvent: (event) => {
      seen.push(event);
      if (event.kind === "previewing" && seen.filter((e) => e.kind === "previewing").length === 6) {
        atRelease = [...seen];
        release();
      }
    },
  });
  await engine.up();
  expect(atRelease.map((e) => (e.kind === "previewing" ? e.name : e.kind))).toEqual([1, 2, 3, 4, 5, 6].map((i) => `team-${i}`));
  // Nothing else of the preview was passed on, then or later: the update's own events follow.
  expect(seen.filter((e) => e.kind === "previewing")).toHaveLength(6);
  expect(seen.filter((e) => e.kind === "pre" && e.step.custom).map((e) => (e.kind === "pre" ? e.step.op : ""))).toEqual(
    Array(6).fill("create"),
  );
});

test("an existing connection whose test now fails stops the preview, naming the resource and the property, and up updates nothing", async () => {
  let password: string = SECRETS.password;
  const { engine } = stack({ password: () => password });
  await engine.up();
  password = "not-the-password";
  emulator.clearRequestLog();
  const failed = await engine.up().catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(DeploymentError);
  const errors = (failed as DeploymentError).errors;
  // Each resource fails under its own name (six tests: their settings differ in sde_min_priority).
  for (let i = 1; i <= 6; i++) {
    expect(errors).toContainEqual(
      expect.stringMatching(
        new RegExp(`::team-${i}: property params: the connection test failed: Authentication to jira\\.secure\\.example failed`),
      ),
    );
  }
  expect(errors.join("\n")).not.toContain("not-the-password");
  expect(emulator.requestLog.filter((e) => e.method === "PATCH")).toEqual([]);
});

test("parallel bounds the other steps: creates at most that many at once", async () => {
  let creating = 0;
  let mostCreating = 0;
  await proxy.stop();
  proxy = await startTamperingProxy(
    emulator.url,
    (request) => {
      if (request.method === "POST" && request.path === "/api/v2/connections/issue-tracker/") creating--;
      return undefined;
    },
    (request) => {
      if (request.method === "POST" && request.path === "/api/v2/connections/issue-tracker/")
        mostCreating = Math.max(mostCreating, ++creating);
      return undefined;
    },
  );
  emulator.faults.latency({ count: 1000, ms: 20, path: "/api/v2/connections/issue-tracker/" });
  const { engine } = stack({ parallel: 2, config: { "sdelements:rememberTests": "false" } });
  await engine.up({ skipPreview: true });
  expect(emulator.requestLog.filter((e) => e.method === "POST" && e.path === "/api/v2/connections/issue-tracker/")).toHaveLength(6);
  expect(mostCreating).toBeLessThanOrEqual(2);
  expect(mostCreating).toBeGreaterThanOrEqual(1);
});

test("parallel must be a whole number of at least 1", () => {
  expect(() => stack({ parallel: 0 })).toThrow(/^parallel must be a whole number of at least 1/);
});

describe("changed existing connections: their tests start in Check and are collected in Diff", () => {
  async function changed(parallelDiff: boolean) {
    let flipped = false;
    const { engine } = stack({ parallelDiff, flipped: () => flipped, config: { "sdelements:rememberTests": "false" } });
    await engine.up({ skipPreview: true });
    // Each connection's sde_min_priority changes (to 10, 9, ... 5): six new settings to test.
    flipped = true;
    mostAtOnce = 0;
    return engine;
  }

  test("with parallelDiff all six are under way at once: each answer is held until all have arrived", async () => {
    const engine = await changed(true);
    // A Check that awaited its test would wait for ever here (and this test time out).
    let arrived = 0;
    held = new Promise<void>((resolve) => (onTestArrived = () => ++arrived === 6 && resolve()));
    const preview = await engine.preview();
    expect(preview.steps.map((s) => s.op)).toEqual(Array(6).fill("update"));
    expect(mostAtOnce).toBe(6);
  });

  test("without it (the engine's default) a Diff holds up the next Check, so one at a time", async () => {
    const engine = await changed(false);
    await engine.preview();
    expect(tests()).toBe(12);
    expect(mostAtOnce).toBe(1);
  });
});
