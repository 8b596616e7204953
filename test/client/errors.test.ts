import { SdeApiError } from "../../src/client";
import { READ_ONLY_TOKEN } from "../../src/emulator";
import { calls, startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

// The one error type: status, method, path, the API's message, field errors, a hint; never a secret.
let api: EmulatedApi;
beforeEach(async () => {
  api = await startEmulatedApi();
});
afterEach(() => api.stop());

const PASSWORD = "Sup3r-Secret-Pa55word!";
const TOKEN = "wrong-token-0123456789abcdef";

test("401 carries the API's message and a hint, never the token", async () => {
  const wrong = api.clientWith({ token: TOKEN });
  const error: SdeApiError = await wrong.connections.list().catch((e) => e);
  expect(error).toBeInstanceOf(SdeApiError);
  expect(error).toMatchObject({
    kind: "http",
    status: 401,
    method: "GET",
    path: "/api/v2/connections/issue-tracker/",
    apiMessage: "Invalid token.",
  });
  expect(error.message).toMatch(/token is wrong or expired/);
  expect(error.message).not.toContain(TOKEN);
  expect(JSON.stringify(error)).not.toContain(TOKEN);
});

test("403 says which permission the token lacks", async () => {
  const readOnly = api.clientWith({ token: READ_ONLY_TOKEN });
  const error: SdeApiError = await readOnly.connections
    .create({ alias: "x", connector: 1, project: 1, params: { issue_tracker_project: "P" } })
    .catch((e) => e);
  expect(error).toMatchObject({ kind: "http", status: 403 });
  expect(error.message).toContain("'Edit Issue Tracker connections'");
});

test("a read-only token sees connections without params", async () => {
  const readOnly = api.clientWith({ token: READ_ONLY_TOKEN });
  const [first] = await readOnly.connections.list();
  expect(first).toBeDefined();
  expect(first?.params).toBeUndefined();
});

test("400 field errors from the server are attached and named, and passwords are hidden", async () => {
  // Valid for the client's schema, refused by the server: project 77 does not exist.
  const error: SdeApiError = await api.client.connections
    .create({ alias: "x", connector: 1, project: 77, params: { issue_tracker_project: "P", issue_tracker_pass: PASSWORD } })
    .catch((e) => e);
  expect(error).toMatchObject({ kind: "http", status: 400 });
  expect(error.fieldErrors).toHaveProperty("project");
  expect(error.fieldMessages.join("\n")).toMatch(/^project: /m);
  expect(error.message).not.toContain(PASSWORD);
});

test("a server answer of the wrong shape fails naming the field", async () => {
  // The emulator's jobs list is not a connection list; point a connection call at a wrong shape by
  // asking for a page the server describes differently: a project read as a connection.
  const { Transport } = await import("../../src/client/transport");
  const { parseClientOptions } = await import("../../src/client/options");
  const { connectionSchema } = await import("../../src/schema/connection");
  const transport = new Transport(parseClientOptions({ url: api.emulator.url, token: "sde-emulator-admin-token" }));
  const error: SdeApiError = await transport
    .send({ method: "GET", path: "/api/v2/projects/1/", schema: connectionSchema, retry: "idempotent" })
    .catch((e) => e);
  await transport.close();
  expect(error.kind).toBe("invalid_response");
  expect(error.message).toMatch(/alias: /);
  expect(error.message).toMatch(/command: /);
});

test("nothing is sent for an id that is not a positive integer", async () => {
  await expect(api.client.connections.get(-3)).rejects.toMatchObject({ kind: "invalid_input" });
  await expect(api.client.connections.get(1.5)).rejects.toMatchObject({ kind: "invalid_input" });
  expect(calls(api.emulator)).toEqual([]);
});
