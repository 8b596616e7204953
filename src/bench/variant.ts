import type { Phase } from "./workload";

/** One way of doing the benchmark's operations: raw HTTP, the provider in-process, or through a host. */
export interface Variant {
  readonly name: "raw" | "in-process" | "host" | "floor";
  /** Does operation `phase` for connection i of run `run` (state between phases is the variant's own). */
  op(phase: Phase, run: string, i: number): Promise<void>;
  close(): Promise<void>;
}
