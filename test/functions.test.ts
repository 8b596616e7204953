import * as pulumi from "@pulumi/pulumi";
import { getIssueTrackerConnection, getIssueTrackerConnections, testIssueTrackerConnection } from "../src";
import { DEFAULT_SEED, DEFAULT_TOKEN, startEmulator, type Emulator } from "../src/emulator";

// The functions read the same stack config as the provider (sdelements:url, sdelements:apiToken) and
// return credentials only as secret Outputs.
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
  pulumi.runtime.setAllConfig({ "sdelements:url": emulator.url, "sdelements:apiToken": DEFAULT_TOKEN }, ["sdelements:apiToken"]);
});
afterAll(() => emulator.stop());

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

test("getIssueTrackerConnections lists every connection, with the last job on request", async () => {
  const all = await getIssueTrackerConnections({ includeLastJob: true });
  expect(all.map((c) => c.alias)).toEqual(["Rally Integration"]);
  expect(all[0]).toMatchObject({
    connectionId: 1,
    system: { id: "rally" },
    lastJob: { id: 4 },
    lastSuccessfulRun: "2019-11-28T20:22:32.588388+00:00",
  });
  expect(await getIssueTrackerConnections({ project: 1 })).toEqual([]);
});

test("getIssueTrackerConnection keeps credentials out of params, as a secret Output", async () => {
  const one = await getIssueTrackerConnection(1);
  expect(one.params).not.toHaveProperty("issue_tracker_pass");
  expect(await pulumi.isSecret(one.credentials)).toBe(true);
  expect(await valueOf(one.credentials)).toEqual({ issue_tracker_pass: "rally_password" });
});

test("testIssueTrackerConnection answers success or what is wrong", async () => {
  const params = {
    issue_tracker_server: "server.rallydev.com",
    issue_tracker_user: "username",
    issue_tracker_pass: "password",
    issue_tracker_project: "rally_project",
  };
  await expect(testIssueTrackerConnection({ connector: 2, system: { id: "rally" }, params })).resolves.toEqual({ success: true });
  const wrong = await testIssueTrackerConnection({
    connector: 2,
    system: { id: "rally" },
    params: { ...params, issue_tracker_project: "nope" },
  });
  expect(wrong).toMatchObject({ success: false, message: expect.stringMatching(/"nope" was not found/) });
});

test("a missing URL is a clear error", async () => {
  const saved = pulumi.runtime.allConfig();
  pulumi.runtime.setAllConfig({ "sdelements:apiToken": DEFAULT_TOKEN });
  const env = process.env.SDE_URL;
  delete process.env.SDE_URL;
  try {
    await expect(getIssueTrackerConnection(1)).rejects.toThrow(
      /url \(sdelements:url, SDE_URL\): is required: set sdelements:url \(or SDE_URL\)/,
    );
  } finally {
    pulumi.runtime.setAllConfig(saved, ["sdelements:apiToken"]);
    if (env !== undefined) process.env.SDE_URL = env;
  }
});

test("getIssueTrackerConnections takes pageSize: the list read in pages of that size, every page, the same connections", async () => {
  const seed = structuredClone(DEFAULT_SEED);
  const [first] = seed.connections!;
  seed.connections = [1, 2, 3].map((id) => ({ ...first!, id, alias: `Rally ${id}` }));
  const paged = await startEmulator({ seed });
  const saved = pulumi.runtime.allConfig();
  pulumi.runtime.setAllConfig({ "sdelements:url": paged.url, "sdelements:apiToken": DEFAULT_TOKEN }, ["sdelements:apiToken"]);
  try {
    const all = await getIssueTrackerConnections({ pageSize: 2 });
    expect(all.map((c) => c.alias)).toEqual(["Rally 1", "Rally 2", "Rally 3"]);
    const lists = paged.requestLog.filter((e) => e.path === "/api/v2/connections/issue-tracker/");
    expect(lists.map((e) => new URLSearchParams(e.query).get("page_size"))).toEqual(["2", "2"]);
  } finally {
    pulumi.runtime.setAllConfig(saved, ["sdelements:apiToken"]);
    await paged.stop();
  }
});
