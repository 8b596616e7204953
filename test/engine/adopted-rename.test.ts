import { IssueTrackerConnection } from "../../src";
import { calls } from "../support/emulated-api";
import { startLocalStack, type LocalStack } from "../support/local-stack";

// Renaming an adopted resource without aliases: the engine creates the new name (which adopts the same
// connection) and deletes the old one. The connection must survive that, and a later destroy must still
// delete it. Through the real host, as the steps of one stack's life.
let name = "rally";
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack(() => {
    new IssueTrackerConnection(name, {
      alias: "Rally Integration",
      connector: 2,
      project: 2,
      params: { issue_tracker_project: "Rally Project" },
      adoptId: 1,
      testConnection: false,
    });
    return {};
  });
});
afterAll(() => stack.stop());
const onServer = () => stack.emulator.connections().some((c) => c.id === 1);

test("up adopts connection 1", async () => {
  const result = await stack.engine.up();
  expect(result.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["create rally"]);
});

test("after a rename, up adopts it under the new name and the old name's delete leaves it on the server", async () => {
  name = "rally-integration";
  stack.emulator.clearRequestLog();
  const result = await stack.engine.up();
  expect(result.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create rally-integration", "delete rally"]);
  expect(calls(stack.emulator).filter((c) => c.startsWith("DELETE"))).toEqual([]);
  expect(onServer()).toBe(true);
  expect(stack.hostLog.join("\n")).toMatch(
    /connection 1 \("Rally Integration"\) was not deleted: another resource of this deployment adopted it.*aliases/,
  );
  expect(stack.engine.state.map((r) => `${r.name}=${r.id}`)).toEqual(["rally-integration=1"]);
});

test("the next deployment, a destroy, deletes it", async () => {
  await stack.engine.destroy();
  expect(onServer()).toBe(false);
});
