import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import * as host from "../../src/provider/host";

// The provider as the host runs it: configure may come again for another serialized provider in the same
// deployment, with the same config, while operations are under way; they must not fail for it.
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());

const config = (url: string) => ({ get: (key: string) => ({ "sdelements:url": url, "sdelements:apiToken": DEFAULT_TOKEN })[key] });

test("a second configure with the same config leaves the operations under way alone", async () => {
  host.configure(config(emulator.url));
  // The check takes the client, then waits for the connector (slowed), then tests with that same client.
  emulator.faults.latency({ ms: 300, count: 1, path: "/api/v2/connectors/" });
  const checked = host.check(
    {},
    { alias: "Under Way", connector: 1, project: 1, frequency: "daily", params: { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: "id" } },
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  host.configure(config(emulator.url));
  await expect(checked).resolves.not.toHaveProperty("failures");
});
