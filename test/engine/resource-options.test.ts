import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "../../src";
import { DeploymentError, protectedDeleteMessage, protectedReplaceMessage } from "../../src/engine";
import { startLocalStack, type LocalStack } from "../support/local-stack";

// The resource options the engine acts on, honoured as `pulumi up` honours them: a protected connection is
// neither deleted nor replaced (the run fails with the CLI's message and deletes nothing), a retained one
// leaves the stack but stays in SD Elements, and a resource of another provider is refused by name.
const TYPE = "pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection";
const urn = (name: string) => `urn:pulumi:dev::lifecycle::${TYPE}::${name}`;
const args = (alias: string) => ({
  alias,
  connector: 1,
  project: 1,
  testConnection: false,
  params: { issue_tracker_project: "Example Project" },
});

let declared: Record<string, { alias?: string; adoptId?: number; opts?: pulumi.CustomResourceOptions }>;
let stack: LocalStack;
const program = () => {
  for (const [name, { alias, adoptId, opts }] of Object.entries(declared))
    new IssueTrackerConnection(name, { ...args(alias ?? name), adoptId }, opts);
  return {};
};
const deletes = () => stack.emulator.requestLog.filter((e) => e.method === "DELETE");
const aliases = () =>
  stack.emulator
    .connections()
    .map((c) => c.alias)
    .sort();

beforeEach(async () => {
  stack = await startLocalStack(program);
});
afterEach(() => stack.stop());

describe("protect: true", () => {
  test("dropping the resource fails the up with the CLI's message, and nothing is deleted", async () => {
    declared = { kept: { opts: { protect: true } }, other: {} };
    await stack.engine.up();
    declared = {};
    const error: DeploymentError = await stack.engine.up().catch((e) => e);
    expect(error).toBeInstanceOf(DeploymentError);
    expect(error.errors).toEqual([`${urn("kept")}: ${protectedDeleteMessage(urn("kept"))}`]);
    // The CLI's wording (pkg/resource/deploy/step.go, deleteProtectedError), the URN quoted for the shell.
    expect(error.errors[0]).toBe(
      `${urn("kept")}: resource "${urn("kept")}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn("kept")}'\``,
    );
    // Not even the unprotected one: the update stops before any delete, as the engine's step generator does.
    expect(deletes()).toEqual([]);
    expect(aliases()).toEqual(["Rally Integration", "kept", "other"]);
    expect(stack.engine.state.map((r) => r.name).sort()).toEqual(["kept", "other"]);
    // The preview says the same.
    await expect(stack.engine.preview()).rejects.toThrow(/resource ".*::kept" cannot be deleted\nbecause it is protected\./);
  });

  test("destroy fails the same way and deletes nothing; once the flag is gone (and up has run), destroy deletes", async () => {
    declared = { kept: { opts: { protect: true } }, other: {} };
    await stack.engine.up();
    await expect(stack.engine.destroy()).rejects.toThrow(protectedDeleteMessage(urn("kept")));
    expect(deletes()).toEqual([]);
    expect(stack.engine.state).toHaveLength(2);

    declared = { kept: {}, other: {} };
    await stack.engine.up();
    const result = await stack.engine.destroy();
    expect(result.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["delete kept", "delete other"]);
    expect(aliases()).toEqual(["Rally Integration"]);
  });

  test("a change that replaces it fails with the CLI's replace message, and changes nothing", async () => {
    declared = { kept: { opts: { protect: true } } };
    await stack.engine.up();
    // Another connection's id in adoptId replaces the resource.
    declared = { kept: { adoptId: 1, opts: { protect: true } } };
    const error: DeploymentError = await stack.engine.preview().catch((e) => e);
    expect(error.errors).toEqual([`${urn("kept")}: ${protectedReplaceMessage(urn("kept"))}`]);
    // The CLI's wording (pkg/resource/deploy/step_generator.go).
    expect(error.errors[0]).toBe(
      `${urn("kept")}: unable to replace resource "${urn("kept")}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
    );
    stack.emulator.clearRequestLog();
    await expect(stack.engine.up()).rejects.toThrow(protectedReplaceMessage(urn("kept")));
    expect(stack.emulator.requestLog.filter((e) => e.method !== "GET")).toEqual([]);
  });

  test("as the engine judges it on the old state too: protected only now, or no longer, the replacement goes ahead", async () => {
    declared = { kept: {}, freed: { opts: { protect: true } } };
    await stack.engine.up();
    // Protect set with the change that replaces (the state has it unprotected), and protect removed with it.
    declared = { kept: { adoptId: 1, opts: { protect: true } }, freed: { adoptId: 1, opts: { protect: false } } };
    const preview = await stack.engine.preview();
    expect(preview.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["replace kept", "replace freed"]);
    // Once an up has written the flag into the state, the same change is refused.
    declared = { kept: { opts: { protect: true } }, freed: {} };
    await stack.engine.up();
    expect(stack.engine.state.map((r) => `${r.name} ${r.protect}`)).toEqual(["kept true", "freed false"]);
    declared = { kept: { adoptId: 1, opts: { protect: true } }, freed: {} };
    await expect(stack.engine.preview()).rejects.toThrow(protectedReplaceMessage(urn("kept")));
  });
});

describe("retainOnDelete: true", () => {
  test("dropping the resource removes it from the stack and keeps the connection", async () => {
    declared = { kept: { opts: { retainOnDelete: true } } };
    await stack.engine.up();
    declared = {};
    const result = await stack.engine.up();
    expect(result.steps).toEqual([expect.objectContaining({ op: "delete", name: "kept", retain: true })]);
    expect(deletes()).toEqual([]);
    expect(aliases()).toEqual(["Rally Integration", "kept"]);
    expect(stack.engine.state).toEqual([]);
  });

  test("destroy lets it go and keeps it; the other connection is deleted", async () => {
    declared = { kept: { opts: { retainOnDelete: true } }, other: {} };
    await stack.engine.up();
    await stack.engine.destroy();
    expect(deletes()).toHaveLength(1);
    expect(aliases()).toEqual(["Rally Integration", "kept"]);
    expect(stack.engine.state).toEqual([]);
  });
});

class Bucket extends pulumi.CustomResource {
  constructor(name: string) {
    super("aws:s3/bucket:Bucket", name, {});
  }
}

test("a resource of another provider is refused by name, not mocked", async () => {
  await stack.stop();
  stack = await startLocalStack(() => {
    new Bucket("logs");
    new IssueTrackerConnection("jira", args("Jira"));
    return {};
  });
  const error: DeploymentError = await stack.engine.preview().catch((e) => e);
  expect(error).toBeInstanceOf(DeploymentError);
  expect(error.errors).toEqual([
    "urn:pulumi:dev::lifecycle::aws:s3/bucket:Bucket::logs: aws:s3/bucket:Bucket is not a dynamic provider's resource: this local engine runs only dynamic providers (such as pulumi-sdelements); run the program with the Pulumi CLI, or leave this resource out of the offline run",
  ]);
});
