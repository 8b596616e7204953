import * as pulumi from "@pulumi/pulumi";
import {
  getIssueTrackerConnection,
  getIssueTrackerConnections,
  getProjectIds,
  IssueTrackerConnection,
  testIssueTrackerConnection,
} from "../../src";
import { DEFAULT_SEED, DEFAULT_TOKEN, READ_ONLY_TOKEN, type SeedData } from "../../src/emulator";
import { DeploymentError } from "../../src/engine";
import { startLocalStack } from "../support/local-stack";
import { startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";
import { record } from "./metrics";

// Bad input, each case a test: through the resource (the provider's check, as preview runs it, and create
// for what only the server can tell), through the functions, and through the provider's settings. Every
// one gets an error that names the field and says how to fix it; no connection is created or changed; no
// stack trace of this package reaches the user.

// A Rally connector that lacks rally_workspace, to show per-system required params.
const seed: SeedData = {
  ...structuredClone(DEFAULT_SEED),
  connectors: [
    ...(DEFAULT_SEED.connectors ?? []),
    {
      id: 4,
      name: "Bare Rally",
      system: "rally",
      inaccessible: false,
      params: { issue_tracker_server: "rally1.rallydev.com", issue_tracker_user: "rally_user", issue_tracker_pass: "rally_password" },
    },
  ],
};

let t: ProviderUnderTest;
let cases = 0;
let clear = 0;
let changed = 0;
beforeAll(async () => {
  t = await startProviderUnderTest({}, { seed });
});
afterAll(async () => {
  await t.api.stop();
  record("bad input", { "bad inputs": cases, "rejected with a clear message": clear, "connections created or changed": changed });
});

const ok = {
  alias: "Probe Jira",
  connector: 1,
  project: 1,
  params: {
    issue_tracker_server: "jira.example.com",
    issue_tracker_user: "pulumi-bot",
    issue_tracker_pass: "example-jira-password",
    issue_tracker_project: "PAY",
  },
};
const withParams = (params: Record<string, unknown>) => ({ ...ok, params: { ...ok.params, ...params } });

/** Runs `attempt` and checks the outcome: an error naming `property`, matching `reason`; nothing written. */
async function expectRejected(
  attempt: () => Promise<{ property: string; reason: string }[]>,
  property: string,
  reason: RegExp,
): Promise<void> {
  cases += 1;
  const before = JSON.stringify(t.api.emulator.connections());
  t.api.emulator.clearRequestLog();
  const failures = await attempt();
  // Writes the server accepted (a refused POST changes nothing, and some things only the server can tell).
  const writes = t.api.emulator.requestLog
    .filter((e) => e.method !== "GET" && !e.path.includes("test-issue-tracker") && e.status < 300)
    .map((e) => `${e.method} ${e.path}`);
  if (JSON.stringify(t.api.emulator.connections()) !== before) changed += 1;
  expect(JSON.stringify(t.api.emulator.connections())).toBe(before);
  expect(writes).toEqual([]);
  expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  for (const f of failures) expect(f.reason).not.toMatch(/\n\s+at /);
  clear += 1;
}

/** The provider's check, as `pulumi preview` runs it. */
const check = (news: Record<string, unknown>) => async () => (await t.providerWith({}).check({}, news)).failures ?? [];

/** check, then create: for what only the server decides. The thrown message stands for the failure. */
const checkThenCreate = (news: Record<string, unknown>, property: string) => async () => {
  const provider = t.providerWith({});
  const checked = await provider.check({}, news);
  if (checked.failures?.length) return checked.failures;
  const error: Error = await provider.create(checked.inputs as Record<string, unknown>).then(
    () => new Error("created"),
    (e: Error) => e,
  );
  expect(error.stack).toBe(error.message);
  return [{ property, reason: error.message }];
};

describe("through the resource", () => {
  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["no alias", { ...ok, alias: undefined }, "alias", /^is required: the name of the connection/],
    ["alias as a number", { ...ok, alias: 7 }, "alias", /^must be a string \(the connection's name\), not a number/],
    ["an empty alias", { ...ok, alias: "" }, "alias", /^must not be empty: give the connection a name/],
    ["a whitespace alias", { ...ok, alias: " \t " }, "alias", /must not be empty/],
    ["a 10,000-character alias", { ...ok, alias: "a".repeat(10_000) }, "alias", /^is too long: at most 255 characters/],
    ["a newline in the alias", { ...ok, alias: "Payments\nJira" }, "alias", /must not contain control characters .*single line/],
    ["a NUL in the alias", { ...ok, alias: "Pay\u0000ments" }, "alias", /must not contain control characters/],
    ["an escape character in the alias", { ...ok, alias: "Pay\u001b[31mments" }, "alias", /must not contain control characters/],
    [
      "a text-direction override in the alias",
      { ...ok, alias: "Payments \u202eariJ" },
      "alias",
      /must not contain control characters .*text-direction overrides/,
    ],
    ["a line separator in the alias", { ...ok, alias: "Payments\u2028Jira" }, "alias", /must not contain control characters/],
    ["a C1 control in the alias", { ...ok, alias: "Payments\u0085Jira" }, "alias", /must not contain control characters/],
    ["spaces around the alias", { ...ok, alias: " Payments Jira " }, "alias", /must not start or end with spaces: the server trims them/],
    [
      "no connector",
      { ...ok, connector: undefined },
      "connector",
      /^is required: the id \(a positive whole number\) of the issue-tracker connector/,
    ],
    ["connector as a string", { ...ok, connector: "1" }, "connector", /^must be the id .* not the string "1": write 1 without quotes/],
    ["connector as a list", { ...ok, connector: [1] }, "connector", /^must be the id .* not a list/],
    ["alias as a list", { ...ok, alias: ["Payments"] }, "alias", /^must be a string \(the connection's name\), not a list/],
    [
      "frequency as a list",
      { ...ok, frequency: ["daily"] },
      "frequency",
      /^must be one of hourly, daily, weekly, monthly, manually, not a list/,
    ],
    [
      "debugMode in quotes",
      { ...ok, debugMode: "true" },
      "debugMode",
      /^must be true or false without quotes \(a boolean, not the string "true"\)/,
    ],
    ["connector 0", { ...ok, connector: 0 }, "connector", /must be the id/],
    ["a fractional project", { ...ok, project: 1.5 }, "project", /must be the id .*SD Elements project/],
    ["no project", { ...ok, project: undefined }, "project", /^is required/],
    [
      "an unknown frequency",
      { ...ok, frequency: "fortnightly" },
      "frequency",
      /^"fortnightly" is not a valid choice: use one of hourly, daily, weekly, monthly, manually/,
    ],
    ["frequency in title case", { ...ok, frequency: "Daily" }, "frequency", /write it in lower case, "daily"/],
    ["frequency in upper case", { ...ok, frequency: "HOURLY" }, "frequency", /write it in lower case, "hourly"/],
    ["frequency as a number", { ...ok, frequency: 24 }, "frequency", /^24 is not a valid choice/],
    ["debugMode as a string", { ...ok, debugMode: "yes" }, "debugMode", /must be true or false/],
    ["testConnection as a string", { ...ok, testConnection: "no" }, "testConnection", /must be true or false/],
    ["an unknown argument", { ...ok, name: "x" }, "name", /^unknown argument name: an IssueTrackerConnection takes alias, connector/],
    [
      "a misspelt argument",
      { ...ok, frequncy: "daily" },
      "frequncy",
      /^unknown argument frequncy \(did you mean frequency\?\): an IssueTrackerConnection takes alias/,
    ],
    ["adoptId as a string", { ...ok, adoptId: "12" }, "adoptId", /must be the id .*existing connection/],
    ["no params", { ...ok, params: undefined }, "params", /^is required: a map of param names to values/],
    [
      "params as a string",
      { ...ok, params: "issue_tracker_project=PAY" },
      "params",
      /^must be a map of param names to values, not a string/,
    ],
    ["params as a list", { ...ok, params: ["PAY"] }, "params", /^must be a map of param names to values, not a list/],
    ["params as null", { ...ok, params: null }, "params", /^must be a map of param names to values, not null/],
    ["params as a number", { ...ok, params: 7 }, "params", /^must be a map of param names to values, not a number/],
    [
      "a text param holding a list",
      withParams({ issue_tracker_project: ["PAY"] }),
      "params.issue_tracker_project",
      /^must be a string, not a list/,
    ],
    ["a param holding an object", withParams({ custom_fields: { a: 1 } }), "params.custom_fields", /plain values, not lists or objects/],
    ["a param holding a list", withParams({ labels: ["a"] }), "params.labels", /plain values, not lists or objects/],
    ["a param set to null", withParams({ my_flag: null }), "params.my_flag", /^must not be null: to stop setting a param, remove its key/],
    ["sde_min_priority 0", withParams({ sde_min_priority: 0 }), "params.sde_min_priority", /^must be from 1 to 10/],
    ["sde_min_priority 11", withParams({ sde_min_priority: 11 }), "params.sde_min_priority", /^must be from 1 to 10/],
    [
      "sde_min_priority a word",
      withParams({ sde_min_priority: "high" }),
      "params.sde_min_priority",
      /^must be a whole number from 1 to 10/,
    ],
    ["sde_min_priority 7.5", withParams({ sde_min_priority: 7.5 }), "params.sde_min_priority", /whole number from 1 to 10/],
    [
      "sde_min_priority a number in quotes",
      withParams({ sde_min_priority: "8" }),
      "params.sde_min_priority",
      /^must be a whole number from 1 to 10, not the string "8": write 8 without quotes$/,
    ],
    [
      "an unknown phase",
      withParams({ issue_tracker_phases: "requirements,deployment" }),
      "params.issue_tracker_phases",
      /unknown value\(s\) "deployment": use a comma-separated list of requirements, architecture-design, development, testing/,
    ],
    [
      "no phases",
      withParams({ issue_tracker_phases: "" }),
      "params.issue_tracker_phases",
      /must not be empty: list one or more of requirements/,
    ],
    [
      "an unknown status",
      withParams({ sde_statuses_in_scope: "TODO,IN_PROGRESS" }),
      "params.sde_statuses_in_scope",
      /unknown value\(s\) "IN_PROGRESS": use .*TODO, DONE, NA/,
    ],
    [
      "an unknown verification state",
      withParams({ sde_verification_filter: "none,flaky" }),
      "params.sde_verification_filter",
      /unknown value\(s\) "flaky"/,
    ],
    [
      "a title format without $task_id",
      withParams({ issue_tracker_title_format: "$title" }),
      "params.issue_tracker_title_format",
      /must contain \$task_id, e\.g\. "\$task_id \$title"/,
    ],
    [
      "a title format without $title",
      withParams({ issue_tracker_title_format: "[$project] $task_id" }),
      "params.issue_tracker_title_format",
      /must contain \$title/,
    ],
    [
      "a title format with an unknown placeholder",
      withParams({ issue_tracker_title_format: "$task_id $title $owner" }),
      "params.issue_tracker_title_format",
      /unknown placeholder\(s\) \$owner/,
    ],
    [
      "a URL as the tracker server",
      withParams({ issue_tracker_server: "https://jira.example.com" }),
      "params.issue_tracker_server",
      /is a host name, not a URL: drop "https:\/\/" and set issue_tracker_method to "https"/,
    ],
    [
      "a server with a path",
      withParams({ issue_tracker_server: "jira.example.com/jira" }),
      "params.issue_tracker_server",
      /is a host name, not a path: set it to "jira\.example\.com" and issue_tracker_context_root to "\/jira"/,
    ],
    [
      "a server that is not a host name",
      withParams({ issue_tracker_server: "jira example" }),
      "params.issue_tracker_server",
      /host name with an optional :port/,
    ],
    ["a Jira version as a number", withParams({ jira_version: 5 }), "params.jira_version", /^must be a string: write the value in quotes/],
    [
      "a known param set to null",
      withParams({ issue_tracker_user: null }),
      "params.issue_tracker_user",
      /^must not be null: to leave it to the connector, remove the key/,
    ],
    [
      "an unknown protocol",
      withParams({ issue_tracker_method: "ftp" }),
      "params.issue_tracker_method",
      /"ftp" is not a valid choice: use one of http, https/,
    ],
    [
      "validate_cert as a string",
      withParams({ issue_tracker_validate_cert: "false" }),
      "params.issue_tracker_validate_cert",
      /must be true or false without quotes \(a boolean, not the string "false"\)/,
    ],
    [
      "an empty tracker project",
      withParams({ issue_tracker_project: "" }),
      "params.issue_tracker_project",
      /must not be empty: give the tracker project/,
    ],
    [
      "a 10,000-character param",
      withParams({ issue_tracker_parent_issue: "P".repeat(10_000) }),
      "params.issue_tracker_parent_issue",
      /is too long: at most 255/,
    ],
    [
      "a Jira version that is not one",
      withParams({ jira_version: "latest" }),
      "params.jira_version",
      /must be a Jira version number, 4 or later/,
    ],
    [
      "an unknown auth mode",
      withParams({ issue_tracker_auth_mode: "oauth" }),
      "params.issue_tracker_auth_mode",
      /"oauth" is not a valid choice: use one of basic, api_token/,
    ],
  ])("%s", (_what, news, property, reason) => expectRejected(check(news), property, reason));

  test("an unknown connector", () =>
    expectRejected(check({ ...ok, connector: 99 }), "connector", /no issue-tracker connector with id 99 .*use the id of a connector/));
  test("an unknown project", () => expectRejected(check({ ...ok, project: 999 }), "project", /Invalid pk "999" - object does not exist/));
  test("a per-system required param missing (Rally without rally_workspace)", () =>
    expectRejected(
      check({ ...ok, connector: 4, params: { issue_tracker_project: "Rally Project" } }),
      "params.rally_workspace",
      /is required for CA Agile Central \(formerly Rally\) connections: set it on the connection or on its connector/,
    ));
  test("an api_token auth mode without a token", () =>
    expectRejected(
      check(withParams({ issue_tracker_auth_mode: "api_token" })),
      "params.issue_tracker_api_token",
      /is required for JIRA connections with issue_tracker_auth_mode "api_token"/,
    ));
  test("a Rally task card without a parent story", () =>
    expectRejected(
      check({ ...ok, connector: 2, project: 2, params: { issue_tracker_project: "Rally Project", rally_card_type: "Task" } }),
      "params.issue_tracker_parent_issue",
      /is required when rally_card_type is "Task"/,
    ));
  test("a non-manual frequency where the organisation lacks the advanced feature", async () => {
    const basic = await startProviderUnderTest({}, { seed: { ...seed, settings: { advancedIssueTracker: false } } });
    const saved = t;
    t = basic;
    try {
      await expectRejected(
        checkThenCreate({ ...ok, frequency: "daily" }, "frequency"),
        "frequency",
        /frequency: Organizations without the advanced Issue Tracker feature can only choose "manually"/,
      );
    } finally {
      t = saved;
      await basic.api.stop();
    }
  });
  test("an API token without the edit permission", async () => {
    const readOnly = t.providerWith({ token: READ_ONLY_TOKEN });
    await expectRejected(
      async () => {
        const error: Error = await readOnly.check({}, ok).then(
          () => new Error("checked"),
          (e: Error) => e,
        );
        expect(error.stack).toBe(error.message);
        return [{ property: "sdelements:apiToken", reason: error.message }];
      },
      "sdelements:apiToken",
      /403.*lacks the 'Edit Issue Tracker connections' permission/,
    );
  });
  test("Unicode in the alias is accepted as it is", async () => {
    const result = await t.providerWith({}).check({}, { ...ok, alias: "Zahlungen – Jira ✓ 支付" });
    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs).toMatchObject({ alias: "Zahlungen – Jira ✓ 支付" });
  });
});

describe("through the functions", () => {
  beforeAll(() =>
    pulumi.runtime.setAllConfig({ "sdelements:url": t.api.emulator.url, "sdelements:apiToken": DEFAULT_TOKEN }, ["sdelements:apiToken"]),
  );
  const thrown = (attempt: () => Promise<unknown>, property: string) => async () => {
    const error: Error = await attempt().then(
      () => new Error("no error"),
      (e: Error) => e,
    );
    expect(error.stack).toBe(`SdeApiError: ${error.message}`);
    return [{ property, reason: error.message }];
  };
  test.each<[string, () => Promise<unknown>, string, RegExp]>([
    [
      "an id that is not a number",
      () => getIssueTrackerConnection("abc" as never),
      "id",
      /invalid connection id: \(body\): must be the id \(a positive whole number\) of the connection, not "abc"/,
    ],
    ["a negative id", () => getIssueTrackerConnection(-1), "id", /must be the id \(a positive whole number\) of the connection/],
    [
      "a project filter that is not a number",
      () => getIssueTrackerConnections({ project: "x" as never }),
      "project",
      /invalid project id: .*not "x"/,
    ],
    [
      "test params that are not an object",
      () => testIssueTrackerConnection({ params: "x" as never }),
      "params",
      /invalid connection test: params: must be a map of param names to values, not a string/,
    ],
    [
      "test params with a bad priority",
      () => testIssueTrackerConnection({ params: { sde_min_priority: 42 } }),
      "params.sde_min_priority",
      /params\.sde_min_priority: must be from 1 to 10/,
    ],
    [
      "test params with a priority in quotes",
      () => testIssueTrackerConnection({ params: { sde_min_priority: "8" } as never }),
      "params.sde_min_priority",
      /params\.sde_min_priority: must be a whole number from 1 to 10, not the string "8": write 8 without quotes$/,
    ],
    [
      "an empty tracker project to test",
      () => testIssueTrackerConnection({ params: { issue_tracker_project: "" } }),
      "params.issue_tracker_project",
      /params\.issue_tracker_project: must not be empty/,
    ],
    [
      "a 10,000-character param to test",
      () => testIssueTrackerConnection({ params: { issue_tracker_parent_issue: "x".repeat(10_000) } }),
      "params.issue_tracker_parent_issue",
      /is too long: at most 255/,
    ],
    [
      "a NUL in a param to test",
      () => testIssueTrackerConnection({ params: { issue_tracker_user: "bot\u0000" } }),
      "params.issue_tracker_user",
      /must not contain NUL characters/,
    ],
    [
      "a connector id that is a word",
      () => testIssueTrackerConnection({ connector: "jira" as never, params: {} }),
      "connector",
      /connector: must be the id/,
    ],
    [
      "a misspelt argument to test",
      () => testIssueTrackerConnection({ conector: 1, params: {} } as never),
      "conector",
      /invalid connection test: \(body\): unknown argument conector \(did you mean connector\?\): testIssueTrackerConnection takes connector, project, alias, name, system and params/,
    ],
    [
      "a misspelt list filter",
      () => getIssueTrackerConnections({ projct: 1 } as never),
      "projct",
      /invalid connection list filter: \(body\): unknown filter projct \(did you mean project\?\): a connection list takes project, includeLastJob and pageSize/,
    ],
    [
      "test arguments that are a list",
      () => testIssueTrackerConnection([] as never),
      "(body)",
      /invalid connection test: \(body\): must be an object of arguments, not a list/,
    ],
    [
      "a misspelt key of the system to test",
      () => testIssueTrackerConnection({ connector: 2, system: { id: "rally", nmae: "Rally" } as never, params: {} }),
      "system",
      /invalid connection test: system: unknown key nmae \(did you mean name\?\): system takes id, name and short_name \(only id is needed\), e\.g\. \{ id: "jira" \}$/,
    ],
    [
      "a system to test that is a string",
      () => testIssueTrackerConnection({ connector: 2, system: "rally" as never, params: {} }),
      "system",
      /invalid connection test: system: must name the system as an object, e\.g\. \{ id: "jira" \}, not a string$/,
    ],
    [
      "project lookups that are not a list",
      () => getProjectIds({ name: "Payments" } as never),
      "(body)",
      /^invalid project lookups: \(body\): getProjectIds takes a list of project lookups, e\.g\. \[\{ name: "Payments" \}, .*\], not an object$/,
    ],
    [
      "project lookups that are a string",
      () => getProjectIds("Payments" as never),
      "(body)",
      /^invalid project lookups: \(body\): getProjectIds takes a list of project lookups, .*not a string$/,
    ],
    [
      "a misspelt argument of one project lookup",
      () => getProjectIds([{ name: "Payments" }, { name: "Checkout", aplication: "Finance App" }] as never),
      "1",
      /^invalid project lookups: 1: unknown argument aplication \(did you mean application\?\): each project lookup of getProjectIds takes name, application and businessUnit$/,
    ],
    [
      "a page size out of range",
      () => getIssueTrackerConnections({ pageSize: 5000 }),
      "pageSize",
      /^invalid connection list filter: pageSize: must be at most 1000$/,
    ],
  ])("%s", (_what, attempt, property, reason) => expectRejected(thrown(attempt, property), property, reason));
});

describe("through the provider's settings", () => {
  const withConfig = (config: Record<string, string>, property: string) => async () => {
    const { clientOptionsFromConfig } = await import("../../src/provider/settings");
    const { SdeClient } = await import("../../src/client");
    const error: Error = await Promise.resolve()
      .then(() => new SdeClient(clientOptionsFromConfig({ get: (k) => config[k] }, {}), {}))
      .then(
        () => new Error("accepted"),
        (e: Error) => e,
      );
    expect(error.stack).toBe(`SdeApiError: ${error.message}`);
    // The error names the setting; the case states which one it is about.
    expect(error.message).toContain(property);
    return [{ property, reason: error.message }];
  };
  test.each<[string, Record<string, string>, string, RegExp]>([
    [
      "a URL that is not http(s)",
      { "sdelements:url": "ftp://sde.example.com", "sdelements:apiToken": "t" },
      "sdelements:url",
      /url \(sdelements:url, SDE_URL\): must be an http\(s\) URL/,
    ],
    [
      "a URL that is not a URL",
      { "sdelements:url": "sde.example.com", "sdelements:apiToken": "t" },
      "sdelements:url",
      /must be an http\(s\) URL such as https:\/\/sde\.example\.com/,
    ],
    [
      "an empty token",
      { "sdelements:url": "https://sde.example.com", "sdelements:apiToken": "" },
      "sdelements:apiToken",
      /token \(sdelements:apiToken, SDE_API_TOKEN\): is required/,
    ],
    [
      "a whitespace token",
      { "sdelements:url": "https://sde.example.com", "sdelements:apiToken": "  " },
      "sdelements:apiToken",
      /token \(sdelements:apiToken, SDE_API_TOKEN\): must not be empty or whitespace/,
    ],
  ])("%s", (_what, config, property, reason) => expectRejected(withConfig(config, property), property, reason));
});

test("through Pulumi's dynamic-provider host, preview reports each bad resource and creates nothing", async () => {
  const stack = await startLocalStack(() => {
    new IssueTrackerConnection("bad-frequency", { ...ok, frequency: "Weekly" as never });
    new IssueTrackerConnection("bad-alias", { ...ok, alias: "x".repeat(10_000) });
    new IssueTrackerConnection("bad-connector", { ...ok, connector: 99 });
  });
  try {
    const error: DeploymentError = await stack.engine.preview().catch((e) => e);
    cases += 3;
    expect(error.errors.sort()).toEqual([
      expect.stringMatching(/::bad-alias: property alias: is too long: at most 255 characters/),
      expect.stringMatching(/::bad-connector: property connector: there is no issue-tracker connector with id 99/),
      expect.stringMatching(/::bad-frequency: property frequency: "Weekly" is not a valid choice: write it in lower case, "weekly"/),
    ]);
    clear += 3;
    expect(stack.hostLog.join("\n")).not.toMatch(/^\s+at /m);
    expect(stack.emulator.connections().map((c) => c.alias)).toEqual(["Rally Integration"]);
  } finally {
    await stack.stop();
  }
});
