import { IssueTrackerConnection } from "../../src";
import { DeploymentError } from "../../src/engine";
import { startLocalStack, type LocalStack } from "../support/local-stack";

// Arguments the types forbid but JavaScript (or a cast) can still give: the preview names the argument and
// the fix, as for any other bad input, instead of a TypeError from inside the resource class.
let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

test.each([
  ["no params", undefined, /property params: is required: a map of param names to values/],
  ["null params", null, /property params: must be an object/],
])("%s: the preview fails naming params", async (_what, params, expected) => {
  stack = await startLocalStack(() => {
    new IssueTrackerConnection("odd", { alias: "Odd", connector: 1, project: 1, params: params as never });
    return {};
  });
  const error: DeploymentError = await stack.engine.preview().catch((e) => e);
  expect(error).toBeInstanceOf(DeploymentError);
  expect(error.message).toMatch(expected);
});
