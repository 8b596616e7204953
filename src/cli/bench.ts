import "./supported-node";
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Agent, request } from "undici";
import { FLOOR_MODULE, floorShim } from "../bench/floor-provider";
import { hostVariant } from "../bench/host";
import { inProcessVariant } from "../bench/in-process";
import { rawVariant } from "../bench/raw";
import { runScale, scaleSeed } from "../bench/scale";
import { renderScaleReport } from "../bench/scale-report";
import { renderReport, type BenchReport, type PhaseTiming } from "../bench/report";
import { startEmulatorProcess, type EmulatorProcess } from "../bench/emulator-process";
import type { Variant } from "../bench/variant";
import { PHASES, runPool } from "../bench/workload";
import { serializedProvider } from "../provider/serialized";
import { packageManifest } from "../package-manifest";
import { parseOptions, UsageError } from "./command-line";
import { refuseSecretsOnCommandLine } from "./secret-input";
import type { CommandIo } from "./command-io";
import { launch } from "./launch";

/**
 * `npm run bench [-- --n 1000 --concurrency 1,16 --small 100 --json]`: the provider's cost measured side
 * by side with what it cannot avoid, in one run, on loopback against the emulator (in its own process):
 * - raw: the same API requests with bare undici (the physical floor on this machine);
 * - in-process: the provider's own methods;
 * - host: the provider through @pulumi/pulumi's real dynamic-provider host over gRPC, as the engine drives it;
 * - floor: a minimal dynamic provider making the same single HTTP call per operation through the same host.
 * Every variant runs each phase for N connections at each concurrency, and again for the small N (for the
 * linearity check). Each ratio's two variants are timed together, slice for slice; the CPU this process
 * spends per operation is reported for raw and in-process. Not a test: nothing here asserts; the report
 * states each target and the figure.
 */
const USAGE =
  "usage: npm run bench -- [--scenario micro|scale] [--n N] [--concurrency C1,C2,...] [--small N] [--rounds R] [--latency MS] [--distinct D] [--rate-limit R] [--throttled-parallel P] [--no-throttled] [--json] [--version] [--help]";

const HELP = `${USAGE}

Measures the provider's cost side by side with what it cannot avoid, on loopback against the emulator
(started in its own process): raw (the provider's requests with bare undici), in-process (the provider's
methods), host (the provider through @pulumi/pulumi's dynamic-provider host over gRPC, as the engine
drives it) and floor (a minimal dynamic provider making the same single request per operation through the
same host). Each phase (check+create, update, read, delete, and a preview of unchanged connections) runs
for N connections at each concurrency; each ratio's two variants take turns 100 operations at a time.

Scenarios:
  micro (default)       the per-operation cost on loopback, as below
  scale                 one catalogue of N connections through the local engine (serial Check, a fresh
                        host per deployment, the CLI's default --parallel) and the real host, with
                        --latency MS injected into every request: preview with nothing changed, preview
                        with everything changed, up creating all, refresh, up with everything changed,
                        destroy; each phase's wall time, requests by type, floor and wall / floor, for
                        the provider's defaults and for the previous behaviour (one GET per read, no
                        shared request budget); then N creates against a throttling server; then
                        every phase of ours again with no latency (the engine's walk), for
                        wall / (walk + floor)

Options:
  --scenario NAME       micro or scale (default micro)
  --n N                 connections per phase (default 1000)
  --latency MS          scale: milliseconds injected into every request (default 100)
  --distinct D          scale: distinct connection tests among the N (default N / 20)
  --rate-limit R        scale: the throttled server's requests per second (default 40)
  --throttled-parallel P  scale: the engine's --parallel for the throttled creates (default 32, as on
                        a CI runner with 8 CPUs)
  --no-throttled        scale: skip the throttled creates
  --concurrency LIST    operations in flight, comma-separated (default 1,16)
  --small N             the smaller N of the linearity check (default 100): a lifecycle of N fresh
                        connections, repeated to cover as many operations as --n
  --rounds R            rounds; ratios and times are medians over them (default 3)
  --json                print the report as one JSON object (last line), progress off
  --version             print the version
  --help                show this help

Every number is a whole number from 1 to 100000. Progress goes to stderr, the report to stdout. Not a
test: nothing is asserted; the report states each target next to its figure. N=1000 with the defaults
takes several minutes on two cores.

Exit status: 0 the report was printed; 1 the run failed; 2 a bad command line.
`;
const ROOT = resolve(__dirname, "..", "..");

