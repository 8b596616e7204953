import { SdeApiError } from "../../src/client";
import { checking } from "../../src/schema/checked";
import { connectionCreateSchema, type ConnectionCreate } from "../../src/schema/connection";
import { calls, startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

// Bad input to the client is refused before anything is sent, with a message naming the field and the
// fix; the server's state is unchanged.
let api: EmulatedApi;
beforeAll(async () => {
  api = await startEmulatedApi();
});
afterAll(() => api.stop());

const SECRET = "Hidden-Pa55word-77";
const valid: ConnectionCreate = {
  alias: "Bad input probe",
  connector: 1,
  project: 1,
  params: { issue_tracker_project: "Example Project", issue_tracker_pass: SECRET },
};
const withParams = (params: Record<string, unknown>) => ({ ...valid, params: { ...valid.params, ...params } });

const cases: [string, unknown, RegExp][] = [
  ["not an object", "alias=x", /\(body\): must be a JSON object/],
  ["no alias", { ...valid, alias: undefined }, /alias: is required/],
  ["alias not a string", { ...valid, alias: 42 }, /alias: must be a string/],
  ["empty alias", { ...valid, alias: "" }, /alias: must not be empty/],
  ["whitespace alias", { ...valid, alias: "   " }, /alias: must not be empty/],
  ["10,000-character alias", { ...valid, alias: "x".repeat(10_000) }, /alias: is too long: at most 255/],
  ["alias with a newline", { ...valid, alias: "two\nlines" }, /alias: must not contain control characters/],
  ["alias with NUL", { ...valid, alias: "nul\u0000" }, /alias: must not contain control characters/],
  ["no connector", { ...valid, connector: undefined }, /connector: is required: the id/],
  ["connector as a string", { ...valid, connector: "1" }, /connector: must be the id \(a positive whole number\)/],
  ["negative project", { ...valid, project: -1 }, /project: must be the id/],
  ["fractional project", { ...valid, project: 1.5 }, /project: must be the id/],
  ["no params", { ...valid, params: undefined }, /params: is required/],
  ["params as a string", { ...valid, params: "issue_tracker_project=x" }, /params: must be a map of param names to values, not a string/],
  ["params as a list", { ...valid, params: ["x"] }, /params: must be a map of param names to values, not a list/],
  ["unknown frequency", { ...valid, frequency: "fortnightly" }, /frequency: "fortnightly" is not a valid choice: use one of hourly, daily/],
  [
    "frequency in upper case",
    { ...valid, frequency: "Daily" },
    /frequency: "Daily" is not a valid choice: write it in lower case, "daily"/,
  ],
  ["debug_mode as a string", { ...valid, debug_mode: "yes" }, /debug_mode: must be true or false/],
  ["an unknown top-level field", { ...valid, name: "x" }, /unknown field name: a connection has alias/],
  [
    "a misspelt top-level field",
    { ...valid, debugMode: true },
    /unknown field debugMode \(did you mean debug_mode\?\): a connection has alias/,
  ],
  ["sde_min_priority 0", withParams({ sde_min_priority: 0 }), /params\.sde_min_priority: must be from 1 to 10/],
  ["sde_min_priority 11", withParams({ sde_min_priority: 11 }), /params\.sde_min_priority: must be from 1 to 10/],
  ["sde_min_priority a word", withParams({ sde_min_priority: "high" }), /params\.sde_min_priority: must be a whole number from 1 to 10/],
  [
    "an unknown phase",
    withParams({ issue_tracker_phases: "requirements,deploy" }),
    /params\.issue_tracker_phases: has unknown value\(s\) "deploy"/,
  ],
  ["an unknown status", withParams({ sde_statuses_in_scope: "TODO,WIP" }), /params\.sde_statuses_in_scope: has unknown value\(s\) "WIP"/],
  [
    "a title format without $task_id",
    withParams({ issue_tracker_title_format: "$title" }),
    /params\.issue_tracker_title_format: must contain \$task_id/,
  ],
  [
    "a URL as the tracker server",
    withParams({ issue_tracker_server: "https://jira.example.com" }),
    /params\.issue_tracker_server: is a host name, not a URL/,
  ],
  [
    "an unknown method",
    withParams({ issue_tracker_method: "ftp" }),
    /params\.issue_tracker_method: "ftp" is not a valid choice: use one of http, https/,
  ],
  [
    "validate_cert as a string",
    withParams({ issue_tracker_validate_cert: "false" }),
    /params\.issue_tracker_validate_cert: must be true or false/,
  ],
  ["an empty tracker project", withParams({ issue_tracker_project: "" }), /params\.issue_tracker_project: must not be empty/],
  [
    "a param holding an object",
    withParams({ custom_field: { a: 1 } }),
    /params\.custom_field: must be a string, number or boolean \(params hold plain values/,
  ],
  [
    "a 10,000-character param",
    withParams({ issue_tracker_parent_issue: "p".repeat(10_000) }),
    /params\.issue_tracker_parent_issue: is too long/,
  ],
];

test.each(cases)("create with %s is refused before sending", async (_what, body, expected) => {
  const before = api.emulator.connections();
  api.emulator.clearRequestLog();
  const error: SdeApiError = await api.client.connections.create(body as ConnectionCreate).catch((e) => e);
  expect(error).toBeInstanceOf(SdeApiError);
  expect(error.kind).toBe("invalid_input");
  expect(error.message).toMatch(expected);
  expect(error.message).not.toContain(SECRET);
  expect(calls(api.emulator)).toEqual([]);
  expect(api.emulator.connections()).toEqual(before);
});

test("an update with bad fields is refused before sending", async () => {
  api.emulator.clearRequestLog();
  await expect(api.client.connections.update(1, { frequency: "Weekly" as never })).rejects.toThrow(
    /frequency: "Weekly" is not a valid choice/,
  );
  await expect(api.client.connections.update(0, { alias: "x" })).rejects.toThrow(/connection id/);
  expect(calls(api.emulator)).toEqual([]);
});

test("a connection test with params that are not an object is refused before sending", async () => {
  api.emulator.clearRequestLog();
  await expect(api.client.connections.test({ params: 5 as never })).rejects.toMatchObject({ kind: "invalid_input" });
  expect(calls(api.emulator)).toEqual([]);
});

test("a checked body skips only the client's own check: the server still refuses bad input, and its message is redacted", async () => {
  // For callers that parsed with the endpoint's schema already (the provider's create): the server stays the judge.
  api.emulator.clearRequestLog();
  const before = api.emulator.connections();
  const body = checking(connectionCreateSchema).parse(valid);
  // Changed after its parse, as only a test would: the client sends what the parse returned, unchecked.
  Object.assign(body, { alias: "", params: { ...valid.params, sde_min_priority: 11 } });
  const error: SdeApiError = await api.client.connections.create(body).catch((e) => e);
  expect(error).toBeInstanceOf(SdeApiError);
  expect(error.kind).toBe("http");
  expect(error.status).toBe(400);
  expect(error.message).not.toContain(SECRET);
  expect(calls(api.emulator)).toEqual(["POST /api/v2/connections/issue-tracker/"]);
  expect(api.emulator.connections()).toEqual(before);
});

describe("filters and options", () => {
  test.each([
    [
      "a misspelt filter",
      () => api.client.connections.list({ projectId: 1 } as never),
      /unknown filter projectId \(did you mean project\?\): a connection list takes project, includeLastJob and pageSize/,
    ],
    ["a null filter", () => api.client.connections.list(null as never), /must be an object of filters/],
    [
      "a fractional page size",
      () => api.client.connections.list({ pageSize: 2.5 }),
      /^invalid connection list filter: pageSize: must be a whole number of connections per page$/,
    ],
  ])("%s is refused before sending, naming it", async (_what, call, expected) => {
    api.emulator.clearRequestLog();
    const error = await call().catch((e) => e);
    expect(error).toMatchObject({ kind: "invalid_input" });
    expect(error.message).toMatch(expected);
    expect(calls(api.emulator)).toEqual([]);
  });

  test("null options mean none", async () => {
    await expect(api.client.connections.get(1, null as never)).resolves.toMatchObject({ id: 1 });
    await expect(api.client.jobs.list(null as never)).resolves.toEqual(expect.any(Array));
  });

  test("a body that is not an object is said once, not once per name for it", async () => {
    const error = await api.client.connections.create(null as never).catch((e) => e);
    expect(error.message.match(/must be a JSON object/g)).toHaveLength(1);
  });
});
