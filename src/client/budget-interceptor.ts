import type { IncomingHttpHeaders } from "node:http";
import { errors, type Dispatcher } from "undici";
import { THROTTLE_STATUSES, type RequestBudget } from "./request-budget";
import { parseRetryAfter, pastRetryTime, type AttemptRecord, type RetryBudget } from "./retry-policy";

/** The dispatch option carrying a request's AttemptRecord, which undici passes on to every attempt. */
export const BUDGET_OPTION = "attemptRecord";

/**
 * The budget is paused (the server is throttling) past the request's retry time: it fails now, unsent,
 * rather than wait for a pause it would not outlast.
 */
export class PausedPastRetryTimeError extends Error {
  constructor(
    readonly waitMs: number,
    readonly status: number | undefined,
  ) {
    super("the client's requests are paused past this request's retry time");
    this.name = "PausedPastRetryTimeError";
  }
}

/**
 * An undici interceptor that puts every attempt through the client's RequestBudget. It sits under the retry
 * interceptor, which dispatches each attempt through it: so an attempt waits for its slot (and for its own
 * retry delay, and for a pause of the budget) here, holding neither a slot nor a socket, and gives the slot
 * back as soon as its answer has been read or it failed. A throttled status is told to the budget when the
 * answer's headers arrive, before the retry policy decides, so the policy sees the pause it caused.
 */
export function budgetInterceptor(
  budget: RequestBudget,
  policy: Pick<RetryBudget, "retryTimeoutMs">,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const record = (opts as { [BUDGET_OPTION]?: AttemptRecord })[BUDGET_OPTION];
    // The request's own signal (its total deadline), which undici passes on with the other options.
    const signal = (opts as { signal?: AbortSignal }).signal;
    // A request aborted while it waits (its total deadline) leaves the queue and fails at once, as undici
    // fails a request aborted in its own queue: with an aborted controller, so no retry is considered.
    let giveUp = () => {};
    const onAbort = () => {
      giveUp();
      const reason = signal?.reason instanceof Error ? signal.reason : new errors.RequestAbortedError();
      handler.onResponseError?.(abortedController(reason), reason);
    };
    if (signal?.aborted) {
      onAbort();
      return true;
    }
    const startAt = Math.max(record?.nextAttemptAt ?? 0, budget.pausedUntil);
    if (record && pastRetryTime(record, startAt, policy)) {
      record.budgetSpent = "time";
      record.lastStatus = budget.pausedBy;
      const error = new PausedPastRetryTimeError(startAt - Date.now(), budget.pausedBy);
      handler.onResponseError?.(abortedController(error), error);
      return true;
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    giveUp = budget.acquire(
      record?.nextAttemptAt ?? 0,
      (slot) => {
        signal?.removeEventListener("abort", onAbort);
        try {
          dispatch(opts, {
            onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
            onRequestUpgrade: (controller, status, headers, socket) => handler.onRequestUpgrade?.(controller, status, headers, socket),
            onResponseStart: (controller, status, headers, message) => {
              // Interim 1xx answers come before the real one.
              if (status >= 200) slot.answered(status, throttleDelay(status, headers));
              return handler.onResponseStart?.(controller, status, headers, message);
            },
            onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
            onResponseEnd: (controller, trailers) => {
              slot.release();
              return handler.onResponseEnd?.(controller, trailers);
            },
            onResponseError: (controller, error) => {
              slot.release();
              return handler.onResponseError?.(controller, error);
            },
          });
        } catch (err) {
          // Granted from a timer, a throw would reach no one: the request fails instead, without a retry.
          slot.release();
          const error = err instanceof Error ? err : new Error(String(err));
          handler.onResponseError?.(abortedController(error), error);
        }
      },
      // Its place in the queue: by the attempts its request made, then by when it began.
      record ? { attempts: record.attempts - 1, since: record.startedAt } : undefined,
    );
    return true;
  };
}

/** The wait a throttled answer asks for, if it says (Retry-After); undefined for any other answer. */
function throttleDelay(status: number, headers: IncomingHttpHeaders): number | undefined {
  return THROTTLE_STATUSES.includes(status) ? parseRetryAfter(headers["retry-after"]) : undefined;
}

function abortedController(reason: Error): Dispatcher.DispatchController {
  return { aborted: true, paused: false, reason, abort: () => {}, pause: () => {}, resume: () => {} };
}