interface BenchArgs {
  scenario: "micro" | "scale";
  latency: number;
  distinct: number;
  rateLimit: number;
  throttled: boolean;
  throttledParallel: number;
  n: number;
  small: number;
  concurrency: number[];
  rounds: number;
  json: boolean;
}

/** V8 heap caps for the host's memory measurement: garbage is collected before it piles up. */
export const HOST_HEAP_CAPS = "--max-old-space-size=160 --max-semi-space-size=2";

const BENCH_OPTIONS = {
  scenario: { type: "string" },
  latency: { type: "string" },
  distinct: { type: "string" },
  "rate-limit": { type: "string" },
  "no-throttled": { type: "boolean" },
  "throttled-parallel": { type: "string" },
  n: { type: "string" },
  small: { type: "string" },
  concurrency: { type: "string" },
  rounds: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

function parseBenchArgs(argv: readonly string[]): BenchArgs | "help" | "version" {
  // The bench takes no secret (its emulator and token are its own), so no option that names one.
  refuseSecretsOnCommandLine(argv, Object.keys(BENCH_OPTIONS), "the bench takes no secret: it starts its own emulator with its own token");
  const values = parseOptions(argv, BENCH_OPTIONS);
  if (values.help) return "help";
  if (values.version) return "version";
  const whole = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 100_000)
      throw new UsageError(`--${name} must be a whole number from 1 to 100000, not "${value}"`);
    return Number(value);
  };
  const concurrency = (values.concurrency ?? "1,16").split(",").map((c) => whole("concurrency", c.trim(), 1));
  const scenario = values.scenario ?? "micro";
  if (scenario !== "micro" && scenario !== "scale") throw new UsageError(`--scenario must be micro or scale, not "${scenario}"`);
  const n = whole("n", values.n, 1000);
  return {
    scenario,
    latency: values.latency === "0" ? 0 : whole("latency", values.latency, 100),
    distinct: Math.min(n, whole("distinct", values.distinct, Math.max(1, Math.round(n / 20)))),
    rateLimit: whole("rate-limit", values["rate-limit"], 40),
    throttled: !values["no-throttled"],
    throttledParallel: whole("throttled-parallel", values["throttled-parallel"], 32),
    n,
    small: whole("small", values.small, 100),
    concurrency,
    rounds: whole("rounds", values.rounds, 3),
    json: values.json ?? false,
  };
}

/** The text Pulumi stores as `__provider`, serialized exactly as @pulumi/pulumi's dynamic.Resource does. */
async function serialized(provider: object): Promise<string> {
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

/** API requests per connection of each phase, per variant, from the emulator's log (untimed). */
async function countCalls(emulator: EmulatorProcess, variant: Variant, n: number): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  for (const phase of PHASES) {
    await emulator.clear();
    await runPool(n, 4, (i) => variant.op(phase, `calls-${variant.name}`, i));
    counts.set(phase, Object.fromEntries(Object.entries(await emulator.calls()).map(([k, v]) => [k, v / n])));
  }
  return counts;
}

/**
 * Lets whatever the last slice left running (concurrent marking, compilation, a host's own work) finish.
 * Garbage is not collected here: a scavenge falls in whichever slice fills the young generation, so each
 * variant pays for collections in proportion to what it allocates.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/**
 * Each phase for N connections, the two variants of a comparison (raw and in-process, or floor and host)
 * taking turns slice by slice: a slice is 100 operations run through a continuous pool of `concurrency`,
 * in the order A B B A A B…, so whatever else the machine does during the run, and any drift, falls on
 * both alike. The time of each variant is the sum of its slices.
 */
