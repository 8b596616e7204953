import { QUIET_MS, RequestBudget, type BudgetClock, type Slot } from "../../src/client/request-budget";
import { startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

/** A clock that moves only when told: timers run in the order they fall due. */
class FakeClock implements BudgetClock {
  private time = 0;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 0;
  now = () => this.time;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.run();
    }
    this.time = until;
  }
}

function budgetOf(max: number, adaptive = true) {
  const clock = new FakeClock();
  const budget = new RequestBudget({ maxConcurrentRequests: max, adaptive, backoffMs: (n) => n * 100, clock });
  const granted: string[] = [];
  const slots = new Map<string, Slot>();
  /** Asks for a slot for `name`; the grant is recorded in `granted`, in order. */
  const ask = (name: string, notBefore = 0, place?: { attempts: number; since: number }) =>
    budget.acquire(
      notBefore,
      (slot) => {
        granted.push(name);
        slots.set(name, slot);
      },
      place,
    );
  const slot = (name: string) => {
    const found = slots.get(name);
    if (!found) throw new Error(`${name} has no slot`);
    return found;
  };
  let successes = 0;
  /** One request answered without a throttle, from its grant to its release. */
  const succeed = () => {
    const name = `ok-${successes++}`;
    ask(name);
    slot(name).answered(200, undefined);
    slot(name).release();
  };
  return { clock, budget, granted, ask, slot, succeed };
}

