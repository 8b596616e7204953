import { appendFileSync, existsSync, readFileSync } from "node:fs";

/**
 * Counts from the reliability suite, summed per group across test files (jest runs them in separate
 * workers, so they meet in a file named by RELIABILITY_METRICS, which the test setup creates).
 */
export type Counts = Record<string, number>;

export const GROUPS = ["faults", "hostile answers", "load", "bad input", "leaks", "emulator"] as const;
export type Group = (typeof GROUPS)[number];

export function record(group: Group, counts: Counts): void {
  const file = process.env.RELIABILITY_METRICS;
  if (file) appendFileSync(file, JSON.stringify({ group, counts }) + "\n");
}

/** One line per group, e.g. `faults: 120 faults injected, 64 operations, 0 duplicates, 0 losses`. */
export function summaryLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const totals = new Map<string, Counts>();
  for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
    const { group, counts } = JSON.parse(line) as { group: string; counts: Counts };
    const sum = totals.get(group) ?? {};
    for (const [key, n] of Object.entries(counts)) sum[key] = (sum[key] ?? 0) + n;
    totals.set(group, sum);
  }
  return [...GROUPS]
    .filter((g) => totals.has(g))
    .map(
      (g) =>
        `${g}: ${Object.entries(totals.get(g)!)
          .map(([key, n]) => `${n} ${key}`)
          .join(", ")}`,
    );
}
