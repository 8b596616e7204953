import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import { LocalEngine, parallelOf, type LocalEngineOptions } from "../engine";
import { stepLimits } from "../engine/step-limits";
import { DEFAULT_SEED, type SeedData } from "../emulator";
import { ConnectionTests } from "../connection-tests";
import { IssueTrackerConnection, type IssueTrackerConnectionArgs } from "../issue-tracker-connection";
import type { EmulatorProcess } from "./emulator-process";
import { declared, TRACKER } from "./workload";

/**
 * The at-scale scenario of `npm run bench -- --scenario scale`: one catalogue of N connections through the
 * local engine (serial Check, a fresh provider host per deployment, the CLI's default parallelism for the
 * rest) and @pulumi/pulumi's real dynamic-provider host, against the emulator in its own process with a
 * latency injected into every request. Each phase runs twice in the same run: with the provider's
 * defaults ("ours") and with the previous behaviour ("previous": one GET per read, no shared request
 * budget: each request waits out its own Retry-After, the engine's parallelism decides the load).
 */

/** The phases, in the order the report lists them (they run in the order a catalogue's life has them). */
export const SCALE_PHASES = [
  "preview, nothing changed",
  "preview, everything changed",
  "up, creating all",
  "refresh",
  "up, everything changed",
  "destroy",
] as const;
export type ScalePhase = (typeof SCALE_PHASES)[number];

export type Behaviour = "ours" | "previous";

/** Stack config that gives the previous behaviour (the provider's own switches, documented in the README). */
export const PREVIOUS_CONFIG: Record<string, string> = {
  "sdelements:bulkReads": "false",
  "sdelements:adaptiveThrottling": "false",
  "sdelements:maxConcurrentRequests": "256",
  "sdelements:rememberTests": "false",
};

/** The provider's default `sdelements:maxConcurrentRequests` (src/client/options.ts). */
export const DEFAULT_BUDGET = 8;
/** The API's largest page (DRF's max_page_size), which a bulk read asks for. */
export const PAGE_SIZE = 1000;

export interface ScaleArgs {
  n: number;
  latencyMs: number;
  /** Distinct connection tests among the N (distinct tracker projects of one tracker and one account). */
  distinct: number;
  /** Run the throttled-creates scenario too. */
  throttled: boolean;
  /** The emulator's rate limit in the throttled scenario: this many requests a second. */
  rateLimit: number;
  /**
   * The engine's --parallel in the throttled scenario: a CI runner's (32: 8 CPUs) rather than this
   * machine's, for that is where independent retries crowd a throttling server.
   */
  throttledParallel: number;
  log: (line: string) => void;
}

export interface ScalePhaseResult {
  behaviour: Behaviour;
  phase: ScalePhase;
  wallMs: number;
  /** Requests the emulator received, by `METHOD kind` (ids as {id}). */
  requests: Record<string, number>;
  totalRequests: number;
  /** The fewest sequential request rounds the phase needs, and why. */
  floorRounds: number;
  floorWhy: string;
  floorMs: number;
  /** wall / floor (undefined where the floor is no request at all). */
  ratio: number | undefined;
  /** Ours only: the same phase's wall with no latency injected (the engine's walk). */
  walkMs?: number;
  /** Ours only: wall / (walk + floor): how much of the requests' latency the phase fails to overlap. */
  walkRatio?: number;
}

export interface ThrottledResult {
  behaviour: Behaviour;
  wallMs: number;
  created: number;
  duplicates: number;
  failedOperations: number;
  throttledAnswers: number;
  totalRequests: number;
}

export interface ScaleReport {
  scenario: "scale";
  n: number;
  latencyMs: number;
  distinct: number;
  budget: number;
  parallel: number;
  /** Whether Diffs ran in parallel (PULUMI_PARALLEL_DIFF=true), not in the serial step generation. */
  parallelDiff: boolean;
  pageSize: number;
  phases: ScalePhaseResult[];
  throttled?: { rateLimitPerSecond: number; parallel: number; results: ThrottledResult[] };
  node: string;
  cpus: number;
}

