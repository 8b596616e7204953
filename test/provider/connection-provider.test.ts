import type { ConnectionState } from "../../src/model/state";
import { UNKNOWN } from "../../src/model/unknowns";
import { READ_ONLY_TOKEN } from "../../src/emulator";
import { ConnectionProvider } from "../../src/provider/connection-provider";
import { isCheckedWith } from "../../src/schema/checked";
import { connectionCreateSchema } from "../../src/schema/connection";
import { calls } from "../support/emulated-api";
import { startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";

// The provider's methods in-process, against the emulator over loopback HTTP.
let t: ProviderUnderTest;
beforeEach(async () => {
  t = await startProviderUnderTest();
});
afterEach(() => t.api.stop());

const PASSWORD = "id"; // the seeded Jira tracker's password for Sindy
const declared = {
  alias: "Payments Jira",
  connector: 1,
  project: 1,
  params: { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: PASSWORD, sde_min_priority: 8 },
};
type Bag = Record<string, unknown>;

async function checked(news: Bag = declared, olds: Bag = {}): Promise<Bag> {
  const result = await t.provider.check(olds, news);
  expect(result.failures ?? []).toEqual([]);
  return result.inputs as Bag;
}

async function created(news: Bag = declared): Promise<{ id: string; outs: ConnectionState; inputs: Bag }> {
  const inputs = await checked(news);
  const result = await t.provider.create(inputs);
  return { id: result.id, outs: result.outs as ConnectionState, inputs };
}

describe("check", () => {
  test("fills defaults, normalises to the API's types and tests a new connection once", async () => {
    const inputs = await checked();
    expect(inputs).toEqual({
      ...declared,
      frequency: "manually",
      debugMode: false,
      testConnection: true,
      params: { ...declared.params, sde_min_priority: 8 },
    });
    expect(calls(t.api.emulator)).toEqual(["GET /api/v2/connectors/issue-tracker/1/", "POST /api/v2/connections/test-issue-tracker/"]);
  });

  test("does not test again what just passed (preview then update of one up)", async () => {
    await checked();
    await checked();
    expect(calls(t.api.emulator).filter((c) => c.includes("test-issue-tracker"))).toHaveLength(1);
  });

  test("makes no call for an unchanged connection", async () => {
    const inputs = await checked();
    t.api.emulator.clearRequestLog();
    const fresh = t.providerWith({ maxAttempts: 1 });
    await expect(fresh.check(inputs, declared)).resolves.toEqual({ inputs });
    expect(calls(t.api.emulator)).toEqual([]);
  });

  test("tests again when connection-relevant inputs change, not for an alias", async () => {
    const { id, outs, inputs } = await created();
    t.api.emulator.clearRequestLog();
    const fresh = t.providerWith({ maxAttempts: 1 });
    await fresh.check(inputs, { ...declared, alias: "Renamed", frequency: "daily" });
    expect(calls(t.api.emulator)).toEqual([]);
    const changed = await fresh.check(inputs, { ...declared, params: { ...declared.params, issue_tracker_project: "Project Name" } });
    // An existing connection's test starts in check; diff collects its verdict.
    await fresh.diff(id, outs as unknown as Bag, changed.inputs);
    expect(calls(t.api.emulator)).toContain("POST /api/v2/connections/test-issue-tracker/");
  });

  test("makes no call with testConnection: false", async () => {
    await checked({ ...declared, testConnection: false });
    expect(calls(t.api.emulator)).toEqual([]);
  });

  test("a wrong password fails naming the param, never showing the value", async () => {
    const result = await t.provider.check({}, { ...declared, params: { ...declared.params, issue_tracker_pass: "Not-The-Password-42" } });
    expect(result.failures).toEqual([
      {
        property: "params",
        reason: expect.stringMatching(/Authentication to bugs\.server\.co failed: check issue_tracker_user and issue_tracker_pass/),
      },
    ]);
    expect(JSON.stringify(result.failures)).not.toContain("Not-The-Password-42");
  });

  test.each([
    ["an unknown server", { issue_tracker_server: "jira.nowhere.example" }, /jira\.nowhere\.example/],
    ["an unknown tracker project", { issue_tracker_project: "NOPE" }, /NOPE/],
  ])("%s fails the preview with the test's message", async (_what, change, expected) => {
    const result = await t.provider.check({}, { ...declared, params: { ...declared.params, ...change } });
    expect(result.failures?.[0]?.reason).toMatch(expected);
  });

  test("an unknown connector fails naming it", async () => {
    const result = await t.provider.check({}, { ...declared, connector: 99 });
    expect(result.failures).toEqual([{ property: "connector", reason: expect.stringMatching(/no issue-tracker connector with id 99/) }]);
  });

  test("invalid arguments fail without any API call, one failure per field", async () => {
    const result = await t.provider.check(
      {},
      { alias: "", connector: "one", project: 1, frequency: "Daily", params: { sde_min_priority: 0 } },
    );
    expect(result.failures).toEqual([
      { property: "alias", reason: "must not be empty: give the connection a name" },
      { property: "connector", reason: expect.stringMatching(/^must be the id/) },
      { property: "frequency", reason: '"Daily" is not a valid choice: write it in lower case, "daily"' },
      { property: "params.sde_min_priority", reason: "must be from 1 to 10" },
    ]);
    expect(calls(t.api.emulator)).toEqual([]);
  });

  test("preview unknowns are neither validated nor tested, and stay unknown", async () => {
    const news = { ...declared, project: UNKNOWN, params: { ...declared.params, issue_tracker_project: UNKNOWN } };
    const result = await t.provider.check({}, news);
    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs).toMatchObject({ project: UNKNOWN, params: { issue_tracker_project: UNKNOWN, sde_min_priority: 8 } });
    expect(calls(t.api.emulator)).toEqual([]);
  });

  test("problems with known values are still reported next to unknowns", async () => {
    const result = await t.provider.check({}, { ...declared, alias: "", project: UNKNOWN });
    expect(result.failures).toEqual([{ property: "alias", reason: "must not be empty: give the connection a name" }]);
  });

  test("a connector whose own params fail the schema: those are left out of the connection test, which still runs", async () => {
    // The connector's params come from the server (the emulator refuses such seeds; a real server may hold
    // old data). A connection that does not set them must not fail its preview for them: the test sends
    // only the connector's params that pass the schema, and the server fills in the rest.
    const jira = await t.api.client.connectors.get(1);
    const odd = {
      ...jira,
      params: { ...jira.params, issue_tracker_phases: "requirements,deploy", issue_tracker_title_format: "$task_id" },
    };
    const provider = new ConnectionProvider({ client: () => t.api.client, connectorOf: async () => odd, warn: () => undefined });
    const test = jest.spyOn(t.api.client.connections, "test");
    t.api.emulator.clearRequestLog();
    await expect(provider.check({}, declared)).resolves.not.toHaveProperty("failures");
    expect(calls(t.api.emulator)).toEqual(["POST /api/v2/connections/test-issue-tracker/"]);
    const sent = test.mock.calls[0]?.[0].params;
    expect(sent).not.toHaveProperty("issue_tracker_phases");
    expect(sent).not.toHaveProperty("issue_tracker_title_format");
    expect(sent).toMatchObject({ issue_tracker_project: "Example Project", issue_tracker_server: jira.params?.issue_tracker_server });
    // The endpoint's field table requires the connector's name; the example's alias goes too.
    expect(test.mock.calls[0]?.[0]).toMatchObject({ name: jira.name, alias: "Payments Jira", connector: 1, system: { id: "jira" } });
  });

  test.each(["last_successful_run", "issue_tracker_reference_context", "session_capture_socket"])(
    "%s is the server's: a program that sets it is told to remove it",
    async (key) => {
      const result = await t.provider.check({}, { ...declared, params: { ...declared.params, [key]: "x" } });
      expect(result.failures).toEqual([{ property: `params.${key}`, reason: "is set by the server, not by a program: remove it" }]);
      expect(calls(t.api.emulator)).toEqual([]);
    },
  );
});

