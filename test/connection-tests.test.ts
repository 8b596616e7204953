import * as pulumi from "@pulumi/pulumi";
import { ConnectionTests, IssueTrackerConnection, type IssueTrackerConnectionArgs } from "../src";
import { DeploymentError } from "../src/engine";
import { startLocalStack, type LocalStack } from "./support/local-stack";
import { SECRETS } from "./support/seeds";

// ConnectionTests through the local engine (Check one resource at a time, as the Pulumi engine) and
// Pulumi's real dynamic-provider host, against the emulator, whose test answers each take a little
// while: registered before the connections, its one Check runs the catalogue's distinct tests side by
// side (the emulator sees several under way at once), where the connections' own serial Checks see one
// at a time. Passes are not remembered in a file here (rememberTests false), so every count is exact.
const TEST_PATH = "/api/v2/connections/test-issue-tracker/";
const PARAMS = { issue_tracker_server: "jira.secure.example", issue_tracker_user: "ci-bot", issue_tracker_project: "PAY" };
const CONNECTIONS = 24;
const DISTINCT = 6;

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

interface Catalogue {
  /** With ConnectionTests (the subject) or without (the contrast). */
  together: boolean;
  /** Connection 0's alias follows a connection registered before ConnectionTests (unknown in a preview). */
  unknownFirst?: boolean;
  password?: string;
  /** The tracker settings of connection i (its sde_min_priority: DISTINCT settings by default). */
  priority?: (i: number) => number;
  count?: number;
}

/** A catalogue's connections as a program declares them, and the stack that runs them. */
async function catalogueStack(catalogue: () => Catalogue): Promise<LocalStack> {
  const program = () => {
    const { together, unknownFirst, password = SECRETS.password, priority = (i) => 1 + (i % DISTINCT), count = CONNECTIONS } = catalogue();
    const secret = pulumi.secret(password);
    const upstream = unknownFirst
      ? new IssueTrackerConnection("upstream", {
          alias: "Upstream Jira",
          connector: 1,
          project: 2,
          params: { ...PARAMS, issue_tracker_pass: secret },
        })
      : undefined;
    const declared: Record<string, IssueTrackerConnectionArgs> = {};
    for (let i = 0; i < count; i++)
      declared[`team-${i}`] = {
        alias: upstream && i === 0 ? pulumi.interpolate`Follows ${upstream.connectionId}` : `Team ${i} Jira`,
        connector: 1,
        project: 1,
        frequency: "daily",
        params: { ...PARAMS, issue_tracker_pass: secret, sde_min_priority: priority(i) },
      };
    const tests = together ? new ConnectionTests("connection-tests", { connections: declared }) : undefined;
    for (const [name, args] of Object.entries(declared)) new IssueTrackerConnection(name, args, tests ? { dependsOn: tests } : {});
  };
  const started = await startLocalStack(program, { config: { "sdelements:rememberTests": "false" } });
  started.emulator.faults.latency({ count: 10_000, ms: 25, path: TEST_PATH });
  return started;
}

const testsOf = (s: LocalStack) => s.emulator.requestLog.filter((e) => e.path === TEST_PATH).length;

test.each([
  [true, (most: number) => expect(most).toBeGreaterThan(1)],
  // The contrast: each connection's own Check, one at a time.
  [false, (most: number) => expect(most).toBe(1)],
])("a preview of a new catalogue (ConnectionTests %p): one test per distinct settings", async (together, atOnce) => {
  stack = await catalogueStack(() => ({ together }));
  const result = await stack.engine.preview();
  expect(result.steps.filter((s) => s.type.endsWith(":IssueTrackerConnection") && s.op === "create")).toHaveLength(CONNECTIONS);
  // Each connection's Check found the verdict ConnectionTests got: no test twice.
  expect(testsOf(stack)).toBe(DISTINCT);
  atOnce(stack.emulator.maxInFlight);
});

test("a connection not known yet in a preview is left to its own Check; the others are still tested together", async () => {
  stack = await catalogueStack(() => ({ together: true, unknownFirst: true }));
  await stack.engine.preview();
  // The upstream connection's own test, then the catalogue's distinct settings side by side (connection 0,
  // its alias unknown, is tested by nobody until it is known).
  expect(testsOf(stack)).toBe(1 + DISTINCT);
  expect(stack.emulator.maxInFlight).toBeGreaterThan(1);
});

test("after an up, an unchanged catalogue tests nothing, and its state holds only digests", async () => {
  stack = await catalogueStack(() => ({ together: true }));
  await stack.engine.up();
  // The preview's host tested, and the update's again (no file of passes here): both in one Check each.
  expect(testsOf(stack)).toBe(2 * DISTINCT);
  stack.emulator.clearRequestLog();
  const preview = await stack.engine.preview();
  expect(stack.emulator.requestLog).toEqual([]);
  expect(preview.steps.filter((s) => s.op !== "same")).toEqual([]);

  const tests = stack.engine.state.find((r) => r.type.endsWith(":ConnectionTests"))!;
  expect(Object.keys(tests.inputs).filter((k) => k !== "__provider")).toEqual(["tested"]);
  const tested = tests.inputs.tested as string[];
  expect(tested).toHaveLength(CONNECTIONS);
  for (const digest of tested) expect(digest).toMatch(/^[A-Za-z0-9_-]{22}$/);
  // Its serialized provider, like the connections', only loads the package's provider in the host.
  const provider = tests.inputs.__provider as string;
  expect(Buffer.byteLength(provider)).toBeLessThanOrEqual(2048);
  expect(provider).toContain('require("pulumi-sdelements/tests").check');
  const text = JSON.stringify(tests);
  for (const clear of [
    SECRETS.password,
    SECRETS.sdeToken,
    stack.emulator.url,
    "team-3",
    "Team 3 Jira",
    "jira.secure.example",
    "ci-bot",
    "PAY",
  ])
    expect(text).not.toContain(clear);
});

