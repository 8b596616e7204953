import type * as dynamic from "@pulumi/pulumi/dynamic";
import { IssueTrackerConnection } from "../../src";
import { READ_ONLY_TOKEN } from "../../src/emulator";
import type { ConnectionProvider } from "../../src/provider/connection-provider";
import { calls } from "../support/emulated-api";
import { startLocalStack } from "../support/local-stack";
import { FAST_LOOKUPS, startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";

// A refresh's reads served from one listing must give exactly what one GET per read gives.
let t: ProviderUnderTest;
beforeEach(async () => {
  // Connector 3 (GitHub) is inaccessible (remote): its connections are scheduled, never manual.
  t = await startProviderUnderTest({}, { inaccessibleConnectors: [3] });
});
afterEach(() => t.api.stop());

type Bag = Record<string, unknown>;
type Stored = { id: string; props: Bag };

const LIST_PATH = "/api/v2/connections/issue-tracker/";
const JIRA_PASSWORD = "id"; // the seeded Jira tracker's password for Sindy

/** Every kind of connection the emulator's seed allows, created (or adopted) through the provider. */
async function everyKind(): Promise<Stored[]> {
  const kinds: Bag[] = [
    // The seeded Rally connection, with its two jobs (a successful one: last_successful_run in params).
    { alias: "Rally Integration", connector: 2, project: 2, adoptId: 1, params: { issue_tracker_project: "Rally Project" } },
    // A managed secret param (its value is in `credentials`).
    {
      alias: "Payments Jira",
      connector: 1,
      project: 1,
      params: { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: JIRA_PASSWORD },
    },
    // No job yet (last_job null), debug mode on, a schedule.
    { alias: "Ops Jira", connector: 1, project: 2, frequency: "daily", debugMode: true, params: { issue_tracker_project: "Project Name" } },
    // An inaccessible (remote) connector, a secret the connector fills in and the program does not manage.
    { alias: "Remote GitHub", connector: 3, project: 1, frequency: "weekly", params: { issue_tracker_project: "example-repo" } },
  ];
  const stored: Stored[] = [];
  for (const news of kinds) {
    const checked = await t.provider.check({}, { ...news, testConnection: false });
    expect(checked.failures ?? []).toEqual([]);
    const created = await t.provider.create(checked.inputs);
    stored.push({ id: created.id, props: created.outs as Bag });
  }
  const [, jira, ops] = stored;
  // A job in progress (in_progress from the list, inferred from last_job by a GET) and a failed one.
  t.api.emulator.recordSyncJob(Number(jira!.id), { succeeded: true, automatic: true });
  t.api.emulator.recordSyncJob(Number(jira!.id), { succeeded: false, ready: false });
  t.api.emulator.recordSyncJob(Number(ops!.id), { succeeded: false, resultMessage: "Tracker unreachable" });
  // Drift on the server: the program's values no longer match.
  await t.api.client.connections.update(Number(ops!.id), { alias: "Ops Jira (renamed in SD Elements)", frequency: "monthly" });
  await t.api.client.connections.update(Number(jira!.id), { params: { issue_tracker_pass: "changed-in-the-ui" } });
  return stored;
}

/** Reads them all at once, as the engine's refresh does, with what each read warned. */
async function readAll(provider: ConnectionProvider, stored: readonly Stored[]): Promise<dynamic.ReadResult[]> {
  return Promise.all(stored.map(({ id, props }) => provider.read(id, props)));
}

function listRequests(): string[] {
  return t.api.emulator.requestLog.filter((e) => e.method === "GET" && e.path === LIST_PATH).map((e) => e.query);
}

function singleGets(): number {
  return calls(t.api.emulator).filter((c) => c.startsWith(`GET ${LIST_PATH}`) && c !== `GET ${LIST_PATH}`).length;
}

describe("a refresh served by one listing", () => {
  test("gives each connection's outputs exactly as its own GET does, and lists instead of GETting", async () => {
    const stored = await everyKind();
    const one = t.providerWith({}, { ...FAST_LOOKUPS, bulkReads: false });
    const single = await readAll(one, stored);

    t.api.emulator.clearRequestLog();
    const bulk = await readAll(t.providerWith({}), stored);

    expect(bulk).toEqual(single);
    // Not vacuous: the reads saw the server's state (drift, jobs, secrets).
    const [, jira, ops] = bulk;
    expect(jira!.props).toMatchObject({ credentials: { issue_tracker_pass: "changed-in-the-ui" }, inProgress: true });
    expect(ops!.inputs).toMatchObject({ alias: "Ops Jira (renamed in SD Elements)", frequency: "monthly", debugMode: true });
    expect(ops!.props).toMatchObject({ lastJob: { succeeded: false, resultMessage: "Tracker unreachable" } });
    expect(bulk[0]!.props).toMatchObject({ lastJob: { id: 4 }, lastSuccessfulRun: expect.any(String) });
    expect(bulk[3]!.props).toMatchObject({ inaccessible: true, lastJob: null });
    expect(listRequests()).toEqual(["include=last_job&page_size=1000"]);
    expect(singleGets()).toBe(0);
  });

  test("a connection deleted since, or one the list lacks, is gone through its own GET (404)", async () => {
    const stored = await everyKind();
    await t.api.client.connections.delete(Number(stored[2]!.id));
    const lacking: Stored = { id: "999", props: { ...stored[1]!.props, connectionId: 999 } };
    const all = [...stored, lacking];
    const single = await readAll(t.providerWith({}, { ...FAST_LOOKUPS, bulkReads: false }), all);

    t.api.emulator.clearRequestLog();
    const bulk = await readAll(t.providerWith({}), all);

    expect(bulk).toEqual(single);
    expect(bulk[2]).toEqual({});
    expect(bulk[4]).toEqual({});
    expect(listRequests()).toHaveLength(1);
    expect(calls(t.api.emulator).filter((c) => c.startsWith(`GET ${LIST_PATH}`) && c !== `GET ${LIST_PATH}`)).toEqual([
      `GET ${LIST_PATH}${stored[2]!.id}/`,
      `GET ${LIST_PATH}999/`,
    ]);
  });

  test("with a token that may not see params, each read GETs and keeps the stored params, warning as a GET does", async () => {
    const stored = await everyKind();
    const single = await readAll(t.providerWith({ token: READ_ONLY_TOKEN }, { ...FAST_LOOKUPS, bulkReads: false }), stored);
    const warnedBySingle = t.warnings.splice(0);

    t.api.emulator.clearRequestLog();
    const bulk = await readAll(t.providerWith({ token: READ_ONLY_TOKEN }), stored);

    expect(bulk).toEqual(single);
    expect(t.warnings).toEqual(warnedBySingle);
    expect(warnedBySingle).toHaveLength(stored.length);
    // The list hides params as a GET does; the reference does not promise it, so a GET is asked anyway.
    expect(singleGets()).toBe(stored.length);
  });

  test("a lone read makes its own GET, not a listing", async () => {
    const [rally] = await everyKind();
    t.api.emulator.clearRequestLog();
    await t.providerWith({}).read(rally!.id, rally!.props);
    expect(calls(t.api.emulator)).toEqual([`GET ${LIST_PATH}1/`]);
  });
});

describe("paging and requests", () => {
  test("a refresh of 120 connections in pages of 50 makes ⌈120 / 50⌉ list requests and no GET", async () => {
    const template = await t.provider.check(
      {},
      { alias: "x", connector: 1, project: 1, testConnection: false, params: { issue_tracker_project: "Example Project" } },
    );
    const stored: Stored[] = [];
    for (let i = 0; i < 120; i++) {
      const created = await t.provider.create({ ...template.inputs, alias: `Connection ${i}`, project: 1 + (i % 3) });
      stored.push({ id: created.id, props: created.outs as Bag });
    }
    t.api.emulator.clearRequestLog();

    const bulk = await readAll(t.providerWith({}, { ...FAST_LOOKUPS, bulkReadOptions: { pageSize: 50 } }), stored);

    expect(bulk.map((r) => r.id)).toEqual(stored.map((s) => s.id));
    // 121 connections with the seeded one: 3 pages; the bound is ⌈N / page size⌉ + 2.
    expect(listRequests()).toEqual([
      "include=last_job&page_size=50",
      "include=last_job&page_size=50&page=2",
      "include=last_job&page_size=50&page=3",
    ]);
    expect(t.api.emulator.requestLog.length).toBeLessThanOrEqual(Math.ceil(120 / 50) + 2);
    expect(singleGets()).toBe(0);
  });

  test("a failed listing fails no read: each GETs, and the next refresh lists again", async () => {
    const stored = await everyKind();
    const single = await readAll(t.providerWith({}, { ...FAST_LOOKUPS, bulkReads: false }), stored);
    const bulkProvider = t.providerWith({ maxAttempts: 1 });
    t.api.emulator.clearRequestLog();
    t.warnings.splice(0);
    // The listing is the first GET on that path: the reads' own GETs only come after it failed.
    t.api.emulator.faults.serverError({ status: 500, count: 1, method: "GET", path: LIST_PATH });

    const bulk = await readAll(bulkProvider, stored);

    expect(bulk).toEqual(single);
    expect(t.api.emulator.requestLog[0]).toMatchObject({ path: LIST_PATH, status: 500 });
    expect(singleGets()).toBe(stored.length);
    expect(t.warnings).toEqual([expect.stringContaining("listing the connections failed, so each connection is read on its own")]);

    t.api.emulator.clearRequestLog();
    await expect(readAll(bulkProvider, stored)).resolves.toEqual(single);
    expect(listRequests()).toHaveLength(1);
    expect(singleGets()).toBe(0);
  });

  test("a write of the provider ends the listing's freshness: a read after it lists again and sees the change", async () => {
    const stored = await everyKind();
    const provider = t.providerWith({});
    const [, jira] = await readAll(provider, stored);
    const checked = await provider.check(jira!.props!, { ...jira!.inputs, alias: "Payments Jira v2", testConnection: false });
    expect(checked.failures ?? []).toEqual([]);
    await provider.update(jira!.id!, jira!.props!, checked.inputs);
    t.api.emulator.clearRequestLog();

    const again = await readAll(provider, stored);

    expect(again[1]!.props).toMatchObject({ alias: "Payments Jira v2" });
    expect(listRequests()).toHaveLength(1);
  });

  test("reads within the freshness window are served by the listing already made", async () => {
    const stored = await everyKind();
    const provider = t.providerWith({});
    await readAll(provider, stored);
    t.api.emulator.clearRequestLog();
    await readAll(provider, stored);
    expect(calls(t.api.emulator)).toEqual([]);
  });
});

describe("through the engine's dynamic-provider host", () => {
  const M = 12;
  const program = () => {
    for (let i = 0; i < M; i++) {
      new IssueTrackerConnection(`jira-${i}`, {
        alias: `Jira ${i}`,
        connector: 1,
        project: 1 + (i % 2),
        testConnection: false,
        params: { issue_tracker_project: "PAY" },
      });
    }
  };

  test("a refresh of a stack's connections lists them rather than GETting each, and finds nothing changed", async () => {
    const stack = await startLocalStack(program);
    try {
      await stack.engine.up();
      stack.emulator.clearRequestLog();
      const refresh = await stack.engine.refresh();
      expect(refresh.steps.filter((s) => (s.changed ?? []).length > 0)).toEqual([]);
      const requests = calls(stack.emulator);
      // The engine runs the reads in parallel: they share a listing (a read that came alone GETs).
      expect(requests).toContain(`GET ${LIST_PATH}`);
      expect(requests.length).toBeLessThan(M);
    } finally {
      await stack.stop();
    }
  });

  test("with sdelements:bulkReads false, each read GETs its connection, as before", async () => {
    const stack = await startLocalStack(program, { config: { "sdelements:bulkReads": "false" } });
    try {
      await stack.engine.up();
      stack.emulator.clearRequestLog();
      await stack.engine.refresh();
      const requests = calls(stack.emulator);
      expect(requests).not.toContain(`GET ${LIST_PATH}`);
      expect(requests).toHaveLength(M);
    } finally {
      await stack.stop();
    }
  });
});