describe("create", () => {
  test("one POST; complete outputs; credentials apart from params", async () => {
    const inputs = await checked();
    t.api.emulator.clearRequestLog();
    const { id, outs: created } = await t.provider.create(inputs);
    const outs = created as ConnectionState;
    expect(calls(t.api.emulator)).toEqual(["POST /api/v2/connections/issue-tracker/"]);
    expect(outs).toMatchObject({
      connectionId: Number(id),
      alias: "Payments Jira",
      frequency: "manually",
      debugMode: false,
      system: { id: "jira", name: "JIRA", shortName: "JIRA" },
      command: "sync_jira",
      inaccessible: false,
      inProgress: false,
      lastJob: null,
      managedParams: ["issue_tracker_pass", "issue_tracker_project", "issue_tracker_user", "sde_min_priority"],
      credentials: { issue_tracker_pass: PASSWORD },
      testConnection: true,
    });
    // Server-filled params are visible; credentials never sit in params.
    expect(outs.params).toMatchObject({ sde_project: "Project 1", issue_tracker_server: "bugs.server.co", sde_min_priority: 8 });
    expect(outs.params).not.toHaveProperty("issue_tracker_pass");
  });

  test("the create body is the one its inputs were parsed into, checked with the client's schema: the client sends it without a second parse", async () => {
    const inputs = await checked();
    const create = jest.spyOn(t.api.client.connections, "create");
    await t.provider.create(inputs);
    expect(create).toHaveBeenCalledTimes(1);
    expect(isCheckedWith(create.mock.calls[0]?.[0], connectionCreateSchema)).toBe(true);
  });

  test("a server-side refusal names the field", async () => {
    const inputs = await checked({ ...declared, testConnection: false });
    await expect(t.provider.create({ ...inputs, project: 404 })).rejects.toThrow(
      /creating connection "Payments Jira": .*project: Invalid pk "404"/,
    );
  });
});

