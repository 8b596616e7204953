import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "../../src";
import { DeploymentError } from "../../src/engine";
import { startLocalStack, type LocalStack } from "../support/local-stack";

// URNs as the engine builds them: a child's type carries its parent's type chain, one URN is one resource,
// and only the stack's own outputs are the stack's outputs.
const TYPE = "pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection";
const args = (alias: string, project: number) => ({
  alias,
  connector: 1,
  project,
  testConnection: false,
  params: { issue_tracker_project: "Example Project" },
});

class Team extends pulumi.ComponentResource {
  readonly connection: IssueTrackerConnection;
  constructor(name: string, childName: string, project: number, opts?: pulumi.ComponentResourceOptions, type = "acme:index:Team") {
    super(type, name, {}, opts);
    this.connection = new IssueTrackerConnection(childName, args(`${name} Jira`, project), { parent: this });
    this.registerOutputs({ componentOnly: 5 });
  }
}

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

test("a component's child has the component's type in its URN; the stack's outputs are the program's, not a component's", async () => {
  stack = await startLocalStack(() => {
    const team = new Team("payments", "payments-jira", 1);
    return { id: team.connection.id };
  });
  const result = await stack.engine.up();
  expect(stack.engine.state.map((r) => r.urn)).toEqual([`urn:pulumi:dev::lifecycle::acme:index:Team$${TYPE}::payments-jira`]);
  expect(Object.keys(result.outputs)).toEqual(["id"]);
});

test("components nested three deep keep every type of the chain: same-named children under different outer types are distinct", async () => {
  class Division extends pulumi.ComponentResource {
    constructor(type: string, name: string, project: number) {
      super(type, name, {});
      const group = new pulumi.ComponentResource("acme:index:Group", `${name}-group`, {}, { parent: this });
      new Team(`${name}-team`, "jira", project, { parent: group });
      this.registerOutputs({});
    }
  }
  stack = await startLocalStack(() => {
    new Division("acme:index:Sales", "sales", 1);
    new Division("acme:index:Support", "support", 3);
    return {};
  });
  await stack.engine.up();
  expect(stack.engine.state.map((r) => r.urn).sort()).toEqual([
    `urn:pulumi:dev::lifecycle::acme:index:Sales$acme:index:Group$acme:index:Team$${TYPE}::jira`,
    `urn:pulumi:dev::lifecycle::acme:index:Support$acme:index:Group$acme:index:Team$${TYPE}::jira`,
  ]);
});

test.each([
  [
    "two top-level resources",
    () => [new IssueTrackerConnection("dup", args("First", 1)), new IssueTrackerConnection("dup", args("Second", 2))],
  ],
  ["children of the same name in two components of one type", () => [new Team("payments", "jira", 1), new Team("operations", "jira", 3)]],
])("one URN for %s is an error, as in the engine, not one state entry for two connections", async (_what, declare) => {
  stack = await startLocalStack(() => {
    declare();
    return {};
  });
  const error: DeploymentError = await stack.engine.up().catch((e) => e);
  expect(error).toBeInstanceOf(DeploymentError);
  expect(error.message).toMatch(
    /duplicate resource URN: another resource has the name "(dup|jira)" and the same type chain \(its parents' types and its own\); give each a unique name/,
  );
});
