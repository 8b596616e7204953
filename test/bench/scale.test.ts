import { floorOf, scaleSeed, SCALE_PHASES, type ScaleReport } from "../../src/bench/scale";
import { renderScaleReport } from "../../src/bench/scale-report";

describe("the at-scale scenario's floors", () => {
  it("counts the sequential request rounds each phase needs", () => {
    // N=1000, 50 distinct tests, a budget of 8 under an engine parallelism of 16.
    expect(floorOf("preview, nothing changed", 1000, 50, 8, 16).rounds).toBe(0);
    expect(floorOf("preview, everything changed", 1000, 50, 8, 16).rounds).toBe(7);
    expect(floorOf("up, creating all", 1000, 50, 8, 16).rounds).toBe(7 + 125);
    expect(floorOf("refresh", 1000, 50, 8, 16).rounds).toBe(1);
    expect(floorOf("refresh", 5000, 50, 8, 16).rounds).toBe(5);
    expect(floorOf("up, everything changed", 1000, 50, 8, 16).rounds).toBe(132);
    expect(floorOf("destroy", 1000, 50, 8, 16).rounds).toBe(125);
  });

  it("takes the narrower of the budget and the engine's parallelism", () => {
    expect(floorOf("destroy", 1000, 1, 8, 4).rounds).toBe(250);
  });
});

describe("the scenario's seed", () => {
  it("gives the example Jira tracker a project for each distinct test of both generations", () => {
    const seed = scaleSeed(3) as { trackers: { server: string; projects: string[] }[] };
    const jira = seed.trackers.find((t) => t.server === "jira.example.com")!;
    expect(jira.projects).toEqual(["PAY", "OPS", "SCALE-0", "SCALE-1", "SCALE-2", "SCALE-3", "SCALE-4", "SCALE-5"]);
  });
});

describe("the scenario's report", () => {
  const report: ScaleReport = {
    scenario: "scale",
    n: 10,
    latencyMs: 100,
    distinct: 2,
    budget: 8,
    parallel: 8,
    parallelDiff: false,
    pageSize: 1000,
    phases: SCALE_PHASES.flatMap((phase) =>
      (["ours", "previous"] as const).map((behaviour) => ({
        behaviour,
        phase,
        wallMs: behaviour === "ours" ? 300 : 900,
        requests: { "GET /api/v2/connections/issue-tracker/": 1 },
        totalRequests: 1,
        floorRounds: 2,
        floorWhy: "why",
        floorMs: 200,
        ratio: behaviour === "ours" ? 1.5 : 4.5,
        ...(behaviour === "ours" ? { walkMs: 100, walkRatio: 1 } : {}),
      })),
    ),
    throttled: {
      rateLimitPerSecond: 40,
      parallel: 32,
      results: [
        { behaviour: "ours", wallMs: 1000, created: 10, duplicates: 0, failedOperations: 0, throttledAnswers: 3, totalRequests: 30 },
      ],
    },
    node: "v24",
    cpus: 2,
  };

  it("has a row per phase with both behaviours' ratios", () => {
    const text = renderScaleReport(report, false);
    for (const phase of SCALE_PHASES) expect(text).toContain(`| ${phase} | 0.3 s |`);
    expect(text).toContain("| 1.50× | 0.1 s | 1.00× | 0.9 s |");
    expect(text).toContain("| ours | 1.0 s | 10 of 10 | 0 | 0 | 3 | 30 |");
  });

  it("prints every figure as one JSON line with --json", () => {
    expect(JSON.parse(renderScaleReport(report, true))).toEqual(report);
  });
});
