import { calls, startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

// Faults injected by the emulator: throttling, 5xx bursts, resets, lost answers, a server that hangs.
let api: EmulatedApi;
beforeEach(async () => {
  api = await startEmulatedApi();
});
afterEach(() => api.stop());

const connection = { alias: "Retry Jira", connector: 1, project: 1, params: { issue_tracker_project: "Example Project" } };
const creates = () => calls(api.emulator).filter((c) => c === "POST /api/v2/connections/issue-tracker/").length;

test("a 429 storm with Retry-After is waited out", async () => {
  api.emulator.faults.throttle({ count: 3, retryAfter: 0 });
  const list = await api.client.connections.list();
  expect(list.length).toBeGreaterThan(0);
  expect(api.emulator.requestLog.map((e) => e.status)).toEqual([429, 429, 429, 200]);
});

test("Retry-After as an HTTP date is honoured", async () => {
  api.emulator.faults.throttle({ count: 1, retryAfter: new Date(Date.now() - 1000).toUTCString() });
  await expect(api.client.connections.get(1)).resolves.toMatchObject({ id: 1 });
  expect(api.emulator.requestLog.map((e) => e.status)).toEqual([429, 200]);
});

test.each([502, 503, 504] as const)("a burst of %i on reads is retried", async (status) => {
  api.emulator.faults.serverError({ count: 2, status });
  await expect(api.client.connections.get(1)).resolves.toMatchObject({ id: 1 });
  expect(api.emulator.requestLog.map((e) => e.status)).toEqual([status, status, 200]);
});

test("when the attempts are spent the error says how many, how long and the last status", async () => {
  const small = api.clientWith({ maxAttempts: 3 });
  api.emulator.faults.throttle({ count: 10, retryAfter: 0 });
  const error = await small.connections.list().catch((e) => e);
  expect(error).toMatchObject({ kind: "http", status: 429, attempts: 3 });
  expect(error.message).toMatch(/gave up after 3 attempts over \d+\.\d s/);
  expect(error.message).toMatch(/retry budget is spent \(all 3 attempts, last status 429\)/);
  expect(calls(api.emulator)).toHaveLength(3);
});

test("a Retry-After beyond the time budget ends retrying at once", async () => {
  const small = api.clientWith({ retryTimeoutMs: 1000 });
  api.emulator.faults.throttle({ count: 1, retryAfter: 120 });
  const error = await small.connections.get(1).catch((e) => e);
  expect(error).toMatchObject({ status: 429, attempts: 1 });
  expect(error.message).toMatch(/1 s retry time/);
});

test("a create is retried on 429 and 503 (the server declined it) and made once", async () => {
  api.emulator.faults.throttle({ count: 1, retryAfter: 0, method: "POST" });
  api.emulator.faults.serverError({ count: 1, status: 503, method: "POST" });
  await api.client.connections.create(connection);
  expect(creates()).toBe(3);
  expect(api.emulator.connections().filter((c) => c.alias === "Retry Jira")).toHaveLength(1);
});

test.each([502, 504] as const)("a create answered %i is not re-sent: its outcome is unknown", async (status) => {
  api.emulator.faults.serverError({ count: 1, status, method: "POST" });
  const error = await api.client.connections.create(connection).catch((e) => e);
  expect(error).toMatchObject({ kind: "outcome_unknown", status });
  expect(creates()).toBe(1);
});

test("a create whose answer is lost is not re-sent (no duplicate)", async () => {
  api.emulator.faults.dropResponse({ count: 1, method: "POST" });
  const error = await api.client.connections.create(connection).catch((e) => e);
  expect(error.kind).toBe("outcome_unknown");
  expect(error.message).toMatch(/may or may not have been created/);
  expect(creates()).toBe(1);
  // The server did apply it: exactly one exists, for the caller to adopt.
  expect(api.emulator.connections().filter((c) => c.alias === "Retry Jira")).toHaveLength(1);
});

test("a reset read is retried", async () => {
  api.emulator.faults.reset({ count: 2, method: "GET" });
  await expect(api.client.connections.get(1)).resolves.toMatchObject({ id: 1 });
  expect(calls(api.emulator)).toHaveLength(3);
});

test("a delete whose answer is lost is done when the retry finds it gone", async () => {
  const created = await api.client.connections.create(connection);
  api.emulator.faults.dropResponse({ count: 1, method: "DELETE" });
  await expect(api.client.connections.delete(created.id)).resolves.toBe("already_gone");
  expect(api.emulator.connections().some((c) => c.id === created.id)).toBe(false);
});

test.each(["throttle", "serverError"] as const)(
  "a delete of a connection that never existed is not found, even after a %s the server declined",
  async (fault) => {
    if (fault === "throttle") api.emulator.faults.throttle({ count: 1, method: "DELETE", retryAfter: 0 });
    else api.emulator.faults.serverError({ count: 1, method: "DELETE", status: 503 });
    await expect(api.client.connections.delete(999)).rejects.toMatchObject({ kind: "http", status: 404, attempts: 2 });
  },
);

test("an update whose answer is lost is re-sent and converges", async () => {
  api.emulator.faults.dropResponse({ count: 1, method: "PATCH" });
  const updated = await api.client.connections.update(1, { alias: "Rally Renamed" });
  expect(updated.alias).toBe("Rally Renamed");
  expect(calls(api.emulator).filter((c) => c.startsWith("PATCH"))).toHaveLength(2);
});

test("a server that stops answering gives a timeout error, not a hang", async () => {
  const impatient = api.clientWith({ timeoutMs: 300 });
  api.emulator.faults.hang({ count: 1 });
  const error = await impatient.connections.get(1).catch((e) => e);
  expect(error).toMatchObject({ kind: "timeout" });
  expect(error.message).toMatch(/no answer within 0\.3 s/);
});

test("a refused connection is a network error naming the cause", async () => {
  const url = api.emulator.url;
  await api.stop();
  const { SdeClient } = await import("../../src/client");
  const client = new SdeClient({ url, token: "t", maxAttempts: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 2 }, {});
  const error = await client.connections.get(1).catch((e) => e);
  await client.close();
  expect(error).toMatchObject({ kind: "network", code: "ECONNREFUSED", attempts: 2 });
  api = await startEmulatedApi(); // afterEach stops it
});

test("a sync job whose answer is lost is said to be a sync job, not a connection", async () => {
  api.emulator.faults.serverError({ count: 1, method: "POST", path: "/api/v2/jobs/issue-tracker/", status: 502 });
  const error = await api.client.jobs.create({ connection: 1, automatic: false, ready: false }).catch((e) => e);
  expect(error).toMatchObject({ kind: "outcome_unknown" });
  expect(error.message).toMatch(/the sync job may or may not have been created/);
  expect(error.message).not.toMatch(/connection may or may not/);
});
