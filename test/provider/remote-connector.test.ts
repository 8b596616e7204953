import { DEFAULT_SEED, type SeedData } from "../../src/emulator";
import { calls } from "../support/emulated-api";
import { startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";

// A connection on an inaccessible (remote) connector cannot be manual, and manual is the default
// frequency (sde-api.md §4): the server refuses it, and the preview says so first.
let t: ProviderUnderTest;
beforeEach(async () => {
  const seed = structuredClone(DEFAULT_SEED) as SeedData;
  const jira = seed.connectors?.find((c) => c.id === 1);
  if (!jira) throw new Error("the default seed has connector 1");
  jira.inaccessible = true;
  t = await startProviderUnderTest({}, { seed });
});
afterEach(() => t.api.stop());

// The seeded Jira tracker (connector 1) knows "Example Project".
const declared = { alias: "Remote Jira", connector: 1, project: 1, params: { issue_tracker_project: "Example Project" } };

test("the preview fails on frequency when it is left to the default, naming the fix", async () => {
  const result = await t.provider.check({}, declared);
  expect(result.failures).toEqual([
    {
      property: "frequency",
      reason: expect.stringMatching(
        /^"manually" \(the default\) is not available on connector 1, which is inaccessible .*set frequency to a schedule, e\.g\. "daily"$/,
      ),
    },
  ]);
  expect(calls(t.api.emulator)).toEqual(["GET /api/v2/connectors/issue-tracker/1/"]);
});

test("with testConnection: false the preview makes no call; the server's refusal names the field at create", async () => {
  const result = await t.provider.check({}, { ...declared, testConnection: false });
  expect(result.failures).toBeUndefined();
  expect(calls(t.api.emulator)).toEqual([]);
  await expect(t.provider.create(result.inputs)).rejects.toThrow(
    /frequency: "manually" is not available for a connection on an inaccessible \(remote\) connector/,
  );
});

test("a schedule passes, and the connector is not looked up again for an unchanged connection", async () => {
  const first = await t.provider.check({}, { ...declared, frequency: "daily" });
  expect(first.failures).toBeUndefined();
  expect(calls(t.api.emulator)).toEqual(["GET /api/v2/connectors/issue-tracker/1/", "POST /api/v2/connections/test-issue-tracker/"]);
  t.api.emulator.clearRequestLog();
  const again = await t.provider.check(first.inputs, { ...declared, frequency: "daily" });
  expect(again.failures).toBeUndefined();
  expect(calls(t.api.emulator)).toEqual([]);
});

test("the emulator refuses a manual connection there, and manual sync jobs", async () => {
  const refused = await t.api.client.connections
    .create({ alias: "x", connector: 1, project: 1, params: { issue_tracker_project: "P" } })
    .catch((e) => e);
  expect(refused).toMatchObject({ kind: "http", status: 400 });
  expect(refused.fieldMessages).toEqual([
    expect.stringMatching(/^frequency: "manually" is not available for a connection on an inaccessible \(remote\) connector/),
  ]);
  const made = await t.api.client.connections.create({
    alias: "x",
    connector: 1,
    project: 1,
    frequency: "daily",
    params: { issue_tracker_project: "P" },
  });
  await expect(t.api.client.jobs.create({ connection: made.id, automatic: false, ready: false })).rejects.toMatchObject({
    status: 400,
    fieldErrors: { automatic: [expect.stringMatching(/Manual integration is unavailable/)] },
  });
  await expect(t.api.client.jobs.create({ connection: made.id, automatic: true, ready: false })).resolves.toMatchObject({ ready: false });
});

test("an existing connection whose frequency goes back to the default is caught in the preview, though the test itself does not run again", async () => {
  const first = await t.provider.check({}, { ...declared, frequency: "daily" });
  expect(first.failures).toBeUndefined();
  t.api.emulator.clearRequestLog();
  const dropped = await t.provider.check(first.inputs, declared);
  expect(dropped.failures).toEqual([
    { property: "frequency", reason: expect.stringMatching(/^"manually" \(the default\) is not available/) },
  ]);
});

test("two connections alike but for the frequency: the second is checked although the first's test passed", async () => {
  expect((await t.provider.check({}, { ...declared, frequency: "daily" })).failures).toBeUndefined();
  expect((await t.provider.check({}, declared)).failures).toEqual([
    { property: "frequency", reason: expect.stringMatching(/is not available/) },
  ]);
});