describe("the request budget", () => {
  test("at most the limit in flight; a released slot goes to the next in the queue", () => {
    const { budget, granted, ask, slot } = budgetOf(2);
    ["a", "b", "c"].forEach((name) => ask(name));
    expect(granted).toEqual(["a", "b"]);
    expect(budget.inFlight).toBe(2);
    expect(budget.waiting).toBe(1);
    slot("a").release();
    expect(granted).toEqual(["a", "b", "c"]);
    expect(budget.inFlight).toBe(2);
  });

  test("slots are granted first come, first served; a release counts once", () => {
    const { granted, ask, slot } = budgetOf(1);
    ["a", "b", "c", "d"].forEach((name) => ask(name));
    slot("a").release();
    slot("a").release(); // twice: must not free a second slot
    expect(granted).toEqual(["a", "b"]);
    slot("b").release();
    slot("c").release();
    expect(granted).toEqual(["a", "b", "c", "d"]);
  });

  test("a request waiting out its own retry delay holds no place: those behind it go first", () => {
    const { clock, budget, granted, ask, slot } = budgetOf(1);
    ask("a");
    ask("retry", 100);
    ask("b");
    expect(budget.waiting).toBe(1); // b only
    slot("a").release();
    expect(granted).toEqual(["a", "b"]);
    clock.advance(100);
    expect(granted).toEqual(["a", "b"]); // its delay is over, but the one slot is b's
    slot("b").release();
    expect(granted).toEqual(["a", "b", "retry"]);
  });

  test("a throttle pauses the whole budget until its Retry-After: no new attempt starts before", () => {
    const { clock, budget, granted, ask, slot } = budgetOf(4);
    ask("a");
    slot("a").answered(429, 1000);
    slot("a").release();
    expect(budget.pausedUntil).toBe(1000);
    ask("b");
    ask("c", 500); // its own delay ends within the pause: the pause still holds it
    clock.advance(999);
    expect(granted).toEqual(["a"]);
    clock.advance(1);
    expect(granted).toEqual(["a", "b", "c"]);
  });

  test("a throttle without Retry-After (a 503) pauses for the backoff, longer for each throttle in a row", () => {
    const { clock, budget, ask, slot } = budgetOf(8);
    ask("a");
    slot("a").answered(503, undefined);
    slot("a").release();
    expect(budget.pausedUntil).toBe(100);
    ask("b");
    clock.advance(100);
    slot("b").answered(503, undefined);
    expect(budget.pausedUntil).toBe(300); // 100 ms now + 2 × 100
  });

  test("the queue serves first attempts before retries, and among equals the earlier request", () => {
    const { clock, granted, ask, slot } = budgetOf(1);
    ask("a");
    clock.advance(10);
    ask("b retry", 0, { attempts: 1, since: 5 });
    ask("c");
    ask("d retry", 0, { attempts: 1, since: 1 });
    for (const name of ["a", "c", "d retry"]) slot(name).release();
    expect(granted).toEqual(["a", "c", "d retry", "b retry"]);
  });

  test("throttles with Retry-After do not lengthen a later guessed backoff", () => {
    const { clock, budget, ask, slot } = budgetOf(8);
    for (const name of ["a", "b", "c"]) {
      ask(name);
      slot(name).answered(429, 0);
      slot(name).release();
    }
    ask("d");
    slot("d").answered(503, undefined);
    expect(budget.pausedUntil).toBe(clock.now() + 100); // the first guess, not the fourth
  });

  test("AIMD down: a throttle halves the limit once for the attempts sent under it, down to 1 at least", () => {
    const { clock, budget, ask, slot } = budgetOf(8);
    const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    names.forEach((name) => ask(name));
    // All eight were sent at the limit of 8: their throttles are one piece of news, one halving.
    for (const name of names) slot(name).answered(429, 10);
    names.forEach((name) => slot(name).release());
    expect(budget.limit).toBe(4);
    for (const [i, expected] of [2, 1, 1].entries()) {
      clock.advance(10);
      const name = `later-${i}`;
      ask(name);
      slot(name).answered(429, 10);
      slot(name).release();
      expect(budget.limit).toBe(expected);
    }
  });

  test("AIMD up: one more after each run of `limit` answers without a throttle, up to one below where the throttle was", () => {
    const { clock, budget, ask, slot, succeed } = budgetOf(8);
    ask("t");
    slot("t").answered(429, 0);
    slot("t").release();
    expect(budget.limit).toBe(4);
    clock.advance(1);
    const limits: number[] = [];
    for (let i = 0; i < 30; i++) {
      succeed();
      limits.push(budget.limit);
    }
    // Runs of 4, 5 and 6 answers take it to 7, where it stays: 8 was throttled.
    expect(limits.slice(0, 16)).toEqual([4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7, 7]);
    expect(limits.at(-1)).toBe(7);
  });

  test("the limit that was throttled is tried again only after a quiet period, then growth goes on to the maximum", () => {
    const { clock, budget, ask, slot, succeed } = budgetOf(3);
    ask("t1");
    slot("t1").answered(429, 0);
    slot("t1").release();
    ask("t2"); // throttled at 1: the server wants one at a time
    slot("t2").answered(429, 0);
    slot("t2").release();
    expect(budget.limit).toBe(1);
    clock.advance(QUIET_MS - 1);
    for (let i = 0; i < 10; i++) succeed();
    expect(budget.limit).toBe(1);
    clock.advance(1);
    succeed();
    expect(budget.limit).toBe(2);
    succeed();
    expect(budget.limit).toBe(2);
    succeed();
    expect(budget.limit).toBe(3); // a run of 2
    for (let i = 0; i < 10; i++) succeed();
    expect(budget.limit).toBe(3); // the maximum
  });

  test("the quiet period counts from the end of the pause: a Retry-After of a minute is no quiet time", () => {
    const { clock, budget, ask, slot, succeed } = budgetOf(4);
    ask("t");
    slot("t").answered(429, 60_000);
    slot("t").release();
    expect(budget.limit).toBe(2);
    clock.advance(60_000);
    for (let i = 0; i < 20; i++) succeed();
    expect(budget.limit).toBe(3); // one below the 4 that was throttled, though the throttle was 60 s ago
    clock.advance(QUIET_MS);
    for (let i = 0; i < 3; i++) succeed();
    expect(budget.limit).toBe(4);
  });

  test("a throttle of an attempt sent after the last halving halves again, successes around it or not", () => {
    const { clock, budget, ask, slot } = budgetOf(4);
    ask("t");
    slot("t").answered(429, 0);
    slot("t").release();
    expect(budget.limit).toBe(2);
    clock.advance(1);
    ask("ok");
    slot("ok").answered(200, undefined);
    ask("stale"); // sent at the limit of 2, throttled: halves to 1
    slot("stale").answered(429, 0);
    expect(budget.limit).toBe(1);
    slot("ok").release();
    slot("stale").release();
  });

  test("a request that gives up while queued or while waiting out its delay is never granted a slot", () => {
    const { clock, budget, granted, ask, slot } = budgetOf(1);
    ask("a");
    const leaveQueue = ask("queued");
    const leaveDelay = ask("delayed", 50);
    ask("b");
    leaveQueue();
    leaveDelay();
    expect(budget.waiting).toBe(1);
    slot("a").release();
    clock.advance(100);
    slot("b").release();
    expect(granted).toEqual(["a", "b"]);
    expect(budget.inFlight).toBe(0);
  });

  test("not adaptive (the escape hatch): a throttle neither pauses nor narrows the budget", () => {
    const { budget, granted, ask, slot } = budgetOf(2, false);
    ask("a");
    slot("a").answered(429, 60_000);
    slot("a").release();
    expect(budget.pausedUntil).toBe(0);
    expect(budget.limit).toBe(2);
    ask("b");
    ask("c");
    ask("d");
    expect(granted).toEqual(["a", "b", "c"]);
  });
});

