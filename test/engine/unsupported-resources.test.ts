import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "../../src";
import { DeploymentError } from "../../src/engine";
import { startLocalStack, type LocalStack } from "../support/local-stack";

// What the offline engine cannot serve is refused by name, once, under the resource, failing the preview
// and the up: reads of existing resources and remote components, which the SDK's mock would otherwise
// answer with made-up values that look like a success. The connection beside them is not created.
const TYPE = "pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection";
const args = {
  alias: "Jira",
  connector: 1,
  project: 1,
  testConnection: false,
  params: { issue_tracker_project: "Example Project" },
};

class Bucket extends pulumi.CustomResource {
  static get(name: string, id: string): Bucket {
    return new Bucket(name, { id });
  }
  constructor(name: string, opts: pulumi.CustomResourceOptions = {}) {
    super("aws:s3/bucket:Bucket", name, {}, opts);
  }
}

class Network extends pulumi.ComponentResource {
  constructor(name: string) {
    // remote: its provider's Construct would build it (a multi-language component).
    super("acme:index:Network", name, {}, {}, true);
  }
}

let stack: LocalStack | undefined;
afterEach(() => stack?.stop());

async function refused(declare: () => void): Promise<string[]> {
  stack = await startLocalStack(() => {
    declare();
    new IssueTrackerConnection("jira", args);
    return {};
  });
  const preview: DeploymentError = await stack.engine.preview().catch((e) => e);
  expect(preview).toBeInstanceOf(DeploymentError);
  const up: DeploymentError = await stack.engine.up().catch((e) => e);
  expect(up).toBeInstanceOf(DeploymentError);
  expect(up.errors).toEqual(preview.errors);
  expect(stack.emulator.requestLog.filter((e) => e.method !== "GET")).toEqual([]);
  expect(stack.engine.state).toEqual([]);
  return preview.errors;
}

test("a StackReference: no other stacks offline", async () => {
  expect(await refused(() => new pulumi.StackReference("acme/network/prod"))).toEqual([
    "urn:pulumi:dev::lifecycle::pulumi:pulumi:StackReference::acme/network/prod: pulumi:pulumi:StackReference reads the outputs of another stack: this local engine has no backend holding other stacks; run the program with the Pulumi CLI, or give the values this program needs as config for the offline run",
  ]);
});

test("another provider's resource read by id (.get)", async () => {
  expect(await refused(() => Bucket.get("logs", "acme-logs"))).toEqual([
    "urn:pulumi:dev::lifecycle::aws:s3/bucket:Bucket::logs: aws:s3/bucket:Bucket is read by id (.get or the id option) from its provider: this local engine runs only dynamic providers (such as pulumi-sdelements) and cannot read resources of other providers; run the program with the Pulumi CLI, or leave this read out of the offline run",
  ]);
});

test("an IssueTrackerConnection read by id: refused, pointing at adoptId", async () => {
  expect(await refused(() => new IssueTrackerConnection("existing", { ...args, alias: "Existing" }, { id: "1" }))).toEqual([
    `urn:pulumi:dev::lifecycle::${TYPE}::existing: ${TYPE} is read by id (.get or the id option), which this local engine does not do (a read resource stays outside the stack); to manage an existing connection, declare it with adoptId: <its id>; or run the program with the Pulumi CLI`,
  ]);
});

test("a remote component", async () => {
  expect(await refused(() => new Network("core"))).toEqual([
    "urn:pulumi:dev::lifecycle::acme:index:Network::core: acme:index:Network is a remote component (remote: true), built by its provider's Construct: this local engine runs only dynamic providers (such as pulumi-sdelements) and has no provider to construct it; run the program with the Pulumi CLI, or leave this component out of the offline run",
  ]);
});