/**
 * The fewest sequential request rounds each phase needs, given N connections, D distinct tests, a budget
 * of B requests in flight, the engine's parallelism P and the API's page size. The tests and the writes
 * are each at most min(B, P) wide; a listing's pages follow one another (each names the next).
 */
export function floorOf(phase: ScalePhase, n: number, distinct: number, budget: number, parallel: number): { rounds: number; why: string } {
  const wide = Math.min(budget, parallel);
  const tests = Math.ceil(distinct / wide);
  const writes = Math.ceil(n / wide);
  switch (phase) {
    case "preview, nothing changed":
      return { rounds: 0, why: "no request: nothing to test or read" };
    case "preview, everything changed":
      return { rounds: tests, why: `${distinct} distinct tests, ${wide} at a time` };
    case "up, creating all":
      return { rounds: tests + writes, why: `${distinct} tests + ${n} POSTs, ${wide} at a time` };
    case "refresh":
      return { rounds: Math.ceil(n / PAGE_SIZE), why: `${Math.ceil(n / PAGE_SIZE)} list page(s) of ${PAGE_SIZE}` };
    case "up, everything changed":
      return { rounds: tests + writes, why: `${distinct} tests + ${n} PATCHes, ${wide} at a time` };
    case "destroy":
      return { rounds: writes, why: `${n} DELETEs, ${wide} at a time` };
  }
}

/** The emulator's seed for the scenario: the default data, the example Jira tracker with D projects. */
export function scaleSeed(distinct: number): SeedData {
  const seed = structuredClone(DEFAULT_SEED);
  const jira = seed.trackers?.find((t) => t.server === TRACKER.server);
  if (!jira) throw new Error(`the default seed has no tracker ${TRACKER.server}`);
  jira.projects = [...(jira.projects ?? []), ...Array.from({ length: 2 * distinct }, (_, d) => trackerProject(d))];
  return seed;
}

const trackerProject = (d: number) => `SCALE-${d}`;

/**
 * The catalogue: N connections over the three seeded projects, generation g (0 or 1) mapping connection i
 * to tracker project g·D + (i mod D): changing g changes every connection's tested settings to D distinct
 * ones never tested before. Ours declares them as the README advises (one ConnectionTests registered
 * first, every connection depending on it); the previous behaviour, as a program did before.
 */
function catalogue(behaviour: Behaviour, prefix: string, n: number, distinct: number, generation: () => number) {
  return () => {
    const password = new pulumi.Config().requireSecret("password");
    const connections: Record<string, IssueTrackerConnectionArgs> = {};
    for (let i = 0; i < n; i++) {
      // The micro bench's declaration, without its per-connection parent issue (which would make every
      // test distinct), its password a stack secret, its tracker project the generation's.
      const { params, ...basics } = declared(prefix, i);
      const { issue_tracker_parent_issue: _parent, ...tracker } = params;
      connections[`${prefix}-${i}`] = {
        ...basics,
        alias: `Scale ${prefix} ${i}`,
        params: {
          ...tracker,
          issue_tracker_pass: password,
          issue_tracker_project: trackerProject(generation() * distinct + (i % distinct)),
        },
      };
    }
    const tests = behaviour === "ours" ? new ConnectionTests(`${prefix}-tests`, { connections }) : undefined;
    for (const [name, args] of Object.entries(connections)) new IssueTrackerConnection(name, args, tests ? { dependsOn: tests } : {});
    return {};
  };
}

/** Requests by `METHOD kind` (ids as {id}), from the emulator's counts by `METHOD kind status`. */
function byKind(counts: Record<string, number>): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const [key, count] of Object.entries(counts)) {
    const kind = key.slice(0, key.lastIndexOf(" "));
    kinds[kind] = (kinds[kind] ?? 0) + count;
  }
  return kinds;
}

