import { IssueTrackerConnection } from "../../src";
import { DeploymentError, isSecret, plaintextOccurrences } from "../../src/engine";
import { calls } from "../support/emulated-api";
import { startLocalStack, type LocalStack } from "../support/local-stack";
import { SECRETS } from "../support/seeds";

// Arguments the types forbid but JavaScript (or a cast, or arguments built from JSON or YAML) can still
// give: the preview names the argument and the fix, as for any other bad input, instead of a TypeError
// from inside the resource class or an argument silently dropped. Nothing is created.
let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const ok = { alias: "Odd", connector: 1, project: 1, params: { issue_tracker_project: "PAY" } };

/** The preview's error for a program declaring one connection with these arguments, and what it left. */
async function previewOf(args: () => Record<string, unknown>) {
  stack = await startLocalStack(() => {
    new IssueTrackerConnection("odd", args() as never);
    return {};
  });
  const before = stack.emulator.connections().length;
  const error: DeploymentError = await stack.engine.preview().catch((e) => e);
  expect(error).toBeInstanceOf(DeploymentError);
  // Nothing made, nothing recorded, no write sent.
  expect(stack.emulator.connections()).toHaveLength(before);
  expect(stack.engine.state).toEqual([]);
  expect(calls(stack.emulator).filter((c) => !c.startsWith("GET") && !c.includes("test-issue-tracker"))).toEqual([]);
  return error;
}

test.each([
  ["no params", { ...ok, params: undefined }, /property params: is required: a map of param names to values/],
  ["null params", { ...ok, params: null }, /property params: must be a map of param names to values, not null/],
  // Not taken apart into {"0": "PAY"}.
  ["params as a list", { ...ok, params: ["PAY"] }, /property params: must be a map of param names to values, not a list/],
  [
    "params as a string",
    { ...ok, params: "issue_tracker_project=PAY" },
    /property params: must be a map of param names to values, not a string/,
  ],
  ["params as a number", { ...ok, params: 12 }, /property params: must be a map of param names to values, not a number/],
  ["an alias as a list", { ...ok, alias: ["Odd"] }, /property alias: must be a string \(the connection's name\), not a list/],
  [
    "a connector id as a string",
    { ...ok, connector: "1" },
    /property connector: must be the id .* not the string "1": write 1 without quotes/,
  ],
  [
    "debugMode as a string",
    { ...ok, debugMode: "true" },
    /property debugMode: must be true or false without quotes \(a boolean, not the string "true"\)/,
  ],
])("%s: the preview fails naming the argument", async (_what, args, expected) => {
  const error = await previewOf(() => args);
  expect(error.message).toMatch(expected);
});

test("a misspelt argument fails the preview, named with the closest argument, and nothing is created", async () => {
  const error = await previewOf(() => ({ ...ok, frequncy: "daily" }));
  expect(error.message).toMatch(
    /property frequncy: unknown argument frequncy \(did you mean frequency\?\): an IssueTrackerConnection takes alias, connector, project, frequency, debugMode, params, testConnection and adoptId/,
  );
  // And up neither: the same check runs first.
  const up: DeploymentError = await stack!.engine.up().catch((e) => e);
  expect(up).toBeInstanceOf(DeploymentError);
  expect(stack!.emulator.connections().map((c) => c.alias)).not.toContain("Odd");
  expect(stack!.engine.state).toEqual([]);
});

test("a misspelt argument is refused whatever its value: unset, or not known until another resource exists", async () => {
  stack = await startLocalStack(() => {
    const first = new IssueTrackerConnection("first", { ...ok, alias: "First" });
    new IssueTrackerConnection("unset", { ...ok, alias: "Unset", debug_mode: undefined } as never);
    new IssueTrackerConnection("pending", { ...ok, alias: "Pending", adopt_id: first.connectionId } as never);
    return {};
  });
  const error: DeploymentError = await stack.engine.preview().catch((e) => e);
  expect(error.message).toMatch(/unset.*property debug_mode: unknown argument debug_mode \(did you mean debugMode\?\)/);
  expect(error.message).toMatch(/pending.*property adopt_id: unknown argument adopt_id \(did you mean adoptId\?\)/);
  expect(stack.emulator.connections().map((c) => c.alias)).toEqual(["Rally Integration"]);
});

test("a password given as a misplaced argument is named, never shown, and travels as a secret", async () => {
  const error = await previewOf(() => ({ ...ok, issue_tracker_pass: SECRETS.password }));
  expect(error.message).toMatch(/property issue_tracker_pass: unknown argument issue_tracker_pass: an IssueTrackerConnection takes/);
  expect(error.message).not.toContain(SECRETS.password);
  const registration = stack!.engine.lastRegistrations.find((r) => r.name === "odd");
  expect(isSecret(registration?.object.issue_tracker_pass)).toBe(true);
  expect(plaintextOccurrences(stack!.engine.lastRegistrations, [SECRETS.password])).toEqual([]);
  expect(stack!.hostLog.join("\n")).not.toContain(SECRETS.password);
});

test("an output's name given as an argument is refused too", async () => {
  const error = await previewOf(() => ({ ...ok, credentials: { issue_tracker_pass: "x" } }));
  expect(error.message).toMatch(/property credentials: unknown argument credentials: an IssueTrackerConnection takes/);
});