test("a non-manual frequency in an organisation without the advanced feature is a clear error", async () => {
  const { DEFAULT_SEED } = await import("../../src/emulator");
  const basic = await startProviderUnderTest({}, { seed: { ...DEFAULT_SEED, settings: { advancedIssueTracker: false } } });
  try {
    const inputs = (await basic.provider.check({}, { ...declared, frequency: "daily" })).inputs as Bag;
    await expect(basic.provider.create(inputs)).rejects.toThrow(
      /frequency: Organizations without the advanced Issue Tracker feature can only choose "manually"/,
    );
    expect(basic.api.emulator.connections().filter((c) => c.alias === "Payments Jira")).toEqual([]);
  } finally {
    await basic.api.stop();
  }
});

describe("diff", () => {
  test("nothing changed: no API call", async () => {
    const { id, outs, inputs } = await created();
    t.api.emulator.clearRequestLog();
    await expect(t.provider.diff(id, outs as unknown as Bag, inputs)).resolves.toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(calls(t.api.emulator)).toEqual([]);
  });

  test("a changed alias is an in-place update", async () => {
    const { id, outs, inputs } = await created();
    await expect(t.provider.diff(id, outs as unknown as Bag, { ...inputs, alias: "x" })).resolves.toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  test("a new provider text (a package upgrade) is not a change", async () => {
    const { id, outs, inputs } = await created();
    const olds = { ...(outs as unknown as Bag), __provider: "exports.handler = /* 0.1.0 */" };
    await expect(t.provider.diff(id, olds, { ...inputs, __provider: "exports.handler = /* 0.2.0 */" })).resolves.toMatchObject({
      changes: false,
    });
  });

  test("adopting a different connection replaces", async () => {
    const { id, outs, inputs } = await created();
    await expect(t.provider.diff(id, outs as unknown as Bag, { ...inputs, adoptId: 1 })).resolves.toMatchObject({
      changes: true,
      replaces: ["adoptId"],
    });
    // Naming the connection it already manages only updates the stored argument: no replace.
    await expect(t.provider.diff(id, outs as unknown as Bag, { ...inputs, adoptId: Number(id) })).resolves.toMatchObject({
      changes: true,
      replaces: [],
    });
  });
});

describe("update", () => {
  test("one PATCH; removing a param reverts it to the connector's value", async () => {
    const { id, outs, inputs } = await created({
      ...declared,
      testConnection: false,
      params: { ...declared.params, issue_tracker_server: "jira.example.com" },
    });
    expect(outs.params.issue_tracker_server).toBe("jira.example.com");
    const news = await checked({ ...declared, alias: "Renamed" }, inputs);
    // As the engine does: the diff (which collects the connection test check started) before the update.
    await t.provider.diff(id, outs as unknown as Bag, news);
    t.api.emulator.clearRequestLog();
    const { outs: after } = (await t.provider.update(id, outs as unknown as Bag, news)) as { outs: ConnectionState };
    expect(calls(t.api.emulator)).toEqual([`PATCH /api/v2/connections/issue-tracker/${id}/`]);
    expect(after).toMatchObject({ alias: "Renamed", params: { issue_tracker_server: "bugs.server.co" } });
    expect(after.managedParams).not.toContain("issue_tracker_server");
  });

  test("with nothing to change, no call", async () => {
    const { id, outs, inputs } = await created();
    t.api.emulator.clearRequestLog();
    await t.provider.update(id, outs as unknown as Bag, inputs);
    expect(calls(t.api.emulator)).toEqual([]);
  });
});

describe("read", () => {
  test("one GET; drift made through the API shows in outputs and inputs, a changed password too", async () => {
    const { id, outs } = await created();
    await t.api.client.connections.update(Number(id), {
      alias: "Changed by hand",
      frequency: "weekly",
      params: { issue_tracker_pass: "rotated-by-hand" },
    });
    t.api.emulator.clearRequestLog();
    const result = await t.provider.read(id, outs as unknown as Bag);
    expect(calls(t.api.emulator)).toEqual([`GET /api/v2/connections/issue-tracker/${id}/`]);
    expect(result.props).toMatchObject({
      alias: "Changed by hand",
      frequency: "weekly",
      credentials: { issue_tracker_pass: "rotated-by-hand" },
    });
    expect(result.inputs).toMatchObject({
      alias: "Changed by hand",
      frequency: "weekly",
      params: { issue_tracker_pass: "rotated-by-hand", issue_tracker_project: "Example Project", sde_min_priority: 8 },
    });
    // The program's values now differ from the refreshed state: the next up puts them back.
    const diff = await t.provider.diff(id, result.props as Bag, await checked());
    expect(diff.changes).toBe(true);
  });

  test("right after create, a refresh finds nothing changed and keeps the system's short name", async () => {
    const { id, outs } = await created();
    const result = await t.provider.read(id, outs as unknown as Bag);
    expect(result.props).toEqual(outs);
    expect((result.props as ConnectionState).system).toEqual({ id: "jira", name: "JIRA", shortName: "JIRA" });
    // The create answer's server-internal param is not part of the outputs.
    expect(outs.params).not.toHaveProperty("session_capture_socket");
  });

  test("an update keeps the system's short name (single-object answers leave it out)", async () => {
    const { id, outs } = await created();
    const news = await checked({ ...declared, alias: "Renamed" });
    const { outs: after } = (await t.provider.update(id, outs as unknown as Bag, news)) as { outs: ConnectionState };
    expect(after.system).toEqual({ id: "jira", name: "JIRA", shortName: "JIRA" });
  });

  test("a connection deleted outside Pulumi is gone, not an error", async () => {
    const { id, outs } = await created();
    await t.api.client.connections.delete(Number(id));
    await expect(t.provider.read(id, outs as unknown as Bag)).resolves.toEqual({});
  });

  test("a token that cannot see params keeps them and warns, reporting no drift", async () => {
    const { id, outs, inputs } = await created();
    const readOnly = t.providerWith({ token: READ_ONLY_TOKEN });
    const result = await readOnly.read(id, outs as unknown as Bag);
    expect(result.props).toMatchObject({ params: outs.params, credentials: outs.credentials });
    expect(t.warnings.join("\n")).toMatch(/cannot see params .*'Edit Issue Tracker connections'/);
    const diff = await readOnly.diff(id, result.props as Bag, inputs);
    expect(diff.changes).toBe(false);
  });
});

describe("delete", () => {
  test("one DELETE; already gone is fine", async () => {
    const { id, outs } = await created();
    t.api.emulator.clearRequestLog();
    await t.provider.delete(id, outs as unknown as Bag);
    await t.provider.delete(id, outs as unknown as Bag);
    expect(calls(t.api.emulator)).toEqual([
      `DELETE /api/v2/connections/issue-tracker/${id}/`,
      `DELETE /api/v2/connections/issue-tracker/${id}/`,
    ]);
    expect(t.api.emulator.connections().some((c) => String(c.id) === id)).toBe(false);
  });
});

describe("adoption", () => {
  const rally = { alias: "Rally Integration", connector: 2, project: 2, params: { issue_tracker_project: "Rally Project" }, adoptId: 1 };

  test("matching inputs: one GET, no write", async () => {
    const inputs = await checked({ ...rally, testConnection: false });
    t.api.emulator.clearRequestLog();
    const result = await t.provider.create(inputs);
    expect(result.id).toBe("1");
    expect(calls(t.api.emulator)).toEqual(["GET /api/v2/connections/issue-tracker/1/"]);
    expect(result.outs).toMatchObject({
      alias: "Rally Integration",
      lastSuccessfulRun: "2019-11-28T20:22:32.588388+00:00",
      lastJob: { id: 4, succeeded: false },
    });
  });

  test("differing inputs: one PATCH with only the difference", async () => {
    const inputs = await checked({ ...rally, frequency: "daily", testConnection: false });
    t.api.emulator.clearRequestLog();
    const result = await t.provider.create(inputs);
    expect(calls(t.api.emulator)).toEqual(["GET /api/v2/connections/issue-tracker/1/", "PATCH /api/v2/connections/issue-tracker/1/"]);
    expect(result.outs).toMatchObject({ frequency: "daily" });
  });

  test("a connection adopted in this deployment is not deleted by another resource's delete; in the next deployment it is", async () => {
    const inputs = await checked({ ...rally, testConnection: false });
    const adopted = await t.provider.create(inputs);
    t.api.emulator.clearRequestLog();
    // The old name of a renamed resource, deleted after the new name adopted the same connection.
    await t.provider.delete("1", adopted.outs as Bag);
    expect(calls(t.api.emulator)).toEqual([]);
    expect(t.api.emulator.connections().some((c) => c.id === 1)).toBe(true);
    expect(t.warnings.join("\n")).toMatch(
      /connection 1 \("Rally Integration"\) was not deleted: another resource of this deployment adopted it.*aliases/,
    );
    // The next deployment has a fresh host process, so a fresh provider.
    await t.providerWith({}).delete("1", adopted.outs as Bag);
    expect(calls(t.api.emulator)).toEqual(["DELETE /api/v2/connections/issue-tracker/1/"]);
  });

  test("the preview's connection test uses the adopted connection's own params where the program sets none (its password)", async () => {
    const own = { issue_tracker_server: "jira.example.com", issue_tracker_user: "pulumi-bot", issue_tracker_project: "PAY" };
    const existing = await t.api.client.connections.create({
      alias: "Payments Jira",
      connector: 1,
      project: 1,
      params: { ...own, issue_tracker_pass: "example-jira-password" },
    });
    t.api.emulator.clearRequestLog();
    const result = await t.provider.check({}, { alias: "Payments Jira", connector: 1, project: 1, adoptId: existing.id, params: own });
    expect(result.failures).toBeUndefined();
    expect(calls(t.api.emulator)).toContain(`GET /api/v2/connections/issue-tracker/${existing.id}/`);
    expect(calls(t.api.emulator)).toContain("POST /api/v2/connections/test-issue-tracker/");
  });

  test("adopting a connection that does not exist fails the preview on adoptId", async () => {
    const result = await t.provider.check({}, { ...rally, adoptId: 999 });
    expect(result.failures).toEqual([
      { property: "adoptId", reason: expect.stringMatching(/^there is no connection 999 .*check adoptId, or remove it/) },
    ]);
  });

  test.each([
    ["a missing connection", { adoptId: 999 }, /there is no connection 999/],
    ["another project", { project: 1 }, /it belongs to project 2, but the program says project 1/],
  ])("%s is an error that says what to fix", async (_what, change, expected) => {
    const inputs = await checked({ ...rally, ...change, testConnection: false });
    await expect(t.provider.create(inputs)).rejects.toThrow(expected);
    expect(calls(t.api.emulator).filter((c) => !c.startsWith("GET"))).toEqual([]);
  });
});

describe("a create whose answer is lost", () => {
  test("adopts the connection it made instead of posting again", async () => {
    const inputs = await checked();
    t.api.emulator.faults.dropResponse({ count: 1, method: "POST", path: "/api/v2/connections/issue-tracker/" });
    const result = await t.provider.create(inputs);
    expect(calls(t.api.emulator).filter((c) => c === "POST /api/v2/connections/issue-tracker/")).toHaveLength(1);
    expect(t.api.emulator.connections().filter((c) => c.alias === "Payments Jira")).toHaveLength(1);
    expect(result.outs).toMatchObject({ alias: "Payments Jira", connectionId: Number(result.id) });
  });
});
