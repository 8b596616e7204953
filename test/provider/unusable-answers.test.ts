import { SdeClient } from "../../src/client";
import { DEFAULT_TOKEN } from "../../src/emulator";
import { clientSource } from "../../src/provider/client-source";
import { ConnectionProvider } from "../../src/provider/connection-provider";
import { startEmulatedApi, type EmulatedApi } from "../support/emulated-api";
import { startTamperingProxy, type Intercept, type Tamper } from "../support/tampering-proxy";
import type { ScriptedServer } from "../support/scripted-server";

// Answers the emulator does not give, through a proxy in front of it: a create the server applied but
// answered in a way this package cannot use (nothing may be left half-made, or the next `up` would make a
// duplicate), and answers without params (a token that may edit connections but not see their params).
const PASSWORD = "Unusable-Answer-Pa55";
const declared = {
  alias: "Odd Answer",
  connector: 1,
  project: 1,
  params: { issue_tracker_project: "PAY", issue_tracker_pass: PASSWORD },
  testConnection: false,
};

let api: EmulatedApi;
let proxy: ScriptedServer;
let client: SdeClient;
let provider: ConnectionProvider;
const start = async (tamper: Tamper, intercept?: Intercept) => {
  api = await startEmulatedApi();
  proxy = await startTamperingProxy(api.emulator.url, tamper, intercept);
  client = new SdeClient({ url: proxy.url, token: DEFAULT_TOKEN, maxAttempts: 1 }, {});
  warnings = [];
  provider = new ConnectionProvider(
    clientSource(
      () => client,
      (m) => warnings.push(m),
    ),
  );
};
let warnings: string[];
afterEach(async () => {
  await client.close();
  await proxy.stop();
  await api.stop();
});
const isCreate = (r: { method: string; path: string }) => r.method === "POST" && r.path === "/api/v2/connections/issue-tracker/";
const ours = () => api.emulator.connections().filter((c) => c.alias === declared.alias);
const inputs = async () => (await provider.check({}, declared)).inputs;

test("a created connection whose answer is off the documented shape is deleted again, and the error says so", async () => {
  await start((r, a) => (isCreate(r) ? { status: a.status, body: { ...(a.body as object), debug_mode: null } } : undefined));
  const error: Error = await provider.create(await inputs()).catch((e) => e);
  expect(error.message).toMatch(
    /creating connection "Odd Answer": the server answered 201 but its answer does not have the documented shape \(.*debug_mode.*\); it is connection \d+, made by this create, and it was deleted again, so nothing changed/,
  );
  expect(error.message).not.toContain(PASSWORD);
  expect(ours()).toEqual([]);
});

test("when deleting it again fails too, the error names the connection to delete or adopt", async () => {
  await start(
    (r, a) => (isCreate(r) ? { status: a.status, body: { ...(a.body as object), command: 7 } } : undefined),
    (r) => (r.method === "DELETE" ? { status: 403, body: { detail: "Not allowed." } } : undefined),
  );
  const error: Error = await provider.create(await inputs()).catch((e) => e);
  const id = ours()[0]?.id;
  expect(id).toBeDefined();
  expect(error.message).toContain(
    `and deleting it again failed too: delete connection ${id} in SD Elements, or set adoptId: ${id} to keep it`,
  );
});

test("a 500 to a create is an unknown outcome: the connection the server saved is found and kept, not made twice", async () => {
  // The server saved the connection, then the answer failed (a gateway, or a failure while answering).
  await start((r, a) => (isCreate(r) ? { status: 500, body: { detail: "A server error occurred." } } : a));
  const made = await provider.create(await inputs());
  expect(ours().map((c) => String(c.id))).toEqual([made.id]);
  await expect(
    client.connections.create({ alias: "Direct", connector: 1, project: 1, params: { issue_tracker_project: "PAY" } }),
  ).rejects.toMatchObject({ kind: "outcome_unknown", status: 500 });
});

test("answers without params: the outputs keep what was sent, so the next diff is clean, and the user is told", async () => {
  await start((r, a) =>
    r.path.startsWith("/api/v2/connections/issue-tracker/") && a.status < 300 && a.body
      ? { status: a.status, body: { ...(a.body as object), params: undefined } }
      : undefined,
  );
  const checkedInputs = await inputs();
  const made = await provider.create(checkedInputs);
  expect(made.outs).toMatchObject({ params: { issue_tracker_project: "PAY" }, credentials: { issue_tracker_pass: PASSWORD } });
  expect(warnings.join("\n")).toMatch(/cannot see params .*so they are recorded as sent/);
  await expect(provider.diff(made.id, made.outs, checkedInputs)).resolves.toMatchObject({ changes: false });

  const changed = (await provider.check(checkedInputs, { ...declared, alias: "Odd Answer 2", params: { issue_tracker_project: "OPS" } }))
    .inputs;
  const updated = await provider.update(made.id, made.outs, changed);
  // The password the program stopped setting now has the connector's value, which is not known here.
  expect(updated.outs).toMatchObject({ alias: "Odd Answer 2", params: { issue_tracker_project: "OPS" } });
  expect((updated.outs as { credentials: unknown }).credentials).toEqual({});
  await expect(provider.diff(made.id, updated.outs as Record<string, unknown>, changed)).resolves.toMatchObject({ changes: false });
});

test("a token that may not read the connector fails the preview on connector, with the way out", async () => {
  await start(
    () => undefined,
    (r) =>
      r.path.startsWith("/api/v2/connectors/")
        ? { status: 403, body: { detail: "You do not have permission to perform this action." } }
        : undefined,
  );
  const result = await provider.check({}, { ...declared, testConnection: true });
  expect(result.failures).toEqual([
    {
      property: "connector",
      reason: expect.stringMatching(
        /^this API token may not read connector 1 \(403\), so the connection cannot be tested: .*testConnection: false to skip the test$/,
      ),
    },
  ]);
});
