import { request as httpRequest } from "node:http";
import { DEFAULT_SEED, DEFAULT_TOKEN, type SeedData } from "../../src/emulator";
import { call, CONNECTIONS, fixture, JOBS, rawRequest, TEST_CONNECTION, useEmulator, type CallOptions } from "./helpers";

/**
 * Bad input of every kind: each gets the right status and a DRF body naming the field, and changes nothing
 * (the connections are as before and the next connection still gets id 5, the seed's next id).
 */

const valid = () => fixture("create.request");
const withParams = (params: Record<string, unknown>) => ({ ...valid(), params: { ...valid().params, ...params } });
const without = (field: string) => {
  const body = valid();
  delete body[field];
  return body;
};

interface Case {
  name: string;
  method?: string;
  path?: string;
  request: CallOptions;
  status: number;
  /** The error body: a path of field names that must hold a non-empty list of messages, or a detail. */
  field?: string;
  detail?: string | RegExp;
}

const CASES: Case[] = [
  { name: "missing alias", request: { json: without("alias") }, status: 400, field: "alias" },
  { name: "missing connector", request: { json: without("connector") }, status: 400, field: "connector" },
  { name: "missing project", request: { json: without("project") }, status: 400, field: "project" },
  { name: "missing params", request: { json: without("params") }, status: 400, field: "params" },
  { name: "alias of the wrong type", request: { json: { ...valid(), alias: 42 } }, status: 400, field: "alias" },
  { name: "blank alias", request: { json: { ...valid(), alias: "   " } }, status: 400, field: "alias" },
  { name: "10,000-character alias", request: { json: { ...valid(), alias: "a".repeat(10_000) } }, status: 400, field: "alias" },
  { name: "alias with control characters", request: { json: { ...valid(), alias: "two\nlines" } }, status: 400, field: "alias" },
  { name: "connector given as a string", request: { json: { ...valid(), connector: "1" } }, status: 400, field: "connector" },
  { name: "negative project id", request: { json: { ...valid(), project: -1 } }, status: 400, field: "project" },
  { name: "debug_mode not a boolean", request: { json: { ...valid(), debug_mode: "yes" } }, status: 400, field: "debug_mode" },
  { name: "unknown frequency", request: { json: { ...valid(), frequency: "often" } }, status: 400, field: "frequency" },
  { name: 'frequency "Hourly" (wrong case)', request: { json: { ...valid(), frequency: "Hourly" } }, status: 400, field: "frequency" },
  { name: "unknown connector", request: { json: { ...valid(), connector: 99 } }, status: 400, field: "connector" },
  { name: "unknown project", request: { json: { ...valid(), project: 99 } }, status: 400, field: "project" },
  { name: "params not an object", request: { json: { ...valid(), params: "issue_tracker_project=X" } }, status: 400, field: "params" },
  { name: "params a list", request: { json: { ...valid(), params: [1, 2] } }, status: 400, field: "params" },
  { name: "a param holding an object", request: { json: withParams({ custom: { a: 1 } }) }, status: 400, field: "params.custom" },
  {
    name: "sde_min_priority out of range",
    request: { json: withParams({ sde_min_priority: 11 }) },
    status: 400,
    field: "params.sde_min_priority",
  },
  { name: "a param name that is no name", request: { json: withParams({ "bad key!": "x" }) }, status: 400, field: "params.bad key!" },
  {
    name: "a param named __proto__ (in the JSON)",
    request: { raw: JSON.stringify(valid()).replace('"params":{', '"params":{"__proto__":[1,2],'), contentType: "application/json" },
    status: 400,
    field: "params.__proto__",
  },
  {
    name: `more than ${201 - 1} params`,
    request: { json: withParams(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`custom_${i}`, "x"]))) },
    status: 400,
    field: "params",
  },
  {
    name: "sde_min_priority not a number",
    request: { json: withParams({ sde_min_priority: "high" }) },
    status: 400,
    field: "params.sde_min_priority",
  },
  {
    name: "unknown phase",
    request: { json: withParams({ issue_tracker_phases: "requirements,deployment" }) },
    status: 400,
    field: "params.issue_tracker_phases",
  },
  {
    name: "unknown status",
    request: { json: withParams({ sde_statuses_in_scope: "TODO,WONTFIX" }) },
    status: 400,
    field: "params.sde_statuses_in_scope",
  },
  {
    name: "title format without $task_id",
    request: { json: withParams({ issue_tracker_title_format: "$title" }) },
    status: 400,
    field: "params.issue_tracker_title_format",
  },
  {
    name: "URL as server",
    request: { json: withParams({ issue_tracker_server: "https://bugs.server.co" }) },
    status: 400,
    field: "params.issue_tracker_server",
  },
  { name: "Jira version before 4", request: { json: withParams({ jira_version: "3" }) }, status: 400, field: "params.jira_version" },
  {
    name: "blank tracker project",
    request: { json: withParams({ issue_tracker_project: " " }) },
    status: 400,
    field: "params.issue_tracker_project",
  },
  {
    name: "required tracker project missing after merging",
    request: { json: { ...valid(), params: { issue_tracker_parent_issue: "Parent" } } },
    status: 400,
    field: "params.issue_tracker_project",
  },
  {
    name: "credentials the auth mode needs missing after merging (GitHub connector switched to basic)",
    request: { json: { ...valid(), connector: 3, params: { issue_tracker_project: "example-repo", issue_tracker_auth_mode: "basic" } } },
    status: 400,
    field: "params.issue_tracker_pass",
  },
  { name: "unknown top-level field", request: { json: { ...valid(), extra: 1 } }, status: 400, field: "non_field_errors" },
  { name: "body a JSON list", request: { json: [valid()] }, status: 400, field: "non_field_errors" },
  { name: "malformed JSON", request: { raw: '{"alias": ', contentType: "application/json" }, status: 400, detail: /^JSON parse error - / },
  {
    name: "invalid UTF-8",
    request: { raw: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), contentType: "application/json" },
    status: 400,
    detail: /^JSON parse error - /,
  },
  {
    name: "wrong content type",
    request: { raw: JSON.stringify(valid()), contentType: "text/plain" },
    status: 415,
    detail: 'Unsupported media type "text/plain" in request.',
  },
  {
    name: "form content type",
    request: { raw: "alias=x", contentType: "application/x-www-form-urlencoded" },
    status: 415,
    detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.',
  },
  {
    name: "oversized body",
    request: { raw: JSON.stringify({ ...valid(), alias: "a".repeat(1024 * 1024) }), contentType: "application/json" },
    status: 413,
    detail: "Request body too large: at most 1048576 bytes.",
  },
  // PATCH
  {
    name: "PATCH of an unknown id",
    method: "PATCH",
    path: `${CONNECTIONS}999/`,
    request: { json: { alias: "x" } },
    status: 404,
    detail: "Not found.",
  },
  {
    name: "PATCH of a non-numeric id",
    method: "PATCH",
    path: `${CONNECTIONS}abc/`,
    request: { json: { alias: "x" } },
    status: 404,
    detail: "Not found.",
  },
  {
    name: "PATCH with a blank alias",
    method: "PATCH",
    path: `${CONNECTIONS}1/`,
    request: { json: { alias: "" } },
    status: 400,
    field: "alias",
  },
  {
    name: "PATCH to an unknown connector",
    method: "PATCH",
    path: `${CONNECTIONS}1/`,
    request: { json: { connector: 42 } },
    status: 400,
    field: "connector",
  },
  {
    name: "PATCH with a bad param",
    method: "PATCH",
    path: `${CONNECTIONS}1/`,
    request: { json: { params: { issue_tracker_method: "ftp" } } },
    status: 400,
    field: "params.issue_tracker_method",
  },
  {
    name: "PATCH removing a param the system needs",
    method: "PATCH",
    path: `${CONNECTIONS}1/`,
    request: { json: { params: { issue_tracker_project: null } } },
    status: 400,
    field: "params.issue_tracker_project",
  },
  {
    name: "PATCH with an unknown field",
    method: "PATCH",
    path: `${CONNECTIONS}1/`,
    request: { json: { colour: "red" } },
    status: 400,
    field: "non_field_errors",
  },
  // Other writes
  {
    name: "test without params",
    method: "POST",
    path: TEST_CONNECTION,
    request: { json: { system: { id: "rally" } } },
    status: 400,
    field: "params",
  },
  {
    name: "test of an unknown system",
    method: "POST",
    path: TEST_CONNECTION,
    request: { json: { system: { id: "bugzilla" }, params: {} } },
    status: 400,
    field: "system.id",
  },
  {
    name: "test with neither connector nor system",
    method: "POST",
    path: TEST_CONNECTION,
    request: { json: { params: {} } },
    status: 400,
    field: "system",
  },
  {
    name: "job for an unknown connection",
    method: "POST",
    path: JOBS,
    request: { json: { connection: 99, automatic: false, ready: false } },
    status: 400,
    field: "connection",
  },
  {
    name: "job with a bad field",
    method: "POST",
    path: JOBS,
    request: { json: { connection: 1, ready: "no" } },
    status: 400,
    field: "ready",
  },
];

