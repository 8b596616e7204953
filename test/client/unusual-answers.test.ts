import { SdeClient, SdeApiError } from "../../src/client";
import { startScriptedServer, type ScriptedAnswer, type ScriptedServer } from "../support/scripted-server";

// Answers the emulator never gives but a proxy, a login page or another server version might: the client
// must neither crash nor take them for success.
const TOKEN = "scripted-token-0123456789";
const TEST_BODY = { connector: 1, project: 1, alias: "x", system: { id: "jira" }, params: { issue_tracker_project: "PAY" } };

let server: ScriptedServer;
let client: SdeClient;
const serve = async (answer: (path: string, method: string) => ScriptedAnswer | undefined) => {
  server = await startScriptedServer((req) => answer(req.url ?? "", req.method ?? ""));
  client = new SdeClient({ url: server.url, token: TOKEN, maxAttempts: 2, retryBaseDelayMs: 1 }, {});
};
afterEach(async () => {
  await client.close();
  await server.stop();
});

describe("the connection test", () => {
  test.each([[{}], [{ detail: "Could not connect" }]])('a 200 without "success": true (%j) is not a passed test', async (body) => {
    await serve(() => ({ status: 200, body }));
    const error = await client.connections.test(TEST_BODY).catch((e) => e);
    expect(error).toBeInstanceOf(SdeApiError);
    expect(error).toMatchObject({ kind: "invalid_response" });
    expect(error.message).toMatch(/does not say whether it passed.*testConnection: false/);
  });

  test("a 200 whose success is not a boolean is not the documented shape", async () => {
    await serve(() => ({ status: 200, body: { success: "yes" } }));
    await expect(client.connections.test(TEST_BODY)).rejects.toMatchObject({ kind: "invalid_response" });
  });

  test("a 200 that says success: false is a refusal, with the secrets it echoes hidden", async () => {
    const password = "Echoed-Pa55word-123";
    await serve(() => ({ status: 200, body: { success: false, detail: `Could not connect as pulumi-bot/${password}` } }));
    await expect(client.connections.test({ ...TEST_BODY, params: { ...TEST_BODY.params, issue_tracker_pass: password } })).resolves.toEqual(
      {
        success: false,
        message: "Could not connect as pulumi-bot/[redacted]",
        fieldErrors: undefined,
      },
    );
  });

  test("a refusal with other keys beside detail (a code) keeps the message and takes no field errors from them", async () => {
    await serve(() => ({
      status: 400,
      body: { success: false, detail: "Could not connect to jira.example.com", code: "unreachable", status: 7 },
    }));
    const outcome = await client.connections.test(TEST_BODY);
    expect(outcome).toEqual({ success: false, message: "Could not connect to jira.example.com", fieldErrors: undefined });
  });

  test("a refusal with field errors beside a code keeps the field errors", async () => {
    await serve(() => ({ status: 400, body: { code: "invalid", params: { issue_tracker_project: ["Unknown project."] } } }));
    const outcome = await client.connections.test(TEST_BODY);
    expect(outcome).toEqual({
      success: false,
      message: "the settings were rejected",
      fieldErrors: { params: { issue_tracker_project: ["Unknown project."] } },
    });
  });
});

