import { ConnectionTests, IssueTrackerConnection, type IssueTrackerConnectionArgs } from "../../src";
import type { EngineEvent, StepsResult } from "../../src/engine";
import { urnOf } from "../../src/engine/recording-monitor";
import { renderOperation, type OperationKind } from "../../src/cli/render";
import { startLocalStack, type LocalStack } from "../support/local-stack";

// The runner's output from the events of a real engine run (render.test.ts has hand-built ones): an
// adopted connection is marked as such, and each row's type is its resource's own, a ConnectionTests'
// included.
const declared: Record<string, IssueTrackerConnectionArgs> = {
  rally: {
    alias: "Rally Integration",
    connector: 2,
    project: 2,
    params: { issue_tracker_project: "Rally Project" },
    adoptId: 1,
    testConnection: false,
  },
};

let stack: LocalStack;
let events: EngineEvent[] = [];
beforeAll(async () => {
  stack = await startLocalStack(
    () => {
      const tests = new ConnectionTests("connection-tests", { connections: declared });
      for (const [name, args] of Object.entries(declared)) new IssueTrackerConnection(name, args, { dependsOn: tests });
      return {};
    },
    { onEvent: (event) => events.push(event) },
  );
});
afterAll(() => stack.stop());

async function rendered(kind: OperationKind, operation: () => Promise<StepsResult>): Promise<string> {
  events = [];
  const result = await operation();
  const stackUrn = urnOf("dev", "lifecycle", undefined, "pulumi:pulumi:Stack", "lifecycle-dev");
  return renderOperation({ events, outputs: result.outputs, failed: false }, { kind, color: false, diff: false, stackUrn }).join("\n");
}

test("preview: the adoption is planned, on the connection's row; the ConnectionTests row has its own type", async () => {
  const text = await rendered("preview", () => stack.engine.preview());
  expect(text).toMatch(/^ \+ {3}├─ pulumi-nodejs:dynamic\/sdelements:ConnectionTests +connection-tests +create *$/m);
  expect(text).toMatch(/^ \+ {3}└─ pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection +rally +create +\[adopts connection 1\]$/m);
});

test("up: the connection is marked adopted; nothing on the server was created", async () => {
  const text = await rendered("update", () => stack.engine.up());
  expect(text).toMatch(/^ \+ {3}└─ pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection +rally +created +\[adopted connection 1\]$/m);
  expect(text).toMatch(/^ \+ {3}├─ pulumi-nodejs:dynamic\/sdelements:ConnectionTests +connection-tests +created *$/m);
  expect(stack.emulator.requestLog.filter((e) => e.method === "POST")).toEqual([]);
});
