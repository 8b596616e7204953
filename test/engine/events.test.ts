import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "../../src";
import type { EngineEvent } from "../../src/engine";
import { startLocalStack, type LocalStack } from "../support/local-stack";

// The engine reports an operation as the Pulumi engine reports it to the CLI's display: every resource of
// the tree (the stack and components included) in registration order, each step as it starts and ends,
// and each error once, under its resource.
const TYPE = "pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection";
const args = (alias: string) => ({
  alias,
  connector: 1,
  project: 1,
  testConnection: false,
  params: { issue_tracker_project: "Example Project" },
});

class Team extends pulumi.ComponentResource {
  constructor(name: string) {
    super("acme:index:Team", name, {});
    new IssueTrackerConnection(`${name}-jira`, args(`${name} Jira`), { parent: this });
    this.registerOutputs({});
  }
}

let stack: LocalStack;
let events: EngineEvent[];
beforeEach(async () => {
  events = [];
  stack = await startLocalStack(
    () => {
      new Team("payments");
      new IssueTrackerConnection("ops-jira", args("Ops Jira"));
      return {};
    },
    { config: { "sdelements:timeout": "0.5" }, onEvent: (e) => events.push(e) },
  );
});
afterEach(() => stack.stop());

const started = () =>
  events.flatMap((e) =>
    e.kind === "pre" ? [`${e.step.op} ${e.step.type} ${e.step.name} (parent ${e.step.parent.split("::").pop() || "none"})`] : [],
  );

test("up: the stack, the component and both connections, in registration order, each started and done", async () => {
  await stack.engine.up();
  // The child registers once its parent's URN is known, so after ops-jira: Checks run one at a time in
  // the order the registrations arrived, and each step starts in that order.
  expect(started()).toEqual([
    "create pulumi:pulumi:Stack lifecycle-dev (parent none)",
    "create acme:index:Team payments (parent lifecycle-dev)",
    `create ${TYPE} ops-jira (parent lifecycle-dev)`,
    `create ${TYPE} payments-jira (parent payments)`,
  ]);
  expect(events.flatMap((e) => (e.kind === "check" ? [e.name] : []))).toEqual(["ops-jira", "payments-jira"]);
  expect(events.filter((e) => e.kind === "done")).toHaveLength(4);
  // A custom resource's registration is reported before its Check (which may test the connection) runs.
  const check = events.findIndex((e) => e.kind === "check" && e.name === "ops-jira");
  const pre = events.findIndex((e) => e.kind === "pre" && e.step.name === "ops-jira");
  expect(check).toBeGreaterThanOrEqual(0);
  expect(check).toBeLessThan(pre);

  events = [];
  await stack.engine.up();
  expect(started().map((s) => s.split(" ")[0])).toEqual(["same", "same", "same", "same"]);
  events = [];
  await stack.engine.destroy();
  expect(started().map((s) => s.split(" ").slice(0, 3).join(" "))).toEqual([
    `delete ${TYPE} ops-jira`,
    `delete ${TYPE} payments-jira`,
    "delete acme:index:Team payments",
    "delete pulumi:pulumi:Stack lifecycle-dev",
  ]);
});

test("a provider error is reported once, under its resource: the host's own copy of it is not repeated", async () => {
  await stack.engine.up();
  // Every GET of the refresh hangs: the listing its reads share (bulk-reads.ts), if they came together,
  // and then each read's own GET.
  stack.emulator.faults.hang({ count: 3, method: "GET" });
  events = [];
  await expect(stack.engine.refresh()).rejects.toThrow(/no answer within 0\.5 s/);
  const diagnostics = events.flatMap((e) => (e.kind === "diagnostic" && e.severity === "error" ? [e] : []));
  const mentions = diagnostics.filter((d) => d.message.includes("no answer within 0.5 s"));
  expect(mentions.map((m) => m.urn?.replace(/^.*::/, "")).sort()).toEqual(["ops-jira", "payments-jira"]);
  for (const mention of mentions) expect(mention.message).toMatch(/^refreshing failed: reading connection \d+: GET /);
  // The host did print it (that is the copy left out).
  expect(stack.hostLog.join("\n")).toMatch(/Error: reading connection \d+: GET .*no answer within 0\.5 s.*: reading connection/);
  expect(events.filter((e) => e.kind === "failed")).toHaveLength(2);
  // The stack and the component are unchanged by a refresh.
  expect(started().filter((s) => !s.includes(TYPE))).toEqual([
    "same pulumi:pulumi:Stack lifecycle-dev (parent none)",
    "same acme:index:Team payments (parent lifecycle-dev)",
  ]);
});
