import type { ConnectionState } from "../../src/model/state";
import { NOT_REMEMBERED } from "../../src/provider/remembered-tests";
import { calls } from "../support/emulated-api";
import { FAST_LOOKUPS, startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";

// The engine calls Check one resource at a time: a connection test per connection would make a change to
// 1,000 connections wait for 1,000 tests in turn. One test serves every connection with the same tracker
// settings, and an existing connection's test is started in check and collected in diff.
let t: ProviderUnderTest;
beforeEach(async () => {
  t = await startProviderUnderTest();
});
afterEach(() => t.api.stop());

type Bag = Record<string, unknown>;
const params = { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: "id" };
const connection = (i: number, more: Bag = {}) => ({ alias: `Team ${i} Jira`, connector: 1, project: 1 + (i % 2), params, ...more });
const tests = () => calls(t.api.emulator).filter((c) => c === "POST /api/v2/connections/test-issue-tracker/");

test("fifty new connections sharing tracker settings, checked at once: one test, and all pass", async () => {
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.provider.check({}, connection(i))));
  expect(results.flatMap((r) => r.failures ?? [])).toEqual([]);
  expect(tests()).toHaveLength(1);
  // And later ones in this process too.
  await t.provider.check({}, connection(50));
  expect(tests()).toHaveLength(1);
});

test("distinct tracker settings: one test each, shared by the connections that have them", async () => {
  const settings = [params, { ...params, issue_tracker_user: "Other" }, { ...params, issue_tracker_project: "Other Project" }];
  await Promise.all(Array.from({ length: 12 }, (_, i) => t.provider.check({}, connection(i, { params: settings[i % 3] }))));
  expect(tests()).toHaveLength(3);
});

test("a failed verdict is shared too, each connection told with its own check failures", async () => {
  const wrong = { ...params, issue_tracker_pass: "not-the-password" };
  const results = await Promise.all([0, 1, 2].map((i) => t.provider.check({}, connection(i, { params: wrong }))));
  for (const r of results)
    expect(r.failures).toEqual([{ property: "params", reason: expect.stringMatching(/^the connection test failed: /) }]);
  expect(tests()).toHaveLength(1);
  expect(JSON.stringify(results.map((r) => r.failures))).not.toContain("not-the-password");
});

test("a test that got no verdict (the API failing) is asked again by the next connection", async () => {
  const provider = t.providerWith({ maxAttempts: 1 });
  t.api.emulator.faults.serverError({ count: 1, status: 500, path: "/api/v2/connections/test-issue-tracker/" });
  await expect(provider.check({}, connection(0))).rejects.toThrow(/^testing connection "Team 0 Jira": /);
  await expect(provider.check({}, connection(1))).resolves.toEqual({ inputs: expect.anything() });
  expect(tests()).toHaveLength(2);
});

describe("an existing connection", () => {
  async function existing(): Promise<{ id: string; outs: Bag; inputs: Bag }> {
    const { inputs } = await t.provider.check({}, connection(0));
    const { id, outs } = await t.provider.create(inputs);
    return { id, outs: outs as ConnectionState as unknown as Bag, inputs };
  }

  test("whose tracker settings changed: check starts the test and returns; diff collects the verdict", async () => {
    const { id, outs, inputs } = await existing();
    const provider = t.providerWith({}, { ...FAST_LOOKUPS, passedTests: () => NOT_REMEMBERED });
    t.api.emulator.clearRequestLog();
    const checked = await provider.check(inputs, connection(0, { params: { ...params, sde_min_priority: 8 } }));
    expect(checked.failures).toBeUndefined();
    await provider.diff(id, outs, checked.inputs);
    expect(tests()).toHaveLength(1);
  });

  test("whose test fails: check passes, and diff fails with check's words, naming the property", async () => {
    const { id, outs, inputs } = await existing();
    const provider = t.providerWith({});
    const wrong = connection(0, { params: { ...params, issue_tracker_pass: "not-the-password" } });
    const checked = await provider.check(inputs, wrong);
    expect(checked.failures).toBeUndefined();
    const message = await provider.diff(id, outs, checked.inputs).then(
      () => "no error",
      (error: Error) => error.message,
    );
    expect(message).toMatch(/^property params: the connection test failed: .*Fix the params, or set testConnection: false/);
    expect(message).not.toContain("not-the-password");
    // As check says it of a new connection.
    const asNew = await provider.check({}, wrong);
    expect(asNew.failures).toEqual([{ property: "params", reason: message.slice("property params: ".length) }]);
  });

  test("check does not wait for the test: one that never answers fails the diff, said about the connection", async () => {
    const { id, outs, inputs } = await existing();
    const provider = t.providerWith({ timeoutMs: 500, maxAttempts: 1 });
    t.api.emulator.faults.hang({ count: 1, path: "/api/v2/connections/test-issue-tracker/" });
    const checked = await provider.check(inputs, connection(0, { params: { ...params, sde_min_priority: 8 } }));
    expect(checked).toEqual({ inputs: expect.anything() });
    await expect(provider.diff(id, outs, checked.inputs)).rejects.toThrow(/^testing connection "Team 0 Jira": .*no answer within 0\.5 s/);
  });

  test("unchanged: no test, and diff awaits nothing", async () => {
    const { id, outs, inputs } = await existing();
    const provider = t.providerWith({});
    t.api.emulator.clearRequestLog();
    const checked = await provider.check(inputs, connection(0));
    await expect(provider.diff(id, outs, checked.inputs)).resolves.toMatchObject({ changes: false });
    expect(tests()).toEqual([]);
  });
});
