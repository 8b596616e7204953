import { SdeClient, type SdeApiError } from "../../src/client";
import { DEFAULT_TOKEN } from "../../src/emulator";
import { calls, startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

// Answers from the emulator's hostile faults: bodies that trickle or never end, bodies far too large, and
// answers that echo the request. Every request must end by itself, read a bounded amount, and never show
// a credential in any form.
let api: EmulatedApi;
beforeEach(async () => {
  api = await startEmulatedApi();
});
afterEach(() => api.stop());

const CONNECTIONS = "/api/v2/connections/issue-tracker/";
const connection = { alias: "Hostile", connector: 1, project: 1, params: { issue_tracker_project: "PAY" } };

describe("every request has a total deadline (timeout + retry time), however the body trickles", () => {
  const impatient = () => api.clientWith({ timeoutMs: 300, retryTimeoutMs: 300 });

  test("a body that never ends, each byte well within the per-chunk timeout: aborted with a clear error", async () => {
    api.emulator.faults.slowBody({ count: 1, intervalMs: 50, endless: true, method: "GET" });
    const error: SdeApiError = await impatient()
      .connections.get(1)
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "timeout", status: undefined });
    expect(error.message).toMatch(
      /^GET \/api\/v2\/connections\/issue-tracker\/1\/: the request did not finish within its deadline of 0\.6 s \(sdelements:timeout \+ sdelements:retryTimeout\), the answer still arriving/,
    );
  });

  test("a create whose answer never ends has an unknown outcome (it was applied), and is not sent again", async () => {
    api.emulator.faults.slowBody({ count: 1, intervalMs: 50, endless: true, method: "POST" });
    const error: SdeApiError = await impatient()
      .connections.create(connection)
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "outcome_unknown" });
    expect(error.message).toMatch(/deadline of 0\.6 s .*: the connection may or may not have been created/);
    expect(calls(api.emulator).filter((c) => c === `POST ${CONNECTIONS}`)).toHaveLength(1);
  });

  test("a slow body that ends within the deadline is read", async () => {
    api.emulator.faults.slowBody({ count: 1, intervalMs: 1, path: "/api/v2/projects/1/" });
    await expect(api.clientWith({ timeoutMs: 5000 }).projects.get(1)).resolves.toMatchObject({ id: 1 });
  });
});

describe("an answer is read up to a limit (maxResponseBytes, default 8 MiB)", () => {
  test("a 200 of 64 MiB is not buffered: reading stops at the limit with a clear error, and is not retried", async () => {
    api.emulator.faults.oversizedBody({ count: 1, bytes: 64 * 1024 * 1024, method: "GET" });
    const error: SdeApiError = await api.client.connections.list().catch((e) => e);
    expect(error).toMatchObject({ kind: "invalid_response", attempts: 1 });
    expect(error.message).toMatch(
      /the answer is larger than 8 MiB, the most this client reads \(maxResponseBytes\), so reading it stopped.*pageSize/,
    );
    expect(calls(api.emulator)).toHaveLength(1);
  });

  test("the limit can be set, and an answer within it is read", async () => {
    const small = api.clientWith({ maxResponseBytes: 2 * 1024 * 1024 });
    api.emulator.faults.oversizedBody({ count: 1, bytes: 1024 * 1024, method: "GET" });
    await expect(small.connections.get(1)).resolves.toMatchObject({ id: 1 });
    api.emulator.faults.oversizedBody({ count: 1, bytes: 3 * 1024 * 1024, method: "GET" });
    await expect(small.connections.get(1)).rejects.toThrow(/larger than 2 MiB/);
  });

  test("an oversized answer to a create: the connection was probably made, so the outcome is unknown", async () => {
    api.emulator.faults.oversizedBody({ count: 1, bytes: 16 * 1024 * 1024, method: "POST" });
    await expect(api.client.connections.create(connection)).rejects.toMatchObject({
      kind: "outcome_unknown",
      message: expect.stringMatching(/larger than 8 MiB.*was probably created/),
    });
  });
});

