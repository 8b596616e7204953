import { calls } from "../support/emulated-api";
import { startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";

// The stored outputs the engine hands back, read once where they arrive: an older state works, an
// unreadable one stops diff, update and delete with the way out (a refresh), and the refresh rebuilds it.
let t: ProviderUnderTest;
beforeEach(async () => {
  t = await startProviderUnderTest();
});
afterEach(() => t.api.stop());

// The emulator's default Jira tracker, which pulumi-bot signs in to with this password.
const PASSWORD = "example-jira-password";
const params = {
  issue_tracker_server: "jira.example.com",
  issue_tracker_user: "pulumi-bot",
  issue_tracker_pass: PASSWORD,
  issue_tracker_project: "PAY",
};
const declared = { alias: "Stored Jira", connector: 1, project: 1, testConnection: false, params };
type Bag = Record<string, unknown>;

async function created(): Promise<{ id: string; outs: Bag; inputs: Bag }> {
  const inputs = (await t.provider.check({}, declared)).inputs as Bag;
  const { id, outs } = await t.provider.create(inputs);
  t.api.emulator.clearRequestLog();
  return { id, outs: { ...(outs as Bag), __provider: "exports.handler = ..." }, inputs };
}

const UNREADABLE =
  /^the stored state of connection (\d+) \("Stored Jira"\) is not readable: managedParams: .*expected array, received string; run `pulumi refresh` to read it again from SD Elements$/;

test("a state of an older version (no credentials, managed params or testConnection stored) is diffed, not refused", async () => {
  const { id, outs, inputs } = await created();
  const { credentials: _c, managedParams: _m, testConnection: _t, ...older } = outs;
  // Nothing was managed apart, so every declared param is one to set: an update, and no error.
  await expect(t.provider.diff(id, older, inputs)).resolves.toMatchObject({ changes: true, replaces: [] });
  const { outs: after } = await t.provider.update(id, older, inputs);
  expect(after).toMatchObject({
    managedParams: ["issue_tracker_pass", "issue_tracker_project", "issue_tracker_server", "issue_tracker_user"],
    testConnection: false,
  });
  await expect(t.provider.diff(id, after as Bag, inputs)).resolves.toMatchObject({ changes: false });
});

describe("an unreadable state", () => {
  test.each([
    ["diff", (id: string, props: Bag, inputs: Bag) => t.provider.diff(id, props, inputs)],
    ["update", (id: string, props: Bag, inputs: Bag) => t.provider.update(id, props, { ...inputs, alias: "Renamed" })],
    ["delete", (id: string, props: Bag) => t.provider.delete(id, props)],
  ])("%s fails naming the output and the way out, and makes no call", async (_op, op) => {
    const { id, outs, inputs } = await created();
    const error: Error = await op(id, { ...outs, managedParams: "issue_tracker_project" }, inputs).then(
      () => new Error("no error"),
      (e: Error) => e,
    );
    expect(error.message).toMatch(UNREADABLE);
    expect(error.message.match(UNREADABLE)?.[1]).toBe(id);
    expect(calls(t.api.emulator)).toEqual([]);
    expect(t.api.emulator.connections().filter((c) => String(c.id) === id)).toHaveLength(1);
  });

  test("never repeats a stored value, a credential least of all", async () => {
    const { id, outs, inputs } = await created();
    const error: Error = await t.provider.diff(id, { ...outs, credentials: { issue_tracker_pass: [PASSWORD] } }, inputs).catch((e) => e);
    expect(error.message).toMatch(/is not readable: credentials\.issue_tracker_pass: must be a string, number, boolean or null/);
    expect(error.message).not.toContain(PASSWORD);
  });

  test("a refresh rebuilds it from the server and says what started again; the next up sets it from the program", async () => {
    const { id, outs, inputs } = await created();
    const refreshed = await t.provider.read(id, { ...outs, managedParams: "issue_tracker_project" });
    expect(calls(t.api.emulator)).toEqual([`GET /api/v2/connections/issue-tracker/${id}/`]);
    expect(t.warnings.join("\n")).toMatch(
      /the stored state of connection \d+ \("Stored Jira"\) is not readable: managedParams: .*, so it is read again from SD Elements and the unreadable outputs start again from their defaults; the next `pulumi up` sets them from the program/,
    );
    expect(refreshed.props).toMatchObject({ alias: "Stored Jira", managedParams: [], credentials: {}, testConnection: false });
    const props = refreshed.props as Bag;
    // Readable again: diff works, the program's params are set again, and then nothing differs.
    await expect(t.provider.diff(id, props, inputs)).resolves.toMatchObject({ changes: true });
    const { outs: after } = await t.provider.update(id, props, inputs);
    await expect(t.provider.diff(id, after as Bag, inputs)).resolves.toMatchObject({ changes: false });
  });
});
