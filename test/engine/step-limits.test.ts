import { cpus } from "node:os";
import { Limiter, parallelOf, stepLimits } from "../../src/engine/step-limits";

// The engine's paces: a limiter starts tasks in the order asked, never more than its limit at once.
test("a limiter runs at most its limit at once, starting tasks in the order they were asked for", async () => {
  const limiter = new Limiter(2);
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const gates = Array.from({ length: 5 }, () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  });
  const done = gates.map((gate, i) =>
    limiter.run(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await gate.promise;
      running--;
    }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  expect(started).toEqual([0, 1]);
  gates[1].resolve();
  await done[1];
  await new Promise((resolve) => setImmediate(resolve));
  expect(started).toEqual([0, 1, 2]);
  for (const gate of gates) gate.resolve();
  await Promise.all(done);
  expect(started).toEqual([0, 1, 2, 3, 4]);
  expect(most).toBe(2);
});

test("a task that fails frees its place", async () => {
  const limiter = new Limiter(1);
  await expect(limiter.run(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
  await expect(limiter.run(() => Promise.resolve("next"))).resolves.toBe("next");
});

test("parallel: the option, else PULUMI_PARALLEL, else four per CPU", () => {
  expect(parallelOf({ parallel: 3 }, { PULUMI_PARALLEL: "7" })).toBe(3);
  expect(parallelOf({}, { PULUMI_PARALLEL: "7" })).toBe(7);
  expect(parallelOf({}, {})).toBe(4 * cpus().length);
  expect(parallelOf({}, { PULUMI_PARALLEL: "many" })).toBe(4 * cpus().length);
  expect(() => parallelOf({ parallel: 1.5 }, {})).toThrow(/^parallel must be a whole number of at least 1 .*not 1\.5$/);
});

test("Diff is part of the serial step generation unless parallelDiff (or PULUMI_PARALLEL_DIFF)", () => {
  expect(stepLimits({}, {}).diff).toBeUndefined();
  expect(stepLimits({ parallel: 5, parallelDiff: true }, {}).diff?.limit).toBe(5);
  expect(stepLimits({}, { PULUMI_PARALLEL_DIFF: "true" }).diff).toBeDefined();
  expect(stepLimits({ parallelDiff: false }, { PULUMI_PARALLEL_DIFF: "true" }).diff).toBeUndefined();
  expect(stepLimits({}, {}).generation.limit).toBe(1);
});
