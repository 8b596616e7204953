/**
 * The one budget of requests to a server, shared by every request of a client (the provider host has one
 * client for all the resource operations the engine runs in parallel).
 *
 * - At most `limit` attempts are in flight; the others wait in one queue: first attempts before second
 *   ones and so on, then in the order their requests began. A run of throttled answers is thus spread
 *   over the requests rather than absorbed by one until its attempts run out (which the request at the
 *   head of a plain FIFO queue would do), and a retry never waits behind a request with as many attempts
 *   that began after it (which, at the back of the queue, could land on every throttled turn). An attempt holds its slot
 *   from the moment it is sent until its answer has been read (or it failed); a request waiting to retry
 *   holds none.
 * - A throttled answer (429, or 503: the server declined the work) pauses the whole budget until the time
 *   the server asked for (Retry-After), else for a backoff: no attempt of any request starts before it. A
 *   throttled server then sees fewer requests, not one retry per request at the moment each chose.
 * - The limit adapts (AIMD): halved on a throttle (at least 1), one more after each run of `limit`
 *   answers without one (up to the maximum). A throttle of an attempt sent before the last halving was
 *   sent at the old limit and says nothing new: it extends the pause but does not halve again, or a burst
 *   of answers to one crowded moment would take the limit straight down to 1.
 * - The limit a throttle was sent under is remembered as too many: growth stops one below it, and tries
 *   it again only after {@link QUIET_MS} without a throttle. A server that throttles by rate (DRF: so
 *   many requests a window) would otherwise be probed again a few round trips after each halving, every
 *   probe a burst of 429s; this way it is probed once per quiet period.
 *
 * Not adaptive (the escape hatch `sdelements:adaptiveThrottling: false`), the limit stays at its maximum
 * and nothing pauses: each request waits out its own Retry-After or backoff, as before the budget.
 */

/**
 * How long without a throttle before the limit may grow back to where the last throttle was: several of
 * a rate limit's windows (DRF's are a second to a minute), short against a deployment of thousands.
 */
export const QUIET_MS = 10_000;

/** The statuses by which a server says "fewer requests, please". */
export const THROTTLE_STATUSES: readonly number[] = [429, 503];

/** What the budget needs of time; tests give a fake one. */
export interface BudgetClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const SYSTEM_CLOCK: BudgetClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export interface RequestBudgetOptions {
  maxConcurrentRequests: number;
  adaptive: boolean;
  /** The pause after the nth throttle in a row that gave no Retry-After (n from 1). */
  backoffMs: (throttlesInARow: number) => number;
  clock?: BudgetClock;
}

/** One attempt's place in the budget, from its grant until {@link Slot.release}. */
export interface Slot {
  /** The answer's status has arrived: a throttle pauses and narrows the budget, anything else counts as a success. */
  answered(status: number, retryAfterMs: number | undefined): void;
  /** The attempt is over (its answer read, or it failed): the slot goes to the next in the queue. Idempotent. */
  release(): void;
}

/** Where an attempt stands in the queue: fewer attempts made first, then the earlier request. */
export interface QueuePlace {
  /** Attempts its request has made before this one (0 for a first attempt). */
  attempts: number;
  /** When its request began. */
  since: number;
}

interface Waiter {
  grant: (slot: Slot) => void;
  place: QueuePlace;
}

/** Whether an attempt at `a` goes after one at `b`. */
const after = (a: QueuePlace, b: QueuePlace) => a.attempts > b.attempts || (a.attempts === b.attempts && a.since >= b.since);

export class RequestBudget {
  private readonly max: number;
  private readonly adaptive: boolean;
  private readonly clock: BudgetClock;
  private readonly backoff: (throttlesInARow: number) => number;
  private current: number;
  private running = 0;
  private readonly queue: Waiter[] = [];
  private pausedUntilMs = 0;
  private pausedByStatus: number | undefined;
  private pauseTimer: unknown;
  /** Bumped at every halving: a throttle counts only against the limit its attempt was sent under. */
  private epoch = 0;
  private successesInARow = 0;
  private throttlesInARow = 0;
  /** The limit the last fresh throttle was sent under (too many, until a quiet period says otherwise). */
  private tooMany = Number.POSITIVE_INFINITY;
  private lastThrottleAt = Number.NEGATIVE_INFINITY;

