import { SdeApiError } from "../../src/client";
import { READ_ONLY_TOKEN } from "../../src/emulator";
import { calls, startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

// The client against the emulator over real loopback HTTP: every typed call on the API page.
let api: EmulatedApi;
beforeEach(async () => {
  api = await startEmulatedApi();
});
afterEach(() => api.stop());

const jiraConnection = {
  alias: "Payments Jira",
  connector: 1,
  project: 1,
  frequency: "daily" as const,
  params: { issue_tracker_project: "Example Project", sde_min_priority: "8" },
};

describe("connections", () => {
  test("lists every connection, with the documented shape", async () => {
    const list = await api.client.connections.list();
    const rally = list.find((c) => c.alias === "Rally Integration");
    expect(rally).toMatchObject({ id: 1, command: "sync_rally", system: { id: "rally" }, in_progress: false, connector: 2 });
    expect(rally?.params?.issue_tracker_pass).toBe("rally_password");
    expect(calls(api.emulator)).toEqual(["GET /api/v2/connections/issue-tracker/"]);
  });

  test("filters by project and embeds the last job on request", async () => {
    await api.client.connections.create(jiraConnection);
    const onProject2 = await api.client.connections.list({ project: 2, includeLastJob: true });
    expect(onProject2.map((c) => c.alias)).toEqual(["Rally Integration"]);
    expect(onProject2[0]?.last_job).toMatchObject({ succeeded: false, result_message: "Error Message" });
    const onProject1 = await api.client.connections.list({ project: 1 });
    expect(onProject1.map((c) => c.alias)).toEqual(["Payments Jira"]);
    expect(api.emulator.requestLog.at(-2)?.query).toContain("include=last_job");
  });

  test("reads every page when the server paginates", async () => {
    for (let i = 0; i < 7; i++) await api.client.connections.create({ ...jiraConnection, alias: `Jira ${i}` });
    api.emulator.clearRequestLog();
    const all = await api.client.connections.list({ pageSize: 3 });
    expect(all).toHaveLength(8);
    expect(new Set(all.map((c) => c.id)).size).toBe(8);
    expect(calls(api.emulator)).toHaveLength(3);
  });

  test("creates with one POST; the server fills the rest of params", async () => {
    const created = await api.client.connections.create(jiraConnection);
    expect(created).toMatchObject({ alias: "Payments Jira", frequency: "daily", command: "sync_jira", connector: 1, project: 1 });
    // Given as a string, stored and answered as the integer the API uses.
    expect(created.params).toMatchObject({ sde_min_priority: 8, sde_project: "Project 1", issue_tracker_server: "bugs.server.co" });
    expect(calls(api.emulator)).toEqual(["POST /api/v2/connections/issue-tracker/"]);
    expect(await api.client.connections.get(created.id)).toMatchObject({ id: created.id, alias: "Payments Jira" });
  });

  test("updates with one PATCH that merges params", async () => {
    const created = await api.client.connections.create(jiraConnection);
    const updated = await api.client.connections.update(created.id, { alias: "Renamed", params: { issue_tracker_parent_issue: "PAY-1" } });
    expect(updated.alias).toBe("Renamed");
    expect(updated.params).toMatchObject({ issue_tracker_project: "Example Project", issue_tracker_parent_issue: "PAY-1" });
    expect(calls(api.emulator).at(-1)).toBe(`PATCH /api/v2/connections/issue-tracker/${created.id}/`);
  });

  test("deletes; deleting again is a 404 error that says so", async () => {
    const created = await api.client.connections.create(jiraConnection);
    await expect(api.client.connections.delete(created.id)).resolves.toBe("deleted");
    const again = api.client.connections.delete(created.id);
    await expect(again).rejects.toMatchObject({ kind: "http", status: 404 });
    await expect(again).rejects.toThrow(/DELETE \/api\/v2\/connections\/issue-tracker\/\d+\/ → 404/);
  });

  test("gets with the last job embedded", async () => {
    const one = await api.client.connections.get(1, { includeLastJob: true });
    expect(one.last_job?.id).toBe(4);
    expect(one.params?.last_successful_run).toBe("2019-11-28T20:22:32.588388+00:00");
  });
});

describe("test connection", () => {
  const pageExample = {
    connector: 2,
    alias: "Issue Tracker Test",
    project: 2,
    system: { id: "rally" },
    params: {
      issue_tracker_server: "server.rallydev.com",
      issue_tracker_auth_mode: "basic" as const,
      issue_tracker_user: "username",
      issue_tracker_pass: "password",
      issue_tracker_project: "rally_project",
      issue_tracker_validate_cert: true,
    },
  };

  test("succeeds for the API page's example", async () => {
    await expect(api.client.connections.test(pageExample)).resolves.toEqual({ success: true });
  });

  test.each([
    ["an unknown server", { issue_tracker_server: "nowhere.example.com" }, /nowhere\.example\.com/],
    ["wrong credentials", { issue_tracker_pass: "Wr0ng-Pa55word-XYZ" }, /issue_tracker_pass/],
    ["an unknown tracker project", { issue_tracker_project: "missing_project" }, /missing_project/],
  ])("reports %s as an outcome that names it", async (_what, override, named) => {
    const outcome = await api.client.connections.test({ ...pageExample, params: { ...pageExample.params, ...override } });
    expect(outcome.success).toBe(false);
    if (outcome.success) return;
    expect(outcome.message).toMatch(named);
    expect(outcome.message).not.toContain("Wr0ng-Pa55word-XYZ");
  });

  test("a read-only token may not test", async () => {
    const readOnly = api.clientWith({ token: READ_ONLY_TOKEN });
    await expect(readOnly.connections.test(pageExample)).rejects.toMatchObject({ kind: "http", status: 403 });
  });
});

describe("connectors and projects", () => {
  test("lists and gets connectors", async () => {
    const connectors = await api.client.connectors.list();
    expect(connectors.map((c) => c.system.id)).toEqual(expect.arrayContaining(["jira", "rally", "github"]));
    expect((await api.client.connectors.get(2)).system.id).toBe("rally");
  });

  test("gets a project", async () => {
    await expect(api.client.projects.get(2)).resolves.toMatchObject({ id: 2, name: "Demo Project" });
    await expect(api.client.projects.get(999)).rejects.toBeInstanceOf(SdeApiError);
  });
});

describe("sync jobs", () => {
  test("a successful job sets last_successful_run", async () => {
    const created = await api.client.connections.create(jiraConnection);
    expect(created.params?.last_successful_run).toBeUndefined();
    const job = await api.client.jobs.create({ connection: created.id, automatic: true, succeeded: true, result_message: "synced" });
    const after = await api.client.connections.get(created.id);
    expect(after.params?.last_successful_run).toBe(job.last_run);
    expect(await api.client.jobs.list({ connection: created.id })).toHaveLength(1);
  });
});
