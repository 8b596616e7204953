import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "../../src";
import { UNKNOWN } from "../../src/model/unknowns";
import { calls } from "../support/emulated-api";
import { startLocalStack, type LocalStack } from "../support/local-stack";
import { SECRETS } from "../support/seeds";

// Preview of a connection whose inputs depend on another not yet created: the registration carries the
// engine's unknown placeholder, check neither validates nor tests it, and up then creates both.
let stack: LocalStack;
const params = {
  issue_tracker_server: "jira.secure.example",
  issue_tracker_user: "ci-bot",
  issue_tracker_pass: SECRETS.password,
  issue_tracker_project: "PAY",
};

beforeAll(async () => {
  stack = await startLocalStack(() => {
    const first = new IssueTrackerConnection("first", { alias: "First Jira", connector: 1, project: 1, params });
    new IssueTrackerConnection("second", {
      alias: pulumi.interpolate`Follows ${first.connectionId}`,
      connector: 1,
      project: 2,
      params: { ...params, issue_tracker_project: "OPS" },
    });
  });
});
afterAll(() => stack.stop());

test("preview: the dependent input is unknown on the wire and is not tested", async () => {
  const preview = await stack.engine.preview();
  expect(preview.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create first", "create second"]);
  const second = stack.engine.lastRegistrations.find((r) => r.name === "second");
  expect(second?.object.alias).toBe(UNKNOWN);
  expect(second?.additionalSecretOutputs).toEqual(["credentials"]);
  // One connection test, for "first"; none for "second" while its alias is unknown.
  expect(calls(stack.emulator).filter((c) => c.includes("test-issue-tracker"))).toHaveLength(1);
  expect(stack.emulator.connections().filter((c) => c.alias !== "Rally Integration")).toEqual([]);
});

test("up resolves it and creates both", async () => {
  await stack.engine.up();
  const first = stack.emulator.connections().find((c) => c.alias === "First Jira");
  expect(stack.emulator.connections().map((c) => c.alias)).toContain(`Follows ${first?.id}`);
});
