import { EDIT_PERMISSION, HINTS, budgetSpentHint, hintForStatus, redirectedTo, statusText } from "../../src/client/messages";

// The client's advice, in one module: each hint is one sentence an error can end with.
const every = [
  ...Object.values(HINTS),
  ...[401, 403, 404, 405, 413, 429, 502, 503, 504].map((status) => hintForStatus(status)!),
  redirectedTo("https://sde.example.com"),
  budgetSpentHint(
    { startedAt: 0, attempts: 5, budgetSpent: "attempts", lastStatus: 503 },
    { maxAttempts: 5, retryTimeoutMs: 60_000, retryBaseDelayMs: 500, retryMaxDelayMs: 10_000 },
  ),
];

test.each(every)("%s", (hint) => {
  // An error joins its parts with ". ": a hint of its own full stop would end in two.
  expect(hint).not.toMatch(/\.$/);
  expect(hint).toMatch(/^[A-Z]/);
});

test("the permission a token needs is said in one form, the 403's advice included", () => {
  expect(EDIT_PERMISSION).toBe("the 'Edit Issue Tracker connections' permission");
  expect(hintForStatus(403)).toBe(`The API token lacks ${EDIT_PERMISSION}: use a token of a user who has it`);
});

test("what the retry budget spent is said, with the last failure", () => {
  const budget = { maxAttempts: 3, retryTimeoutMs: 45_000, retryBaseDelayMs: 500, retryMaxDelayMs: 10_000 };
  expect(budgetSpentHint({ startedAt: 0, attempts: 3, budgetSpent: "attempts", lastStatus: 429 }, budget)).toMatch(
    /^The retry budget is spent \(all 3 attempts, last status 429\): raise sdelements:maxAttempts/,
  );
  expect(budgetSpentHint({ startedAt: 0, attempts: 2, budgetSpent: "time", lastCode: "ECONNRESET" }, budget)).toMatch(
    /^The retry budget is spent \(the 45 s retry time, last error ECONNRESET\)/,
  );
});

test("a status without its own words is named by number", () => {
  expect(statusText(404)).toBe("not found");
  expect(statusText(418)).toBe("HTTP 418");
});