  constructor(options: RequestBudgetOptions) {
    this.max = options.maxConcurrentRequests;
    this.current = options.maxConcurrentRequests;
    this.adaptive = options.adaptive;
    this.backoff = options.backoffMs;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Attempts allowed in flight now. */
  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** When the budget opens again (a time in the past when it is open). */
  get pausedUntil(): number {
    return this.pausedUntilMs;
  }

  /** The status of the throttle the pause is for. */
  get pausedBy(): number | undefined {
    return this.pausedByStatus;
  }

  /** Whether throttles are shared (the pause, the adaptive limit) rather than left to each request. */
  get shared(): boolean {
    return this.adaptive;
  }

  /**
   * Waits for a slot: not before `notBefore` (a request's own retry delay), not while the budget is paused,
   * and after the queued attempts ahead of its `place` (default: a first attempt of a request begun now).
   * Returns a function that gives up the wait (a request aborted while queued); it does nothing once the
   * slot is granted.
   */
  acquire(notBefore: number, grant: (slot: Slot) => void, place?: QueuePlace): () => void {
    const waiter: Waiter = { grant, place: place ?? { attempts: 0, since: this.clock.now() } };
    let state: "delayed" | "queued" | "done" = "delayed";
    let delayTimer: unknown;
    const enqueue = () => {
      if (state !== "delayed") return;
      state = "queued";
      let at = this.queue.length;
      while (at > 0 && !after(waiter.place, this.queue[at - 1]!.place)) at -= 1;
      this.queue.splice(at, 0, waiter);
      this.pump();
    };
    waiter.grant = (slot) => {
      state = "done";
      grant(slot);
    };
    const wait = notBefore - this.clock.now();
    if (wait > 0) delayTimer = this.clock.setTimeout(enqueue, wait);
    else enqueue();
    return () => {
      if (state === "delayed") this.clock.clearTimeout(delayTimer);
      if (state === "queued") this.queue.splice(this.queue.indexOf(waiter), 1);
      state = "done";
    };
  }

  /** Grants slots in order while there is room and the budget is open; wakes itself when a pause ends. */
  private pump(): void {
    const now = this.clock.now();
    if (now < this.pausedUntilMs) {
      if (this.pauseTimer === undefined && this.queue.length > 0) {
        this.pauseTimer = this.clock.setTimeout(() => {
          this.pauseTimer = undefined;
          this.pump();
        }, this.pausedUntilMs - now);
      }
      return;
    }
    while (this.running < this.current && this.queue.length > 0) {
      this.running += 1;
      this.queue.shift()!.grant(this.slot());
    }
  }

  private slot(): Slot {
    const epoch = this.epoch;
    const sentUnder = this.current;
    let released = false;
    let counted = false;
    return {
      answered: (status, retryAfterMs) => {
        if (counted) return;
        counted = true;
        if (THROTTLE_STATUSES.includes(status)) this.throttled(epoch, sentUnder, status, retryAfterMs);
        else this.succeeded();
      },
      release: () => {
        if (released) return;
        released = true;
        this.running -= 1;
        this.pump();
      },
    };
  }

  private throttled(epoch: number, sentUnder: number, status: number, retryAfterMs: number | undefined): void {
    if (!this.adaptive) return;
    this.successesInARow = 0;
    this.lastThrottleAt = this.clock.now();
    const news = epoch === this.epoch;
    if (news) {
      this.tooMany = sentUnder;
      this.current = Math.max(1, Math.floor(this.current / 2));
      this.epoch += 1;
      // The backoff grows only with the pauses this client had to guess: a server that says when to come
      // back (Retry-After) is taken at its word, and its throttles do not lengthen a later guess.
      if (retryAfterMs === undefined) this.throttlesInARow += 1;
    }
    const pause = retryAfterMs ?? this.backoff(Math.max(1, this.throttlesInARow));
    if (this.clock.now() + pause > this.pausedUntilMs) {
      this.pausedUntilMs = this.clock.now() + pause;
      this.pausedByStatus = status;
    }
    // A wake-up set for an earlier end of the pause would only find it still paused and set another.
    if (this.pauseTimer !== undefined) {
      this.clock.clearTimeout(this.pauseTimer);
      this.pauseTimer = undefined;
    }
    this.pump();
  }

  private succeeded(): void {
    if (!this.adaptive) return;
    this.throttlesInARow = 0;
    this.successesInARow += 1;
    // Quiet counts from the end of the pause: a Retry-After of a minute (DRF's per-minute windows) is no
    // quiet time, only the server's wait.
    const quiet = this.clock.now() - Math.max(this.lastThrottleAt, this.pausedUntilMs) >= QUIET_MS;
    if (this.successesInARow >= this.current && this.current < this.max && (this.current + 1 < this.tooMany || quiet)) {
      this.current += 1;
      if (quiet) this.tooMany = Number.POSITIVE_INFINITY;
      this.successesInARow = 0;
      this.pump();
    }
  }
}
