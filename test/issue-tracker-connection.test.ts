import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "../src";

// What the resource class itself refuses: arguments that could not reach the provider's check as they
// were written. It throws before registering anything (the preview then fails with the message alone, as
// a RunError). Everything that can travel is judged by check (test/engine/bad-arguments.test.ts).
const ok = { alias: "Odd", connector: 1, project: 1, params: { issue_tracker_project: "PAY" } };

test.each([
  [
    "arguments given as one Output",
    pulumi.output(ok),
    /^IssueTrackerConnection "odd": the arguments must be an object .*, not an Output \(give each argument its own Output instead\)$/,
  ],
  ["no arguments", undefined, /^IssueTrackerConnection "odd": the arguments must be an object .*, not nothing$/],
  ["arguments as a list", [ok], /^IssueTrackerConnection "odd": the arguments must be an object .*, not a list$/],
  [
    "a name the SDK keeps for itself",
    { ...ok, id: 5 },
    /^IssueTrackerConnection "odd": unknown argument id: an IssueTrackerConnection takes alias, connector/,
  ],
  ["the provider's own key", { ...ok, __provider: "x" }, /^IssueTrackerConnection "odd": unknown argument __provider: /],
  [
    "params as a Map",
    { ...ok, params: new Map([["issue_tracker_project", "PAY"]]) },
    /^IssueTrackerConnection "odd": params: must be a map of param names to values written as a plain object, .* not a Map$/,
  ],
  ["params as a Date", { ...ok, params: new Date(0) }, /params: must be a map .* not a Date$/],
])("%s: refused by name before anything is registered", (_what, args, expected) => {
  let thrown: unknown;
  try {
    new IssueTrackerConnection("odd", args as never);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(pulumi.RunError);
  expect((thrown as Error).message).toMatch(expected);
});