/** Requests answered with this status. */
const withStatus = (counts: Record<string, number>, status: number) =>
  Object.entries(counts).reduce((sum, [key, count]) => sum + (key.endsWith(` ${status}`) ? count : 0), 0);

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function engineFor(
  emulator: EmulatorProcess,
  behaviour: Behaviour,
  stack: string,
  program: () => unknown,
  root: string,
  parallel: number,
): LocalEngine {
  const options: LocalEngineOptions = {
    program,
    project: "scale",
    stack,
    hostCwd: root,
    config: {
      "sdelements:url": emulator.url,
      "sdelements:apiToken": emulator.token,
      "scale:password": TRACKER.pass,
      ...(behaviour === "previous" ? PREVIOUS_CONFIG : {}),
    },
    secretKeys: ["sdelements:apiToken", "scale:password"],
    parallel,
  };
  return new LocalEngine(options);
}

/**
 * Every phase for both behaviours, each behaviour on its own stack and connections; then (after the
 * throttled creates) every phase of ours again with no latency injected: the engine's walk, what the
 * phase costs when requests are free (the program's registrations, Check and Diff one at a time over
 * gRPC, the host's start, the emulator's own work), which the request-round floor does not count.
 */
export async function runScale(emulator: EmulatorProcess, args: ScaleArgs, root: string): Promise<ScaleReport> {
  const parallel = parallelOf({});
  await emulator.arm({ kind: "latency", ms: args.latencyMs, count: 1_000_000 });
  const results: ScalePhaseResult[] = [];
  for (const behaviour of ["ours", "previous"] as const) results.push(...(await lifecycle(emulator, args, root, parallel, behaviour, "")));
  const report: ScaleReport = {
    scenario: "scale",
    n: args.n,
    latencyMs: args.latencyMs,
    distinct: args.distinct,
    budget: DEFAULT_BUDGET,
    parallel,
    parallelDiff: stepLimits({}).diff !== undefined,
    pageSize: PAGE_SIZE,
    phases: results,
    node: process.version,
    cpus: cpus().length,
  };
  if (args.throttled)
    report.throttled = {
      rateLimitPerSecond: args.rateLimit,
      parallel: args.throttledParallel,
      results: await runThrottled(emulator, args, root, args.throttledParallel),
    };
  await emulator.clearFaults();
  const walk = await lifecycle(emulator, args, root, parallel, "ours", "walk-");
  for (const result of results) {
    const walked = walk.find((w) => w.phase === result.phase);
    if (result.behaviour !== "ours" || !walked) continue;
    result.walkMs = walked.wallMs;
    result.walkRatio = result.wallMs / (walked.wallMs + result.floorMs);
  }
  return report;
}

/**
 * Runs `body` with the provider hosts it starts given a temporary directory of their own, so a file of
 * passed tests of their own, empty at first: every run tests what it must (the runs share a server, a
 * token and tracker settings, and a pass of an earlier run, or an earlier bench, would be remembered).
 */