async function measurePair(
  emulator: EmulatorProcess,
  pair: readonly [Variant, Variant],
  n: number,
  concurrency: number,
  label: string,
  /** Which of the two goes first in the first slice: pair[0] when even. */
  offset: number,
): Promise<PhaseTiming[]> {
  const timings: PhaseTiming[] = [];
  const batch = Math.max(100, concurrency);
  for (const phase of PHASES) {
    await emulator.clear();
    const ms = new Map<Variant, number>(pair.map((v) => [v, 0]));
    const cpuMicros = new Map<Variant, number>(pair.map((v) => [v, 0]));
    for (let start = 0, slice = 0; start < n; start += batch, slice++) {
      const size = Math.min(batch, n - start);
      for (const variant of (slice + offset) % 2 === 0 ? pair : [pair[1], pair[0]]) {
        await settle();
        const cpuBefore = process.cpuUsage();
        ms.set(
          variant,
          ms.get(variant)! + (await runPool(size, concurrency, (i) => variant.op(phase, `${label}-${variant.name}`, start + i))),
        );
        const cpu = process.cpuUsage(cpuBefore);
        cpuMicros.set(variant, cpuMicros.get(variant)! + cpu.user + cpu.system);
      }
    }
    for (const variant of pair) {
      const total = ms.get(variant)!;
      const cpuPerOpMs = cpuMicros.get(variant)! / 1000 / n;
      timings.push({
        variant: variant.name,
        phase,
        n,
        concurrency,
        round: 0,
        ops: n,
        ms: total,
        perOpMs: total / n,
        cpuPerOpMs,
        callsPerOp: {},
      });
    }
  }
  return timings;
}