test("a change to some connections tests only their settings; a new connection with known settings, its own", async () => {
  let catalogue: Catalogue = { together: true };
  stack = await catalogueStack(() => catalogue);
  await stack.engine.up();
  // Connections 0 and 6 (the same settings) move to new ones; one more connection joins with old ones.
  catalogue = { together: true, priority: (i) => (i === 0 || i === 6 ? 9 : 1 + (i % DISTINCT)), count: CONNECTIONS + 1 };
  stack.emulator.clearRequestLog();
  const preview = await stack.engine.preview();
  expect(testsOf(stack)).toBe(2);
  expect(preview.steps.filter((s) => s.op === "update").map((s) => s.name)).toEqual(["team-0", "team-6"]);
  expect(preview.steps.filter((s) => s.type.endsWith(":IssueTrackerConnection") && s.op === "create").map((s) => s.name)).toEqual([
    `team-${CONNECTIONS}`,
  ]);
  // The resource itself never shows a change.
  expect(preview.steps.find((s) => s.type.endsWith(":ConnectionTests"))?.op).toBe("same");
});

test("a failed test still fails the preview under each connection's own name, tested once", async () => {
  stack = await catalogueStack(() => ({ together: true, password: "not-the-password", priority: () => 1, count: 3 }));
  const failed = await stack.engine.preview().catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(DeploymentError);
  const errors = (failed as DeploymentError).errors;
  for (const name of ["team-0", "team-1", "team-2"])
    expect(errors).toContainEqual(
      expect.stringMatching(
        new RegExp(`::${name}: property params: the connection test failed: Authentication to jira\\.secure\\.example failed`),
      ),
    );
  expect(errors.join("\n")).not.toContain("not-the-password");
  expect(testsOf(stack)).toBe(1);
});

const TAKES =
  /: it takes a map from resource name to connection arguments, e\.g\. \{ "payments-jira": \{ alias, connector, project, params \} \}$/;

test.each<[string, unknown, RegExp]>([
  ["nothing", {}, /^ConnectionTests "t": connections: is required: it takes a map /],
  [
    "a misspelt argument",
    { connections: {}, conections: {} },
    /^ConnectionTests "t": unknown argument conections \(did you mean connections\?\): ConnectionTests takes \{ connections: \{ <resource name>: /,
  ],
  [
    "an argument it does not take",
    { connections: {}, dependsOn: [] },
    /^ConnectionTests "t": unknown argument dependsOn: ConnectionTests takes \{ connections: /,
  ],
  ["arguments that are not an object", null, /^ConnectionTests "t": the arguments must be \{ connections: .*, not null$/],
])("arguments it does not take are refused, with the shape it does: %s", (_what, args, message) => {
  expect(() => new ConnectionTests("t", args as never)).toThrow(message);
});

test.each<[string, unknown, string]>([
  ["a list", [{ alias: "A", connector: 1, project: 1, params: PARAMS }], "a list"],
  ["a string", "team-0", "a string"],
  ["a number", 3, "a number"],
  ["null", null, "null"],
])("connections given as %s is refused before anything is registered, naming connections", (_what, connections, kind) => {
  const attempt = () => new ConnectionTests("t", { connections } as never);
  expect(attempt).toThrow(new RegExp(`^ConnectionTests "t": connections: must not be ${kind}`));
  expect(attempt).toThrow(TAKES);
});

test.each([
  ["a string", "oops", "a string"],
  ["a list", [{ alias: "A" }], "a list"],
  ["null", null, "null"],
])("an entry given as %s is refused by its name (it would go untested); an entry not known yet is not", (_what, entry, kind) => {
  const attempt = () => new ConnectionTests("t", { connections: { good: {}, bad: entry } } as never);
  expect(attempt).toThrow(new RegExp(`^ConnectionTests "t": connections\\.bad: must be a connection's arguments, not ${kind}`));
  expect(() => new ConnectionTests("t", { connections: { later: pulumi.output({ alias: "A" }) } } as never)).not.toThrow();
});

test("connections from an Output that resolves to a list fail the preview at ConnectionTests' check, naming connections", async () => {
  stack = await startLocalStack(() => {
    new ConnectionTests("connection-tests", { connections: pulumi.output([{ alias: "A" }]) as never });
  });
  const failed = await stack.engine.preview().catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(DeploymentError);
  expect((failed as DeploymentError).errors).toContainEqual(
    expect.stringMatching(
      /::connection-tests: property connections: must not be a list: it takes a map from resource name to connection arguments/,
    ),
  );
  expect(testsOf(stack)).toBe(0);
});
