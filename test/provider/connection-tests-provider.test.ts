import { UNKNOWN } from "../../src/model/unknowns";
import { clientSource } from "../../src/provider/client-source";
import { ConnectionTest } from "../../src/provider/connection-test";
import { CONNECTION_TESTS_ID, ConnectionTestsProvider } from "../../src/provider/connection-tests-provider";
import { tokenKey } from "../../src/provider/token-key";
import { calls, startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

// ConnectionTests' provider in-process, its tests through the real ConnectionTest against the emulator:
// what it keeps (digests under the token's key, nothing else), what it tests, and what it never does.
let api: EmulatedApi;
beforeEach(async () => {
  api = await startEmulatedApi();
});
afterEach(() => api.stop());

type Bag = Record<string, unknown>;
const PARAMS = { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: "id" };
const connection = (i: number, more: Bag = {}) => ({ alias: `Team ${i} Jira`, connector: 1, project: 1, params: PARAMS, ...more });
const catalogue = (n: number, more: (i: number) => Bag = () => ({})) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, connection(i, more(i))]));
const tests = () => calls(api.emulator).filter((c) => c === "POST /api/v2/connections/test-issue-tracker/");

function providerWith(token = "the-api-token") {
  const source = clientSource(
    () => api.client,
    () => undefined,
  );
  const test = new ConnectionTest(source);
  return {
    provider: new ConnectionTestsProvider(
      () => test,
      () => tokenKey(token, api.emulator.url, "test"),
    ),
    test,
  };
}

test("a new catalogue: one test per distinct settings, one digest per connection, and nothing else kept", async () => {
  const { provider } = providerWith();
  const checked = await provider.check(
    {},
    { connections: catalogue(6, (i) => ({ params: { ...PARAMS, sde_min_priority: 1 + (i % 2) } })) },
  );
  expect(tests()).toHaveLength(2);
  expect(Object.keys(checked.inputs)).toEqual(["tested"]);
  expect(checked.inputs.tested).toHaveLength(6);
  expect(checked.failures).toBeUndefined();
});

test("the digests are the same in another host with the same token, and differ under another token", async () => {
  const input = { connections: catalogue(3) };
  const first = (await providerWith().provider.check({}, input)).inputs.tested;
  const again = (await providerWith().provider.check({ tested: first }, input)).inputs.tested;
  expect(again).toEqual(first);
  const other = (await providerWith("another-token").provider.check({}, input)).inputs.tested;
  expect(other).toHaveLength(3);
  expect(other).not.toEqual(first);
});

test("connections known from the last deployment are not tested; one whose project changed is", async () => {
  const { provider: first } = providerWith();
  const tested = (await first.check({}, { connections: catalogue(4) })).inputs.tested as string[];
  api.emulator.clearRequestLog();
  // A fresh host: nothing in memory, only what the state says.
  const { provider } = providerWith();
  await provider.check({ tested }, { connections: catalogue(4) });
  expect(tests()).toEqual([]);
  const moved = await provider.check({ tested }, { connections: catalogue(4, (i) => (i === 2 ? { project: 2 } : {})) });
  expect(tests()).toHaveLength(1);
  expect(moved.inputs.tested).toHaveLength(4);
  expect(moved.inputs.tested).not.toEqual(tested);
});

test("a failed verdict is kept (not tried again next time) but not said here: the connection's own check says it, with no second request", async () => {
  const { provider, test } = providerWith();
  const wrong = { params: { ...PARAMS, issue_tracker_pass: "not-the-password" } };
  const checked = await provider.check({}, { connections: { ok: connection(0), bad: connection(1, wrong) } });
  expect(checked.failures).toBeUndefined();
  expect(checked.inputs.tested).toHaveLength(2);
  expect(JSON.stringify(checked)).not.toContain("not-the-password");
  expect(tests()).toHaveLength(2);
  const own = await test.failures({}, { ...connection(1, wrong), frequency: "manually", debugMode: false, testConnection: true } as never);
  expect(own).toEqual([{ property: "params", reason: expect.stringMatching(/^the connection test failed: /) }]);
  expect(tests()).toHaveLength(2);
  // The next deployment does not try it again: its digest is known.
  api.emulator.clearRequestLog();
  await providerWith().provider.check({ tested: checked.inputs.tested }, { connections: { ok: connection(0), bad: connection(1, wrong) } });
  expect(tests()).toEqual([]);
});

test("a test that got no verdict (the API failing) is not kept: the next deployment tries it again", async () => {
  api.emulator.faults.serverError({ count: 100, status: 500, path: "/api/v2/connections/test-issue-tracker/" });
  const { provider } = providerWith();
  const checked = await provider.check({}, { connections: catalogue(1) });
  expect(checked.failures).toBeUndefined();
  expect(checked.inputs.tested).toEqual([]);
});

test("refused, untested or not-yet-known connections are left to their own checks; an unknown catalogue keeps the state's digests", async () => {
  const { provider } = providerWith();
  const checked = await provider.check(
    {},
    {
      connections: {
        misspelt: { ...connection(0), frequncy: "daily" },
        untested: connection(1, { testConnection: false }),
        pending: connection(2, { project: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
        notAMap: ["x"],
      },
    },
  );
  expect(checked.inputs.tested).toEqual([]);
  expect(tests()).toEqual([]);
  const unknown = await provider.check({ tested: ["a", "b"] }, { connections: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
  expect(unknown.inputs).toEqual({ tested: ["a", "b"] });
});

test.each([
  ["a list", [connection(0)], "must not be a list"],
  ["a string", "team-0", "must not be a string"],
  ["a number", 3, "must not be a number"],
  ["null", null, "must not be null"],
  ["nothing", undefined, "is required"],
])("connections given as %s is refused naming connections and what it takes; the state's digests are kept", async (_what, given, why) => {
  const { provider } = providerWith();
  const checked = await provider.check({ tested: ["a"] }, given === undefined ? {} : { connections: given });
  expect(checked.failures).toEqual([
    {
      property: "connections",
      reason: expect.stringMatching(new RegExp(`^${why}: it takes a map from resource name to connection arguments, e\\.g\\. `)),
    },
  ]);
  expect(checked.inputs).toEqual({ tested: ["a"] });
  expect(calls(api.emulator)).toEqual([]);
});

test("an entry that is not a connection's arguments is refused by its name; a preview's unknown entry is left alone", async () => {
  const { provider } = providerWith();
  const checked = await provider.check({ tested: ["a"] }, { connections: { fine: UNKNOWN, bad: 7 } });
  expect(checked.failures).toEqual([
    { property: "connections.bad", reason: expect.stringMatching(/^must be a connection's arguments, not a number: give \{ alias/) },
  ]);
  expect(checked.inputs).toEqual({ tested: ["a"] });
  expect(calls(api.emulator)).toEqual([]);
});

test("no diff, nothing created, read, updated or deleted on the server", async () => {
  const { provider } = providerWith();
  await expect(provider.diff()).resolves.toEqual({ changes: false });
  await expect(provider.create()).resolves.toEqual({ id: CONNECTION_TESTS_ID, outs: {} });
  await expect(provider.read(CONNECTION_TESTS_ID, { x: 1 })).resolves.toEqual({ id: CONNECTION_TESTS_ID, props: { x: 1 } });
  await expect(provider.update()).resolves.toEqual({ outs: {} });
  await provider.delete();
  expect(calls(api.emulator)).toEqual([]);
});
