import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection, type IssueTrackerConnectionArgs } from "../../src";
import { DeploymentError, isSecret, plaintextOccurrences, SIG_KEY } from "../../src/engine";
import { calls } from "../support/emulated-api";
import { startLocalStack, type LocalStack } from "../support/local-stack";
import { SECRETS } from "../support/seeds";

// A real program, through @pulumi/pulumi's real dynamic-provider host over gRPC, against the emulator:
// preview, up, no-op up, change, drift and refresh, removal, destroy. After every step the state view
// holds no password and no token in plain text. The tests are the steps of one stack's life, in order:
// each starts from the state the one before it left.

type Spec = Record<string, Omit<IssueTrackerConnectionArgs, "params"> & { params: Record<string, unknown> }>;
let spec: Spec;
let stack: LocalStack;

const program = () => {
  const config = new pulumi.Config();
  const out: Record<string, unknown> = {};
  for (const [name, args] of Object.entries(spec)) {
    // The password comes from a config secret for one connection and as a plain string for the other.
    const params = { ...args.params };
    if (params.issue_tracker_pass === "from-config") params.issue_tracker_pass = config.requireSecret("jiraPassword");
    const connection = new IssueTrackerConnection(name, { ...args, params } as IssueTrackerConnectionArgs);
    out[`${name}Id`] = connection.id;
  }
  return out;
};

const jira = (alias: string, pass: string) => ({
  alias,
  connector: 1,
  project: 1,
  params: {
    issue_tracker_server: "jira.secure.example",
    issue_tracker_user: "ci-bot",
    issue_tracker_pass: pass,
    issue_tracker_project: "PAY",
  },
});

beforeAll(async () => {
  spec = {
    payments: jira("Payments Jira", "from-config"),
    operations: {
      ...jira("Operations Jira", SECRETS.password),
      project: 2,
      params: { ...jira("", SECRETS.password).params, issue_tracker_project: "OPS" },
    },
  };
  stack = await startLocalStack(program);
});
afterAll(() => stack.stop());

const writes = () => calls(stack.emulator).filter((c) => !c.startsWith("GET") && !c.includes("test-issue-tracker"));
const ours = () => stack.emulator.connections().filter((c) => c.alias.endsWith("Jira"));

afterEach(() => {
  // No step may leave a secret in plain text anywhere in the state, or in what the host printed.
  expect(plaintextOccurrences(stack.engine.state, [SECRETS.password, SECRETS.sdeToken])).toEqual([]);
  expect(stack.hostLog.join("\n")).not.toContain(SECRETS.password);
  expect(stack.hostLog.join("\n")).not.toContain(SECRETS.sdeToken);
  stack.emulator.clearRequestLog();
});

test("preview with a wrong password fails naming it, and creates nothing", async () => {
  spec.payments!.params.issue_tracker_pass = "wrong-password";
  const error: DeploymentError = await stack.engine.preview().catch((e) => e);
  expect(error).toBeInstanceOf(DeploymentError);
  expect(error.errors).toEqual([
    expect.stringMatching(
      /IssueTrackerConnection::payments: property params: the connection test failed: Authentication to jira\.secure\.example failed: check issue_tracker_user and issue_tracker_pass/,
    ),
  ]);
  expect(writes()).toEqual([]);
  expect(ours()).toEqual([]);
  spec.payments!.params.issue_tracker_pass = "from-config";
});

