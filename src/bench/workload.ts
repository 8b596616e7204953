import type { ConnectionCreate } from "../schema/connection";

/**
 * What every variant of the benchmark does to connection i: the same program declaration, so the same
 * API requests. Phases, as the engine runs them: check+create (an up that creates); preview unchanged
 * (Check and Diff of a connection the program did not change); update (Check, Diff, Update of a renamed
 * one); read (refresh); delete (destroy). Each connection's params differ (its parent issue), so each one's connection test is
 * really made (tests that passed are not repeated for identical settings).
 */
export const PHASES = ["check+create", "preview unchanged", "update", "read", "delete"] as const;
export type Phase = (typeof PHASES)[number];

export const CONNECTOR = 1;
export const TRACKER = { server: "jira.example.com", user: "pulumi-bot", pass: "example-jira-password" } as const;

/** A connection as the bench's programs declare it (the resource's arguments, all known values; a type, so it is a Bag too). */
export type Declared = {
  alias: string;
  connector: number;
  project: number;
  frequency: "daily";
  params: Record<string, string>;
};

/** The program's declaration of connection i (the resource's arguments). */
export function declared(run: string, i: number): Declared {
  return {
    alias: `Bench ${run} ${i}`,
    connector: CONNECTOR,
    project: 1 + (i % 3),
    frequency: "daily",
    params: {
      issue_tracker_server: TRACKER.server,
      issue_tracker_user: TRACKER.user,
      issue_tracker_pass: TRACKER.pass,
      issue_tracker_project: "PAY",
      issue_tracker_parent_issue: `PAY-${run}-${i}`,
    },
  };
}

/** The create body the provider sends for it. */
export function createBody(run: string, i: number): ConnectionCreate {
  const d = declared(run, i);
  return { alias: d.alias, connector: d.connector, project: d.project, frequency: d.frequency, debug_mode: false, params: d.params };
}

/** The alias the update phase sets. */
export const renamed = (run: string, i: number) => `Bench ${run} ${i} (renamed)`;

/**
 * Runs `op(0) … op(n-1)` with at most `concurrency` in flight, as the engine runs independent resources;
 * resolves with the elapsed milliseconds.
 */
export async function runPool(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < n) await op(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}
