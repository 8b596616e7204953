import { backoffMs, isRetryable, parseRetryAfter, type RetryBudget } from "../../src/client/retry-policy";

const budget: RetryBudget = { maxAttempts: 5, retryTimeoutMs: 60_000, retryBaseDelayMs: 500, retryMaxDelayMs: 10_000 };
const status = (statusCode: number) => ({ statusCode, code: "UND_ERR_REQ_RETRY" });

describe("Retry-After", () => {
  test("delta seconds", () => expect(parseRetryAfter("3")).toBe(3000));
  test("fractional seconds", () => expect(parseRetryAfter("0.25")).toBe(250));
  test("an HTTP date", () => {
    const now = Date.parse("Fri, 27 Nov 2026 12:00:00 GMT");
    expect(parseRetryAfter("Fri, 27 Nov 2026 12:00:07 GMT", now)).toBe(7000);
  });
  test("a date in the past means now", () => {
    expect(parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", Date.parse("Fri, 27 Nov 2026 12:00:00 GMT"))).toBe(0);
  });
  test("garbage and absence are ignored", () => {
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(["2", "9"])).toBe(2000);
  });
});

describe("backoff", () => {
  test("doubles, with jitter between half and all of the ceiling", () => {
    expect(backoffMs(1, budget, () => 0)).toBe(250);
    expect(backoffMs(1, budget, () => 1)).toBe(500);
    expect(backoffMs(3, budget, () => 0)).toBe(1000);
    expect(backoffMs(3, budget, () => 1)).toBe(2000);
  });
  test("is capped by the largest delay", () => {
    expect(backoffMs(30, budget, () => 1)).toBe(10_000);
  });
});

describe("what may be retried", () => {
  test.each([429, 502, 503, 504])("reads: %i", (s) => expect(isRetryable("idempotent", status(s))).toBe(true));
  test.each([400, 401, 403, 404, 405, 409, 500])("never: %i", (s) => {
    expect(isRetryable("idempotent", status(s))).toBe(false);
    expect(isRetryable("create", status(s))).toBe(false);
  });
  test("creates: only when the server declined (429, 503)", () => {
    expect([429, 502, 503, 504].filter((s) => isRetryable("create", status(s)))).toEqual([429, 503]);
  });
  test("creates: only connection failures before sending", () => {
    expect(isRetryable("create", { code: "ECONNREFUSED" })).toBe(true);
    expect(isRetryable("create", { code: "ECONNRESET" })).toBe(false);
    expect(isRetryable("create", { code: "UND_ERR_SOCKET" })).toBe(false);
    expect(isRetryable("idempotent", { code: "ECONNRESET" })).toBe(true);
  });
  test("timeouts are not retried (the budget would only multiply the wait)", () => {
    expect(isRetryable("idempotent", { code: "UND_ERR_HEADERS_TIMEOUT" })).toBe(false);
  });
});