async function withOwnTmp<T>(body: () => Promise<T>): Promise<T> {
  const own = mkdtempSync(join(tmpdir(), "sde-bench-scale-tmp-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = own; // the hosts inherit this process's environment when they start
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(own, { recursive: true, force: true });
  }
}

/** One catalogue's life, phase by phase, on its own stack and connections (`prefix` keeps them apart). */
function lifecycle(
  emulator: EmulatorProcess,
  args: ScaleArgs,
  root: string,
  parallel: number,
  behaviour: Behaviour,
  prefix: string,
): Promise<ScalePhaseResult[]> {
  return withOwnTmp(async () => {
    const results: ScalePhaseResult[] = [];
    const latencyMs = prefix === "" ? args.latencyMs : 0;
    let generation = 0;
    const engine = engineFor(
      emulator,
      behaviour,
      `${prefix}${behaviour}`,
      catalogue(behaviour, `${prefix}${behaviour}`, args.n, args.distinct, () => generation),
      root,
      parallel,
    );
    const phase = async (name: ScalePhase, run: () => Promise<unknown>) => {
      args.log(`${prefix}${behaviour}: ${name} (N=${args.n}, ${latencyMs} ms a request)...`);
      await emulator.clear();
      const wallMs = await timed(run);
      const requests = byKind(await emulator.counts());
      const floor = floorOf(name, args.n, args.distinct, DEFAULT_BUDGET, parallel);
      const floorMs = floor.rounds * latencyMs;
      results.push({
        behaviour,
        phase: name,
        wallMs,
        requests,
        totalRequests: Object.values(requests).reduce((a, b) => a + b, 0),
        floorRounds: floor.rounds,
        floorWhy: floor.why,
        floorMs,
        ratio: floorMs > 0 ? wallMs / floorMs : undefined,
      });
    };
    try {
      await phase("up, creating all", () => engine.up());
      await phase("preview, nothing changed", () => engine.preview());
      generation = 1;
      await phase("preview, everything changed", () => engine.preview());
      await phase("refresh", () => engine.refresh());
      await phase("up, everything changed", () => engine.up());
      await phase("destroy", () => engine.destroy());
    } finally {
      await engine.close();
    }
    return results;
  });
}

/**
 * N creates (one `up`) while the emulator throttles as DRF does (at most `rateLimit` requests a second,
 * 429 with Retry-After beyond), for both behaviours: what was made, duplicated or failed, and how many
 * 429s the server had to send. Each behaviour's connections are destroyed afterwards, unthrottled.
 */
async function runThrottled(emulator: EmulatorProcess, args: ScaleArgs, root: string, parallel: number): Promise<ThrottledResult[]> {
  const results: ThrottledResult[] = [];
  for (const behaviour of ["ours", "previous"] as const) {
    const prefix = `throttled-${behaviour}`;
    const engine = engineFor(
      emulator,
      behaviour,
      prefix,
      catalogue(behaviour, prefix, args.n, args.distinct, () => 0),
      root,
      parallel,
    );
    try {
      await withOwnTmp(async () => {
        args.log(`${behaviour}: ${args.n} creates, throttled at ${args.rateLimit} requests a second...`);
        await emulator.clear();
        await emulator.arm({ kind: "rateLimit", requests: args.rateLimit, windowMs: 1000 });
        let failedOperations = 0;
        const wallMs = await timed(async () => {
          try {
            await engine.up();
          } catch (error) {
            failedOperations = (error as { errors?: string[] }).errors?.length ?? 1;
          }
        });
        const counts = await emulator.counts();
        await emulator.clearFaults();
        await emulator.arm({ kind: "latency", ms: args.latencyMs, count: 1_000_000 });
        const aliases = (await listAliases(emulator)).filter((a) => a.startsWith(`Scale ${prefix} `));
        results.push({
          behaviour,
          wallMs,
          created: new Set(aliases).size,
          duplicates: aliases.length - new Set(aliases).size,
          failedOperations,
          throttledAnswers: withStatus(counts, 429),
          totalRequests: Object.values(counts).reduce((a, b) => a + b, 0),
        });
        args.log(`${behaviour}: destroying the throttled run's connections (not measured)...`);
        await engine.destroy();
      });
    } finally {
      await engine.close();
    }
  }
  return results;
}

/** Every connection's alias, straight from the API (all pages). */
async function listAliases(emulator: EmulatorProcess): Promise<string[]> {
  const agent = new Agent();
  const aliases: string[] = [];
  try {
    let next: string | null = `${emulator.url}/api/v2/connections/issue-tracker/?page_size=${PAGE_SIZE}`;
    while (next) {
      const res = await request(next, { headers: { authorization: `Token ${emulator.token}` }, dispatcher: agent });
      const body = (await res.body.json()) as { results: { alias: string }[]; next?: string | null };
      aliases.push(...body.results.map((c) => c.alias));
      next = body.next ?? null;
    }
  } finally {
    await agent.close();
  }
  return aliases;
}