describe("an answer cut off after it began", () => {
  // The first answer sends its headers and part of its body, then the connection drops; later ones are whole.
  const cutOnce = async () => {
    let cut = false;
    server = await startScriptedServer((_req, res) => {
      if (cut) return { status: 200, body: { id: 1 } };
      cut = true;
      res.writeHead(200, { "content-type": "application/json", "content-length": "200" });
      res.write('{"id": 1, "al');
      setTimeout(() => res.socket?.destroy(), 10);
      return undefined;
    });
    client = new SdeClient({ url: server.url, token: TOKEN, maxAttempts: 3, retryBaseDelayMs: 1 }, {});
  };

  test.each([
    ["a read", () => client.projects.get(1)],
    ["an update", () => client.connections.update(1, { alias: "x" })],
  ])("%s is not resumed with a Range request nor sent again: the error says the answer was cut off", async (_what, call) => {
    await cutOnce();
    const error = await call().catch((e) => e);
    expect(error).toMatchObject({ kind: "network", attempts: 1 });
    expect(error.message).toMatch(/the answer was cut off after the server had begun it/);
    expect(server.requests).toHaveLength(1);
  });

  test("a create: its outcome is unknown (the server had answered), so it is looked up, never re-sent", async () => {
    await cutOnce();
    const error = await client.connections
      .create({ alias: "x", connector: 1, project: 1, params: { issue_tracker_project: "P" } })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "outcome_unknown" });
    expect(server.requests).toHaveLength(1);
  });
});

test("pagination that goes on past the count it gave ends with an error, not a walk without end", async () => {
  await serve((path) => {
    const page = Number(new URL(path, "http://x").searchParams.get("page") ?? "1");
    return {
      status: 200,
      body: {
        count: 2,
        next: `/api/v2/connectors/issue-tracker/?page=${page + 1}`,
        previous: null,
        results: [{ id: page, name: `c${page}`, system: { id: "jira", name: "JIRA" }, inaccessible: false }],
      },
    };
  });
  const error = await client.connectors.list().catch((e) => e);
  expect(error).toMatchObject({ kind: "invalid_response" });
  expect(error.message).toMatch(/pagination goes on past the 2 items it counted/);
  expect(server.requests).toHaveLength(2);
});

describe("errors that name the fix", () => {
  test("a redirect names where it points and is not followed (the token would go with it)", async () => {
    await serve(() => ({ status: 302, body: "", headers: { location: "https://sso.example.com/login?next=/api" } }));
    const error = await client.connections.get(1).catch((e) => e);
    expect(error).toMatchObject({ kind: "http", status: 302 });
    expect(error.message).toMatch(
      /redirects this request to https:\/\/sso\.example\.com .*not followed.*Set sdelements:url to https:\/\/sso\.example\.com if that is your SD Elements server/,
    );
    expect(server.requests).toHaveLength(1);
  });

  test("a 404 on a list (no id in the path) says the API is not at this address", async () => {
    await serve(() => ({ status: 404, body: { detail: "Not found." } }));
    const error = await client.connections.list().catch((e) => e);
    expect(error.message).toMatch(/The API was not found at this address: check sdelements:url/);
    expect(error.message).not.toMatch(/check the id/);
  });

  test("DRF's bare list of messages is the API's message", async () => {
    await serve(() => ({ status: 400, body: ["Project is archived."] }));
    const error = await client.connections
      .create({ alias: "x", connector: 1, project: 1, params: { issue_tracker_project: "P" } })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "http", status: 400, apiMessage: "Project is archived." });
    await expect(client.connections.test(TEST_BODY)).resolves.toEqual({
      success: false,
      message: "Project is archived.",
      fieldErrors: undefined,
    });
  });

  test("a refused connection says to check the URL, however many attempts were made", async () => {
    await serve(() => ({ status: 200, body: {} }));
    await server.stop();
    const error = await client.connections.get(1).catch((e) => e);
    expect(error).toMatchObject({ kind: "network", code: "ECONNREFUSED", attempts: 2 });
    expect(error.message).toMatch(/Check sdelements:url, the network and any proxy/);
  });
});

test("a job whose connection is nested (as the jobs page shows it) is read, its connection as the id", async () => {
  const job = {
    id: 12,
    user: "admin@example.com",
    succeeded: true,
    automatic: true,
    ready: true,
    result_message: "",
    last_run: "2015-04-15T20:27:24.396442Z",
    connection: { id: 23, alias: "Rally", project: 7 },
  };
  await serve(() => ({ status: 200, body: { results: [job] } }));
  await expect(client.jobs.list()).resolves.toEqual([{ ...job, connection: 23 }]);
});
