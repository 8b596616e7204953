import { rmSync } from "node:fs";
import { summaryLines } from "./reliability/metrics";

/** After all tests: the reliability summary (one line per group), if the reliability suite ran. */
export default function globalTeardown(): void {
  const file = process.env.RELIABILITY_METRICS;
  if (!file) return;
  const lines = summaryLines(file);
  if (lines.length > 0) process.stdout.write(`\nReliability summary\n${lines.map((l) => `  ${l}`).join("\n")}\n`);
  rmSync(file, { force: true });
}
