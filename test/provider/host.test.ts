import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import * as host from "../../src/provider/host";
import type { ScriptedServer } from "../support/scripted-server";
import { startTamperingProxy } from "../support/tampering-proxy";

// The provider as the host runs it: configure may come again for another serialized provider in the same
// deployment, with the same config, while operations are under way; they must not fail for it.
let emulator: Emulator;
let proxy: ScriptedServer;
/** Resolves when the connector's answer has reached the proxy, which holds it until `release` is called. */
let connectorAnswered: Promise<void>;
let release: () => void;
beforeAll(async () => {
  emulator = await startEmulator();
  let arrived: () => void;
  connectorAnswered = new Promise((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  proxy = await startTamperingProxy(emulator.url, async ({ path }) => {
    if (held || !path.startsWith("/api/v2/connectors/")) return undefined;
    held = true;
    arrived();
    await released;
    return undefined;
  });
});
afterAll(async () => {
  release();
  await proxy.stop();
  await emulator.stop();
});

const config = (url: string) => ({ get: (key: string) => ({ "sdelements:url": url, "sdelements:apiToken": DEFAULT_TOKEN })[key] });

test("a second configure with the same config leaves the operations under way alone", async () => {
  host.configure(config(proxy.url));
  // The check takes the client, then waits for the connector (held at the proxy), then tests with that
  // same client: the second configure comes while the check is under way, whatever the machine's speed.
  const checked = host.check(
    {},
    {
      alias: "Under Way",
      connector: 1,
      project: 1,
      frequency: "daily",
      params: { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: "id" },
    },
  );
  await connectorAnswered;
  host.configure(config(proxy.url));
  release();
  await expect(checked).resolves.not.toHaveProperty("failures");
  // The check went on after the configure: the connection test came after the connector.
  expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    "GET /api/v2/connectors/issue-tracker/1/",
    "POST /api/v2/connections/test-issue-tracker/",
  ]);
});