/** The timings grouped by variant, phase, N and concurrency. */
function bySeries(timings: readonly PhaseTiming[]): PhaseTiming[][] {
  const groups = new Map<string, PhaseTiming[]>();
  for (const t of timings) {
    const key = `${t.variant}|${t.phase}|${t.n}|${t.concurrency}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()];
}

/** Repetitions of one series taken together: their operations and their time. */
function summed(timings: readonly PhaseTiming[]): PhaseTiming[] {
  return bySeries(timings).map((ts) => {
    const ms = ts.reduce((sum, t) => sum + t.ms, 0);
    const ops = ts.reduce((sum, t) => sum + t.ops, 0);
    const cpuMs = ts.reduce((sum, t) => sum + t.cpuPerOpMs * t.ops, 0);
    return { ...ts[0]!, ops, ms, perOpMs: ms / ops, cpuPerOpMs: cpuMs / ops };
  });
}

/** Peak RSS (MB) of fresh hosts, ours and the floor's, through a whole N-connection lifecycle. */
async function hostMemory(
  emulator: EmulatorProcess,
  texts: { host: string; floor: string },
  n: number,
  concurrency: number,
  env: NodeJS.ProcessEnv,
): Promise<{ host: number; floor: number }> {
  const peak: Record<string, number> = {};
  for (const name of ["host", "floor"] as const) {
    const variant = await hostVariant(name, texts[name], { url: emulator.url, token: emulator.token, cwd: ROOT, env });
    for (const phase of PHASES)
      await runPool(n, concurrency, (i) => variant.op(phase, `rss-${name}-${env.NODE_OPTIONS ? "capped" : "default"}`, i));
    peak[name] = variant.peakRssMb();
    await variant.close();
  }
  return { host: peak.host!, floor: peak.floor! };
}

/** How many requests a second the emulator answers on its own (GETs, 32 in flight). */
async function emulatorThroughput(emulator: EmulatorProcess): Promise<number> {
  const agent = new Agent({ connections: 32 });
  const total = 4000;
  const ms = await runPool(total, 32, async () => {
    const res = await request(`${emulator.url}/api/v2/connections/issue-tracker/1/`, {
      headers: { authorization: `Token ${emulator.token}` },
      dispatcher: agent,
    });
    await res.body.text();
  });
  await agent.close();
  return Math.round((total / ms) * 1000);
}

/** Runs the bench; resolves with the exit status. Progress goes to stderr, the report to stdout. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let args: BenchArgs | "help" | "version";
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.stdout(HELP);
    return 0;
  }
  if (args === "version") {
    io.stdout(`${packageManifest().version}\n`);
    return 0;
  }
  const json = args.json;
  const log = (line: string) => json || io.stderr(`${line}\n`);
  if (args.scenario === "scale") return scale(args, log, io);
  const emulator = await startEmulatorProcess();
  const providerText = await serialized(serializedProvider);
  // Every host this process starts (the floor's among them) finds the floor's module here.
  process.env.SDE_BENCH_FLOOR = FLOOR_MODULE;
  const floorText = await serialized(floorShim);
  const hostOptions = { url: emulator.url, token: emulator.token, cwd: ROOT };
  const raw = await rawVariant(emulator.url, emulator.token);
  const inProcess = inProcessVariant(emulator.url, emulator.token);
  const host = await hostVariant("host", providerText, hostOptions);
  const floor = await hostVariant("floor", floorText, hostOptions);
  const variants: Variant[] = [raw, inProcess, host, floor];
  // The comparisons the targets make, each timed on its own: in-process / raw and host / floor.
  const pairs: (readonly [Variant, Variant])[] = [
    [raw, inProcess],
    [floor, host],
  ];
  const all: PhaseTiming[] = [];
  try {
    log("warming up, and counting each variant's API calls (not timed)...");
    const calls = new Map<string, Map<string, Record<string, number>>>();
    for (const variant of variants) calls.set(variant.name, await countCalls(emulator, variant, args.small));
    for (let round = 0; round < args.rounds; round++) {
      for (const concurrency of args.concurrency) {
        for (const n of [...new Set([args.small, args.n])]) {
          // The small N is a whole lifecycle of N fresh connections, repeated until it covers as many
          // operations as the large one: alone, a phase of 100 quick operations lasts a few milliseconds,
          // too short to time against the machine's noise.
          const repetitions = Math.ceil(args.n / n);
          log(`round ${round + 1}/${args.rounds}: N=${n}${repetitions > 1 ? ` (${repetitions} times)` : ""}, concurrency ${concurrency}`);
          const timings: PhaseTiming[] = [];
          for (let rep = 0; rep < repetitions; rep++) {
            for (const pair of pairs) {
              // Which of the two goes first alternates with each repetition and each round.
              timings.push(...(await measurePair(emulator, pair, n, concurrency, `r${round}-c${concurrency}-n${n}-${rep}`, round + rep)));
            }
          }
          all.push(...summed(timings).map((t) => ({ ...t, round })));
        }
      }
    }
    for (const t of all) t.callsPerOp = calls.get(t.variant)!.get(t.phase)!;
    const widest = Math.max(...args.concurrency);
    log(`host memory: fresh hosts through ${args.n} connections at concurrency ${widest}...`);
    const texts = { host: providerText, floor: floorText };
    const memory = await hostMemory(emulator, texts, args.n, widest, {});
    const capped = await hostMemory(emulator, texts, args.n, widest, { NODE_OPTIONS: HOST_HEAP_CAPS });
    const report: BenchReport = {
      n: args.n,
      small: args.small,
      concurrency: args.concurrency,
      rounds: args.rounds,
      callsSampleSize: args.small,
      timings: all,
      serializedProviderBytes: Buffer.byteLength(providerText),
      floorProviderBytes: Buffer.byteLength(floorText),
      hostPeakRssMb: memory.host,
      floorHostPeakRssMb: memory.floor,
      hostPeakRssCappedMb: capped.host,
      floorHostPeakRssCappedMb: capped.floor,
      hostHeapCaps: HOST_HEAP_CAPS,
      emulatorRequestsPerSecond: await emulatorThroughput(emulator),
      node: process.version,
    };
    io.stdout(`${renderReport(report, args.json)}\n`);
    return 0;
  } finally {
    for (const variant of variants) await variant.close();
    await emulator.stop();
  }
}

/** `--scenario scale`: the emulator (seeded with the scenario's trackers) in its own process, then every phase. */
async function scale(args: BenchArgs, log: (line: string) => void, io: CommandIo): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "sde-bench-scale-"));
  const seedFile = join(dir, "seed.json");
  writeFileSync(seedFile, JSON.stringify(scaleSeed(args.distinct)));
  const emulator = await startEmulatorProcess(seedFile);
  try {
    const report = await runScale(
      emulator,
      {
        n: args.n,
        latencyMs: args.latency,
        distinct: args.distinct,
        throttled: args.throttled,
        rateLimit: args.rateLimit,
        throttledParallel: args.throttledParallel,
        log,
      },
      ROOT,
    );
    io.stdout(`${renderScaleReport(report, args.json)}\n`);
    return 0;
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) launch(main);