test("preview shows the planned creates and writes nothing", async () => {
  const result = await stack.engine.preview();
  expect(result.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create operations", "create payments"]);
  expect(writes()).toEqual([]);
});

test("up creates each connection with one POST", async () => {
  const result = await stack.engine.up();
  expect(result.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create operations", "create payments"]);
  expect(writes()).toEqual(["POST /api/v2/connections/issue-tracker/", "POST /api/v2/connections/issue-tracker/"]);
  expect(
    ours()
      .map((c) => c.alias)
      .sort(),
  ).toEqual(["Operations Jira", "Payments Jira"]);
  expect(result.outputs.paymentsId).toEqual(String(ours().find((c) => c.alias === "Payments Jira")?.id));
});

test("credentials are secret on the wire, in stored inputs and outputs, even when given as plain strings", () => {
  for (const resource of stack.engine.state) {
    expect(isSecret((resource.inputs.params as Record<string, unknown>).issue_tracker_pass)).toBe(true);
    expect(isSecret(resource.outputs.credentials)).toBe(true);
    expect(resource.additionalSecretOutputs).toContain("credentials");
    // Only the credentials: the rest of params stays readable.
    expect(isSecret(resource.outputs.params)).toBe(false);
    expect((resource.outputs.params as Record<string, unknown>).issue_tracker_project).toMatch(/PAY|OPS/);
  }
  // The program sent the plain-string password already wrapped, nested inside params.
  const registration = stack.engine.state.find((r) => r.name === "operations");
  expect(JSON.stringify(registration?.inputs.params)).toContain(SIG_KEY);
});

test("the serialized provider is small and captures neither token nor URL", () => {
  const provider = stack.engine.state[0]!.inputs.__provider as string;
  expect(Buffer.byteLength(provider)).toBeLessThanOrEqual(2048);
  expect(provider).not.toContain(SECRETS.sdeToken);
  expect(provider).not.toContain(stack.emulator.url);
  expect(provider).toContain('require("pulumi-sdelements/provider")');
});

test("a second up with no change makes no API call and no update", async () => {
  const result = await stack.engine.up();
  expect(result.steps.map((s) => s.op)).toEqual(["same", "same"]);
  expect(calls(stack.emulator)).toEqual([]);
});

test("a change of alias, frequency and a param is one PATCH", async () => {
  spec.payments = {
    ...spec.payments!,
    alias: "Payments EU Jira",
    frequency: "daily",
    params: { ...spec.payments!.params, issue_tracker_project: "OPS" },
  };
  const preview = await stack.engine.preview();
  expect(preview.steps.filter((s) => s.op !== "same")).toEqual([
    expect.objectContaining({ op: "update", name: "payments", changed: ["alias", "frequency", "params"] }),
  ]);
  stack.emulator.clearRequestLog();
  await stack.engine.up();
  const id = stack.engine.state.find((r) => r.name === "payments")!.id;
  expect(writes()).toEqual([`PATCH /api/v2/connections/issue-tracker/${id}/`]);
  expect(stack.emulator.connections().find((c) => String(c.id) === id)).toMatchObject({
    alias: "Payments EU Jira",
    frequency: "daily",
    params: { issue_tracker_project: "OPS" },
  });
});

test("drift made through the API shows on refresh, and the next up puts the program's values back", async () => {
  const id = Number(stack.engine.state.find((r) => r.name === "operations")!.id);
  const { SdeClient } = await import("../../src");
  const client = new SdeClient({ url: stack.emulator.url, token: SECRETS.sdeToken }, {});
  await client.connections.update(id, { alias: "Renamed by hand", params: { issue_tracker_pass: "changed-by-hand-pw" } });
  await client.close();
  stack.emulator.clearRequestLog();

  const refresh = await stack.engine.refresh();
  expect(refresh.steps.find((s) => s.name === "operations")?.changed).toEqual(expect.arrayContaining(["alias", "credentials"]));
  // Both reads from one listing when they come together (bulk-reads.ts), else one GET each.
  const other = stack.engine.state.find((r) => r.name === "payments")!.id;
  expect([
    ["GET /api/v2/connections/issue-tracker/"],
    [`GET /api/v2/connections/issue-tracker/${id}/`, `GET /api/v2/connections/issue-tracker/${other}/`].sort(),
  ]).toContainEqual([...calls(stack.emulator)].sort());
  // The refreshed password is as secret as the one the program set.
  const operations = stack.engine.state.find((r) => r.name === "operations")!;
  expect(isSecret(operations.outputs.credentials)).toBe(true);
  expect(isSecret((operations.inputs.params as Record<string, unknown>).issue_tracker_pass)).toBe(true);
  expect(plaintextOccurrences(stack.engine.state, ["changed-by-hand-pw"])).toEqual([]);

  const preview = await stack.engine.preview();
  expect(preview.steps.find((s) => s.name === "operations")).toMatchObject({
    op: "update",
    changed: expect.arrayContaining(["alias", "params"]),
  });
  stack.emulator.clearRequestLog();
  await stack.engine.up();
  expect(writes()).toEqual([`PATCH /api/v2/connections/issue-tracker/${id}/`]);
  expect(stack.emulator.connections().find((c) => c.id === id)).toMatchObject({
    alias: "Operations Jira",
    params: { issue_tracker_pass: SECRETS.password },
  });
});

test("a connection removed from the program is deleted", async () => {
  const id = stack.engine.state.find((r) => r.name === "operations")!.id;
  delete spec.operations;
  const result = await stack.engine.up();
  expect(result.steps.filter((s) => s.op === "delete").map((s) => s.name)).toEqual(["operations"]);
  expect(writes()).toEqual([`DELETE /api/v2/connections/issue-tracker/${id}/`]);
  expect(ours().map((c) => c.alias)).toEqual(["Payments EU Jira"]);
});

test("destroy deletes the rest", async () => {
  const result = await stack.engine.destroy();
  expect(result.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["delete payments"]);
  expect(ours()).toEqual([]);
  expect(stack.engine.state).toEqual([]);
});
