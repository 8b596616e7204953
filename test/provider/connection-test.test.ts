import { SdeApiError } from "../../src/client/errors";
import type { ClientSource } from "../../src/provider/client-source";
import { ConnectionProvider } from "../../src/provider/connection-provider";
import { calls } from "../support/emulated-api";
import { startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";

// The preview's connection test makes up to three calls (the connector, an adopted connection, the test),
// each in its own try: a failure is said about the argument whose call failed, not guessed from a URL.
let t: ProviderUnderTest;
beforeEach(async () => {
  t = await startProviderUnderTest();
});
afterEach(() => t.api.stop());

const declared = {
  alias: "Tested Jira",
  connector: 1,
  project: 1,
  params: { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: "id" },
};

/** The emulator's client, with connectors looked up by `connectorOf` instead. */
const withConnectors = (connectorOf: ClientSource["connectorOf"]) =>
  new ConnectionProvider({ client: () => t.api.client, connectorOf, warn: () => undefined });

test.each([
  [404, /^there is no issue-tracker connector with id 1 /],
  [403, /^this API token may not read connector 1 \(403\)/],
])("a connector lookup that fails with %i is said on connector, whatever the error's path", async (status, expected) => {
  // A connector cache of one's own, say: its error names no path.
  const provider = withConnectors(() => Promise.reject(new SdeApiError("connector unavailable", { kind: "http", status })));
  const result = await provider.check({}, declared);
  expect(result.failures).toEqual([{ property: "connector", reason: expect.stringMatching(expected) }]);
  expect(calls(t.api.emulator)).toEqual([]);
});

test("the adopted connection's lookup failing with 404 is said on adoptId, after the connector was read", async () => {
  const result = await t.provider.check({}, { ...declared, adoptId: 999 });
  expect(result.failures).toEqual([{ property: "adoptId", reason: expect.stringMatching(/^there is no connection 999 /) }]);
  expect(calls(t.api.emulator)).toEqual(["GET /api/v2/connectors/issue-tracker/1/", "GET /api/v2/connections/issue-tracker/999/"]);
});