/** The messages at a dotted field path of a DRF error body. */
function messagesAt(body: unknown, field: string): unknown {
  return field.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], body);
}

describe("bad input", () => {
  const emulator = useEmulator();

  test("there are at least 20 kinds of bad input", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  test.each(CASES)("$name → $status, naming the field, changing nothing", async (c) => {
    const before = emulator.current.connections();
    const reply = await call(emulator.current, c.method ?? "POST", c.path ?? CONNECTIONS, c.request);
    expect(reply.status).toBe(c.status);
    if (c.field !== undefined) {
      const messages = messagesAt(reply.body, c.field);
      expect(Array.isArray(messages) && messages.length > 0 && messages.every((m) => typeof m === "string" && m.length > 0)).toBe(true);
    }
    if (c.detail !== undefined) expect(reply.body.detail).toEqual(c.detail instanceof RegExp ? expect.stringMatching(c.detail) : c.detail);

    expect(emulator.current.connections()).toEqual(before);
    // No id was consumed: the next create still gets the seed's next id.
    const next = await call(emulator.current, "POST", CONNECTIONS, { json: valid() });
    expect(next.status).toBe(201);
    expect(next.body.id).toBe(5);
  });

  test("unknown connector and project are reported together, in DRF's words", async () => {
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: { ...valid(), connector: 99, project: 98 } });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      connector: ['Invalid pk "99" - object does not exist.'],
      project: ['Invalid pk "98" - object does not exist.'],
    });
  });

  test("an oversized body sent in chunks is refused without reading it all", async () => {
    const before = emulator.current.connections();
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${emulator.current.url}${CONNECTIONS}`, {
        method: "POST",
        agent: false,
        headers: { authorization: "Token sde-emulator-admin-token", "content-type": "application/json", "transfer-encoding": "chunked" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      // 2 MiB in 64 KiB chunks; the server answers once it has seen more than 1 MiB.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 32; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(emulator.current.connections()).toEqual(before);
  });

  test("ids that are not positive integers are 404, never a crash", async () => {
    for (const id of ["abc", "-1", "1.5", "0", "01", "%2e%2e", "..", "1e3", "99999999999999999999", "%31", "1%2F"]) {
      const reply = await rawRequest(emulator.current.url, {
        path: `${CONNECTIONS}${id}/`,
        headers: { authorization: "Token sde-emulator-admin-token" },
      });
      expect([id, reply.status]).toEqual([id, 404]);
      expect(JSON.parse(reply.text)).toEqual({ detail: "Not found." });
    }
    // Path tricks do not escape the API either.
    for (const path of [
      "/api/v2/connections/issue-tracker/../",
      "/api/v2/connections/issue-tracker/%2e%2e/%2e%2e/",
      "/api/v2/../../etc/passwd",
      "//api/v2/projects/",
    ]) {
      const reply = await rawRequest(emulator.current.url, { path, headers: { authorization: "Token sde-emulator-admin-token" } });
      expect([path, reply.status]).toEqual([path, 404]);
    }
    expect((await call(emulator.current, "GET", `${CONNECTIONS}1/`)).status).toBe(200);
  });

  test("a body without any Content-Type is read as JSON (the API page sends none)", async () => {
    const reply = await call(emulator.current, "POST", CONNECTIONS, { raw: Buffer.from(JSON.stringify(valid())) });
    expect(reply.status).toBe(201);
  });

  test("a null param on PATCH removes the connection's own value; the connector's shows again", async () => {
    const created = await call(emulator.current, "POST", CONNECTIONS, {
      json: withParams({ issue_tracker_user: "someone", issue_tracker_pass: "else" }),
    });
    expect(created.body.params.issue_tracker_user).toBe("someone");
    const patched = await call(emulator.current, "PATCH", `${CONNECTIONS}${created.body.id}/`, {
      json: { params: { issue_tracker_user: null, issue_tracker_pass: null } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.params).toMatchObject({
      issue_tracker_user: "Sindy",
      issue_tracker_pass: "id",
      issue_tracker_project: "Example Project",
    });
  });

  test("sde_min_priority given as a numeric string is stored as an integer", async () => {
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: withParams({ sde_min_priority: "9" }) });
    expect(reply.status).toBe(201);
    expect(reply.body.params.sde_min_priority).toBe(9);
    expect(emulator.current.connections().find((c) => c.id === reply.body.id)?.params?.sde_min_priority).toBe(9);
  });
});

describe("without the advanced Issue Tracker feature", () => {
  const seed: SeedData = { ...structuredClone(DEFAULT_SEED), settings: { advancedIssueTracker: false } };
  const emulator = useEmulator(() => ({ seed }));

  test("a non-manual frequency is refused with the documented wording, on create and update", async () => {
    const created = await call(emulator.current, "POST", CONNECTIONS, { json: valid() });
    expect(created.status).toBe(400);
    expect(created.body).toEqual({ frequency: ['Organizations without the advanced Issue Tracker feature can only choose "manually".'] });
    const patched = await call(emulator.current, "PATCH", `${CONNECTIONS}1/`, { json: { frequency: "daily" } });
    expect(patched.status).toBe(400);
    expect(patched.body).toHaveProperty("frequency");
    expect(emulator.current.connections()[0]?.frequency).toBe("manually");
    expect((await call(emulator.current, "POST", CONNECTIONS, { json: { ...valid(), frequency: "manually" } })).body.id).toBe(5);
  });
});

describe("a system's own required param missing after merging", () => {
  // A Jira connector without jira_version: connections on it must set it themselves.
  const seed = structuredClone(DEFAULT_SEED) as SeedData & { connectors: { params: Record<string, unknown> }[] };
  delete seed.connectors[0]!.params.jira_version;
  const emulator = useEmulator(() => ({ seed }));

  test("is reported under params with the key", async () => {
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: valid() });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body)).toEqual(["params"]);
    expect(reply.body.params.jira_version[0]).toMatch(/required for JIRA/);
    expect((await call(emulator.current, "POST", CONNECTIONS, { json: withParams({ jira_version: "8" }) })).status).toBe(201);
  });
});

describe("read-only fields", () => {
  const emulator = useEmulator();
  test("sent back (a GET's body, changed and PATCHed) are ignored, as DRF ignores them", async () => {
    const got = await call(emulator.current, "GET", `${CONNECTIONS}1/`);
    const patched = await call(emulator.current, "PATCH", `${CONNECTIONS}1/`, {
      json: { ...got.body, alias: "Rally Renamed", id: 99, command: "other" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: 1, alias: "Rally Renamed", command: got.body.command });
  });

  test("an alias is stored trimmed, as a DRF CharField does", async () => {
    const made = await call(emulator.current, "POST", CONNECTIONS, { json: { ...fixture("create.request"), alias: "  Padded  " } });
    expect(made.body.alias).toBe("Padded");
    const patched = await call(emulator.current, "PATCH", `${CONNECTIONS}${made.body.id}/`, { json: { alias: " Again " } });
    expect(patched.body.alias).toBe("Again");
    // Trimmed before it is judged: 255 characters with spaces around them fit.
    const long = await call(emulator.current, "POST", CONNECTIONS, {
      json: { ...fixture("create.request"), alias: ` ${"a".repeat(255)} ` },
    });
    expect(long.status).toBe(201);
  });

  test("a PATCH whose connection is deleted while its body arrives gets 404, not 500", async () => {
    const body = JSON.stringify({ alias: "Late" });
    const reply = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${emulator.current.url}${CONNECTIONS}1/`,
        {
          method: "PATCH",
          agent: false,
          headers: { authorization: `Token ${DEFAULT_TOKEN}`, "content-type": "application/json", "content-length": String(body.length) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 5));
      // The rest of the body only once the connection is gone.
      void call(emulator.current, "DELETE", `${CONNECTIONS}1/`).then(() => req.end(body.slice(5)));
    });
    expect(await reply).toBe(404);
  });
});
