import { DEFAULT_TOKEN, READ_ONLY_TOKEN, startEmulator } from "../../src/emulator";
import { call, CONNECTIONS, fixture, JOBS, TEST_CONNECTION, useEmulator } from "./helpers";

const emulator = useEmulator();

describe("authentication", () => {
  test("no Authorization header: 401 Invalid token., as for a wrong one, with WWW-Authenticate", async () => {
    const reply = await call(emulator.current, "GET", CONNECTIONS, { token: null });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ detail: "Invalid token." });
    expect(reply.headers.get("www-authenticate")).toBe("Token");
  });

  test("another scheme counts as no credentials", async () => {
    const reply = await call(emulator.current, "GET", CONNECTIONS, { token: null, headers: { authorization: "Bearer abc" } });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ detail: "Invalid token." });
  });

  test("a wrong token: 401 Invalid token., and the token is not echoed", async () => {
    const reply = await call(emulator.current, "GET", CONNECTIONS, { token: "not-a-real-token" });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ detail: "Invalid token." });
    expect(reply.headers.get("www-authenticate")).toBe("Token");
    expect(reply.text).not.toContain("not-a-real-token");
  });

  test("malformed Token headers get DRF's messages", async () => {
    const bare = await call(emulator.current, "GET", CONNECTIONS, { token: null, headers: { authorization: "Token" } });
    expect(bare.status).toBe(401);
    expect(bare.body).toEqual({ detail: "Invalid token header. No credentials provided." });
    const spaced = await call(emulator.current, "GET", CONNECTIONS, { token: null, headers: { authorization: "Token a b" } });
    expect(spaced.status).toBe(401);
    expect(spaced.body).toEqual({ detail: "Invalid token header. Token string should not contain spaces." });
  });

  test.each([
    ["lower-case keyword", `token ${DEFAULT_TOKEN}`],
    ["upper-case keyword", `TOKEN ${DEFAULT_TOKEN}`],
    ["double-quoted token (as the API page writes it)", `Token "${DEFAULT_TOKEN}"`],
    ["single-quoted token", `Token '${DEFAULT_TOKEN}'`],
    ["extra spaces", `Token    ${DEFAULT_TOKEN}  `],
  ])("accepted: %s", async (_name, header) => {
    const reply = await call(emulator.current, "GET", CONNECTIONS, { token: null, headers: { authorization: header } });
    expect(reply.status).toBe(200);
  });

  test("mismatched quotes are not stripped", async () => {
    const reply = await call(emulator.current, "GET", CONNECTIONS, { token: null, headers: { authorization: `Token "${DEFAULT_TOKEN}'` } });
    expect(reply.status).toBe(401);
  });

  test("the token of the options has full permissions, in place of the public admin token", async () => {
    const other = await startEmulator({ token: "my-ci-token" });
    try {
      const reply = await call(other, "POST", CONNECTIONS, { token: "my-ci-token", json: fixture("create.request") });
      expect(reply.status).toBe(201);
      expect(reply.body.params).toBeDefined();
      expect((await call(other, "GET", CONNECTIONS, { token: DEFAULT_TOKEN })).status).toBe(401);
      expect((await call(other, "GET", CONNECTIONS, { token: READ_ONLY_TOKEN })).status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  test("unknown paths are 404 before authentication, as Django resolves URLs first", async () => {
    const reply = await call(emulator.current, "GET", "/api/v2/nothing-here/", { token: null });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ detail: "Not found." });
  });
});

describe("a token without 'Edit Issue Tracker connections'", () => {
  const asReader = { token: READ_ONLY_TOKEN };

  test("sees connections and connectors without params", async () => {
    const list = await call(emulator.current, "GET", `${CONNECTIONS}?include=last_job`, asReader);
    expect(list.status).toBe(200);
    expect(list.body.results).toHaveLength(1);
    expect(list.body.results[0]).not.toHaveProperty("params");
    expect(list.body.results[0]).toMatchObject({ id: 1, alias: "Rally Integration", in_progress: false, last_job: { id: 4 } });
    const one = await call(emulator.current, "GET", `${CONNECTIONS}1/`, asReader);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty("params");
    const connectors = await call(emulator.current, "GET", "/api/v2/connectors/issue-tracker/", asReader);
    expect(connectors.body.results.length).toBeGreaterThan(0);
    for (const connector of connectors.body.results) expect(connector).not.toHaveProperty("params");
    expect(JSON.stringify(connectors.body)).not.toContain("rally_password");
  });

  test.each([
    ["POST", CONNECTIONS, fixture("create.request")],
    ["PATCH", `${CONNECTIONS}1/`, { alias: "renamed" }],
    ["DELETE", `${CONNECTIONS}1/`, undefined],
    ["POST", TEST_CONNECTION, fixture("test.request")],
    ["POST", JOBS, { connection: 1, automatic: false, ready: false }],
    ["PUT", `${CONNECTIONS}1/`, fixture("create.request")],
  ])("gets 403 on %s %s and changes nothing", async (method, path, json) => {
    const before = emulator.current.connections();
    const reply = await call(emulator.current, method, path, { ...asReader, json });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ detail: "You do not have permission to perform this action." });
    expect(emulator.current.connections()).toEqual(before);
  });
});

describe("methods", () => {
  test("PUT is 405 with DRF's message and an Allow header", async () => {
    const reply = await call(emulator.current, "PUT", `${CONNECTIONS}1/`, { json: fixture("create.request") });
    expect(reply.status).toBe(405);
    expect(reply.body).toEqual({ detail: 'Method "PUT" not allowed.' });
    expect(reply.headers.get("allow")).toBe("GET, PATCH, DELETE, HEAD");
  });

  test("any other unsupported method is 405 too", async () => {
    const del = await call(emulator.current, "DELETE", CONNECTIONS);
    expect(del.status).toBe(405);
    expect(del.body).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(del.headers.get("allow")).toBe("GET, POST, HEAD");
    const post = await call(emulator.current, "POST", "/api/v2/connectors/issue-tracker/", { json: {} });
    expect(post.status).toBe(405);
  });

  test("a GET without the trailing slash is redirected; other methods are 404", async () => {
    const get = await call(emulator.current, "GET", "/api/v2/connections/issue-tracker?project=2");
    expect(get.status).toBe(301);
    expect(get.headers.get("location")).toBe("/api/v2/connections/issue-tracker/?project=2");
    const followed = await call(emulator.current, "GET", "/api/v2/connections/issue-tracker/1", { redirect: "follow" });
    expect(followed.status).toBe(200);
    expect(followed.body.id).toBe(1);
    const post = await call(emulator.current, "POST", "/api/v2/connections/issue-tracker", { json: fixture("create.request") });
    expect(post.status).toBe(404);
    expect(emulator.current.connections()).toHaveLength(1);
  });

  test("HEAD answers like GET without a body", async () => {
    const reply = await call(emulator.current, "HEAD", `${CONNECTIONS}1/`);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("");
  });

  test("an Accept header without JSON is 406", async () => {
    const reply = await call(emulator.current, "GET", CONNECTIONS, { headers: { accept: "text/html" } });
    expect(reply.status).toBe(406);
    expect(reply.body).toEqual({ detail: "Could not satisfy the request Accept header." });
  });
});