describe("one budget for all of a client's requests, against the emulator", () => {
  let api: EmulatedApi;
  beforeEach(async () => {
    api = await startEmulatedApi();
  });
  afterEach(() => api.stop());

  test.each([
    [3, (seen: number) => expect(seen).toBe(3)],
    // The contrast: with room for more, the emulator does see more at once.
    [12, (seen: number) => expect(seen).toBeGreaterThan(3)],
  ])("maxConcurrentRequests %i: 40 concurrent reads never put more than that in flight", async (max, check) => {
    const client = api.clientWith({ maxConcurrentRequests: max });
    api.emulator.faults.latency({ ms: 20, count: 40 });
    await Promise.all(Array.from({ length: 40 }, () => client.connections.get(1)));
    expect(api.emulator.requestLog).toHaveLength(40);
    expect(api.emulator.maxInFlight).toBeLessThanOrEqual(max);
    check(api.emulator.maxInFlight);
  });

  test.each([true, false])(
    "a pause past a request's retry time ends it at once, unsent, with the retry budget spent (adaptiveThrottling %p)",
    async (adaptiveThrottling) => {
      const client = api.clientWith({ adaptiveThrottling, retryTimeoutMs: 5_000 });
      api.emulator.faults.throttle({ count: 1, retryAfter: 60 });
      // Its own Retry-After is past its retry time: the existing rule.
      await expect(client.connections.get(1)).rejects.toMatchObject({
        kind: "http",
        status: 429,
        hint: expect.stringContaining("retry budget is spent"),
      });
      const next = client.connections.get(1);
      if (adaptiveThrottling) {
        // The pause holds every request of the client: the next one is not sent at all.
        await expect(next).rejects.toMatchObject({
          kind: "http",
          status: 429,
          message: expect.stringMatching(
            /the server is throttling \(HTTP 429\): the client's requests are paused for another \d+ s, past this request's retry time, so it was not sent\b/,
          ),
          hint: expect.stringContaining("the 5 s retry time, last status 429"),
        });
        expect(api.emulator.requestLog).toHaveLength(1);
      } else {
        await expect(next).resolves.toMatchObject({ id: 1 });
        expect(api.emulator.requestLog).toHaveLength(2);
      }
    },
  );

  /** 60 creates at once through one client against a server allowing 20 a second; the 429s it answered. */
  async function createSixty(adaptiveThrottling: boolean) {
    api.emulator.clearRequestLog();
    api.emulator.faults.clear();
    api.emulator.faults.rateLimit({ requests: 20, windowMs: 1000, method: "POST" });
    const client = api.clientWith({ adaptiveThrottling, maxAttempts: 20 });
    const before = api.emulator.connections().length;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        client.connections.create({
          alias: `Bulk ${adaptiveThrottling} ${i}`,
          connector: 1,
          project: 1,
          frequency: "daily",
          params: { issue_tracker_project: "Example Project" },
        }),
      ),
    );
    return {
      failed: outcomes.filter((o) => o.status === "rejected").length,
      made: api.emulator.connections().length - before,
      throttled: api.emulator.requestLog.filter((e) => e.status === 429).length,
    };
  }

  test("60 creates against a rate limit: all made once each, with at most half the 429s of requests that wait on their own", async () => {
    const shared = await createSixty(true);
    expect(shared).toMatchObject({ failed: 0, made: 60 });
    const separate = await createSixty(false);
    expect(separate.throttled).toBeGreaterThan(0);
    expect(shared.throttled).toBeLessThanOrEqual(separate.throttled / 2);
  }, 60_000);
});
