import { cpus } from "node:os";

/**
 * How the Pulumi engine paces a deployment's provider calls, so that a program run here meets the same
 * waits as under the CLI. The engine generates steps one registration at a time, in the order they
 * arrive: Check is called there (step_generator.go generateSteps; pulumi/pulumi#12351), and so is Diff,
 * unless PULUMI_PARALLEL_DIFF makes Diff a step of its own (pulumi/pulumi#18872; the developer docs'
 * "Parallel Diff Optimization": "to avoid blocking step generation"). So by default a resource's Diff
 * holds up the next resource's Check. Every other step (Create, Update, Delete, Read) runs
 * at most `--parallel` at once, by default PULUMI_PARALLEL or four per CPU
 * (pkg/cmd/pulumi/operations/up.go defaultParallel()).
 */

/** At most `limit` tasks at once, started in the order they were asked for. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    // The slot is handed over by the task that ends (running stays counted), so order is kept.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** The engine's paces for one deployment. */
export interface StepLimits {
  /** Step generation, one registration at a time: its Check, and its Diff unless `diff` is set. */
  generation: Limiter;
  /** With parallelDiff: Diff as a step, `parallel` at once; otherwise undefined (Diff is in `generation`). */
  diff: Limiter | undefined;
  /** Create, Update, Delete and Read. */
  steps: Limiter;
}

export interface PaceOptions {
  /** Steps other than Check and Diff at once: `pulumi up --parallel`. Default PULUMI_PARALLEL, else 4 × CPUs. */
  parallel?: number;
  /** Diff as many at once as `parallel` (PULUMI_PARALLEL_DIFF): default that variable set to "true" or "1". */
  parallelDiff?: boolean;
}

/** `parallel` as the CLI takes it: a whole number of at least 1, said under its name otherwise. */
export function parallelOf(options: PaceOptions, env: NodeJS.ProcessEnv = process.env): number {
  if (options.parallel !== undefined) {
    if (!Number.isInteger(options.parallel) || options.parallel < 1)
      throw new Error(`parallel must be a whole number of at least 1 (steps at once, as pulumi up --parallel), not ${options.parallel}`);
    return options.parallel;
  }
  const fromEnv = env.PULUMI_PARALLEL === undefined ? NaN : Number(env.PULUMI_PARALLEL);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return 4 * Math.max(1, cpus().length);
}

/** Fresh limits for one deployment (each deployment's steps queue on their own). */
export function stepLimits(options: PaceOptions, env: NodeJS.ProcessEnv = process.env): StepLimits {
  const parallel = parallelOf(options, env);
  const parallelDiff = options.parallelDiff ?? ["true", "1"].includes(env.PULUMI_PARALLEL_DIFF ?? "");
  return { generation: new Limiter(1), diff: parallelDiff ? new Limiter(parallel) : undefined, steps: new Limiter(parallel) };
}
