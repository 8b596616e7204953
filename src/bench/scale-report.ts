import { SCALE_PHASES, type ScalePhaseResult, type ScaleReport } from "./scale";

/**
 * The at-scale scenario's report: a Markdown table per phase (ours next to the previous behaviour, each
 * against the phase's floor), the throttled creates, and with `json` every figure as one JSON line, last.
 */
export function renderScaleReport(report: ScaleReport, json: boolean): string {
  if (json) return JSON.stringify(report);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const ratio = (r: number | undefined) => (r === undefined ? "—" : `${r.toFixed(2)}×`);
  const requests = (r: ScalePhaseResult) =>
    Object.entries(r.requests)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, count]) => `${count} ${kind.replace("/api/v2/connections/issue-tracker/", "…/")}`)
      .join(", ") || "none";
  const find = (behaviour: string, phase: string) => report.phases.find((p) => p.behaviour === behaviour && p.phase === phase);
  const lines = [
    `At scale: N=${report.n} connections, ${report.distinct} distinct connection tests, ${report.latencyMs} ms injected into every request;`,
    `request budget ${report.budget} (sdelements:maxConcurrentRequests), engine --parallel ${report.parallel} (${report.cpus} CPUs), Diff ${report.parallelDiff ? "in parallel (PULUMI_PARALLEL_DIFF=true)" : "serial (the default)"}, page size ${report.pageSize}; Node ${report.node}.`,
    `Floor: the fewest sequential request rounds the phase needs × the latency. Walk: the same phase of ours with no latency injected (the engine's and the host's own work).`,
    `"previous": one GET per read, no shared budget.`,
    "",
    "| phase | ours: wall | ours: requests | floor | ours / floor | walk (0 ms) | ours / (walk + floor) | previous: wall | previous: requests | previous / floor |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const phase of SCALE_PHASES) {
    const ours = find("ours", phase);
    const previous = find("previous", phase);
    if (!ours || !previous) continue;
    lines.push(
      `| ${phase} | ${seconds(ours.wallMs)} | ${ours.totalRequests}: ${requests(ours)} | ${ours.floorRounds} rounds (${ours.floorWhy}) = ${seconds(ours.floorMs)} | ${ratio(ours.ratio)} | ${ours.walkMs === undefined ? "—" : seconds(ours.walkMs)} | ${ratio(ours.walkRatio)} | ${seconds(previous.wallMs)} | ${previous.totalRequests}: ${requests(previous)} | ${ratio(previous.ratio)} |`,
    );
  }
  if (report.throttled) {
    lines.push(
      "",
      `Throttled: ${report.n} creates in one \`up\` while the server allows ${report.throttled.rateLimitPerSecond} requests a second (429 with Retry-After beyond), engine --parallel ${report.throttled.parallel} (a CI runner with ${report.throttled.parallel / 4} CPUs).`,
      "",
      "| behaviour | wall | connections made | duplicates | failed operations | 429 answers | requests in all |",
      "|---|---|---|---|---|---|---|",
    );
    for (const t of report.throttled.results) {
      lines.push(
        `| ${t.behaviour} | ${seconds(t.wallMs)} | ${t.created} of ${report.n} | ${t.duplicates} | ${t.failedOperations} | ${t.throttledAnswers} | ${t.totalRequests} |`,
      );
    }
  }
  return lines.join("\n");
}