describe("a token pasted into the URL is never shown", () => {
  // As pasted into sdelements:url: characters a URL path escapes, so the path carries another form of it.
  const TOKEN = "Pasted{Token}-7c1e9a";

  test("not in the path of an error, nor in a log line", async () => {
    const lines: string[] = [];
    const client = new SdeClient({ url: `${api.emulator.url}/${TOKEN}`, token: TOKEN, maxAttempts: 1, logger: (l) => lines.push(l) }, {});
    try {
      const error: SdeApiError = await client.connections.get(1).catch((e) => e);
      expect(error).toMatchObject({ status: 404 });
      expect(error.message).toMatch(/^GET \/\[redacted\]\/api\/v2\/connections\/issue-tracker\/1\/ → 404/);
      expect(lines).toEqual([expect.stringMatching(/^GET \/\[redacted\]\/api\/v2\//)]);
      for (const text of [error.message, error.path, ...lines]) expect(text).not.toMatch(/Token|7c1e9a/);
    } finally {
      await client.close();
    }
  });

  test("not in a network error", async () => {
    const url = api.emulator.url;
    await api.stop();
    const client = new SdeClient({ url: `${url}/${TOKEN}`, token: TOKEN, maxAttempts: 1 }, {});
    try {
      const error: SdeApiError = await client.connections.list().catch((e) => e);
      expect(error).toMatchObject({ kind: "network", code: "ECONNREFUSED" });
      expect(error.message).not.toMatch(/Token|7c1e9a/);
    } finally {
      await client.close();
      api = await startEmulatedApi();
    }
  });

  test("nor in the refusal of a URL with the token pasted into its query or fragment", () => {
    for (const url of [`${api.emulator.url}/?token=${TOKEN}`, `${api.emulator.url}/#${TOKEN}`]) {
      const refusal = (() => {
        try {
          return new SdeClient({ url, token: TOKEN }, {}) && "accepted";
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(refusal).toMatch(/must not have a query or fragment/);
      expect(refusal).not.toMatch(/Token|7c1e9a/);
    }
  });

  test("nor in the error for a CA file that cannot be read (the token pasted into caFile)", () => {
    expect(() => new SdeClient({ url: api.emulator.url, token: TOKEN, caFile: TOKEN }, {})).toThrow(
      /^cannot read the CA file \[redacted\] \(sdelements:caFile\): ENOENT: no such file or directory, open '\[redacted\]'$/,
    );
  });
});

describe("answers that echo the request show no credential, in any form", () => {
  // Spaces around it (DRF trims them), a quote and a backslash (escaped in JSON text), characters a URL
  // encodes; its core is what every form of it contains, so that is what is searched for.
  const CORE = "EchoCanary4e2b";
  const password = ` p"a\\${CORE}&% `;
  const withPassword = { ...connection, params: { ...connection.params, issue_tracker_pass: password } };
  const texts = (error: SdeApiError) => [error.message, JSON.stringify(error.fieldErrors ?? {}), error.apiMessage ?? "", error.path ?? ""];

  test.each(["raw", "json", "trimmed", "urlencoded", "key"] as const)("%s, from a create and an update", async (form) => {
    const client = api.clientWith({ token: DEFAULT_TOKEN });
    api.emulator.faults.echo({ count: 1, form, method: "POST" });
    const created: SdeApiError = await client.connections.create(withPassword).catch((e) => e);
    expect(created).toMatchObject({ kind: "http", status: 400 });
    api.emulator.faults.echo({ count: 1, form, method: "PATCH" });
    const updated: SdeApiError = await client.connections.update(1, { params: { issue_tracker_pass: password } }).catch((e) => e);
    for (const text of [...texts(created), ...texts(updated)]) {
      expect(text).not.toContain(CORE);
      expect(text).not.toContain(DEFAULT_TOKEN);
    }
    // The echo was there to hide: the redaction marks where.
    expect([...texts(created)].join(" ")).toContain("[redacted]");
  });

  test.each(["trimmed", "urlencoded", "key"] as const)("%s, from the connection test, whose refusals are data", async (form) => {
    api.emulator.faults.echo({ count: 1, form, path: "/api/v2/connections/test-issue-tracker/" });
    const outcome = await api.client.connections.test({
      connector: 1,
      project: 1,
      alias: "x",
      system: { id: "jira" },
      params: { issue_tracker_pass: password },
    });
    expect(outcome.success).toBe(false);
    expect(JSON.stringify(outcome)).not.toContain(CORE);
    expect(JSON.stringify(outcome)).toContain("[redacted]");
  });
});
