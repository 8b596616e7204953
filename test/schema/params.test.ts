// Params rules: checkMergedParams (per-system and per-auth-mode requirements, Rally tasks), the PATCH schema and titleFormatSchema.
import { checkMergedParams, connectionParamsPatchSchema, titleFormatSchema, type Params } from "../../src/schema/params";

/** Everything a Jira connection with basic auth needs. */
const jira: Params = {
  issue_tracker_server: "jira.example.com",
  issue_tracker_project: "PAY",
  issue_tracker_user: "sindy",
  issue_tracker_pass: "pw",
  jira_version: "8",
};

const keysOf = (systemId: string, merged: Params) => checkMergedParams(systemId, merged).map((p) => p.key);

describe("checkMergedParams", () => {
  test("a complete connection has no problems", () => {
    expect(checkMergedParams("jira", jira)).toEqual([]);
  });

  test.each([
    ["jira", "jira_version", "JIRA"],
    ["rally", "rally_workspace", "CA Agile Central (formerly Rally)"],
    ["github", "github_repo_owner", "GitHub"],
  ])("%s needs %s", (systemId, key, systemName) => {
    const { jira_version: _v, ...common } = jira;
    const problems = checkMergedParams(systemId, common);
    expect(problems).toEqual([{ key, message: `is required for ${systemName} connections: set it on the connection or on its connector` }]);
    expect(checkMergedParams(systemId, { ...common, [key]: "value" })).toEqual([]);
  });

  test.each(["issue_tracker_server", "issue_tracker_project"])("every system needs %s", (key) => {
    expect(keysOf("gitlab", { ...jira, [key]: undefined } as unknown as Params)).toEqual([key]);
  });

  test.each([
    ["missing", undefined],
    ["null", null],
    ["blank", "  "],
  ])("a %s value counts as not set", (_name, value) => {
    expect(keysOf("jira", { ...jira, jira_version: value } as Params)).toEqual(["jira_version"]);
  });

  test("basic auth (the default) needs a user and a password, and says so", () => {
    const { issue_tracker_user: _u, issue_tracker_pass: _p, ...rest } = jira;
    const problems = checkMergedParams("jira", rest);
    expect(problems.map((p) => p.key)).toEqual(["issue_tracker_user", "issue_tracker_pass"]);
    expect(problems[0]!.message).toContain('with issue_tracker_auth_mode "basic"');
    expect(keysOf("jira", { ...rest, issue_tracker_auth_mode: "basic" })).toEqual(["issue_tracker_user", "issue_tracker_pass"]);
  });

  test("api_token auth needs issue_tracker_api_token and no password", () => {
    const { issue_tracker_user: _u, issue_tracker_pass: _p, ...rest } = jira;
    const tokenAuth = { ...rest, issue_tracker_auth_mode: "api_token" };
    const problems = checkMergedParams("jira", tokenAuth);
    expect(problems.map((p) => p.key)).toEqual(["issue_tracker_api_token"]);
    expect(problems[0]!.message).toContain('with issue_tracker_auth_mode "api_token"');
    expect(checkMergedParams("jira", { ...tokenAuth, issue_tracker_api_token: "tok" })).toEqual([]);
  });

  test("an unknown system only needs the common params, and is named by its id", () => {
    const problems = checkMergedParams("acme", { issue_tracker_user: "u", issue_tracker_pass: "p" });
    expect(problems.map((p) => p.key)).toEqual(["issue_tracker_server", "issue_tracker_project"]);
    expect(problems[0]!.message).toMatch(/^is required for acme connections/);
  });

  describe("Rally card types", () => {
    const rally: Params = { ...jira, jira_version: null, rally_workspace: "Main" };

    test("a Task needs a parent issue", () => {
      expect(checkMergedParams("rally", { ...rally, rally_card_type: "Task" })).toEqual([
        { key: "issue_tracker_parent_issue", message: 'is required when rally_card_type is "Task": name the parent story' },
      ]);
      expect(checkMergedParams("rally", { ...rally, rally_card_type: "Task", issue_tracker_parent_issue: "US12" })).toEqual([]);
    });

    test("a parent issue needs the Task card type, when a card type is set", () => {
      expect(keysOf("rally", { ...rally, rally_card_type: "Story", issue_tracker_parent_issue: "US12" })).toEqual(["rally_card_type"]);
      expect(keysOf("rally", { ...rally, issue_tracker_parent_issue: "US12" })).toEqual([]);
      expect(keysOf("jira", { ...jira, rally_card_type: "Story", issue_tracker_parent_issue: "PAY-1" })).toEqual([]);
    });
  });
});

describe("connectionParamsPatchSchema", () => {
  test("accepts null for known keys (null removes the connection's own value)", () => {
    const patch = {
      issue_tracker_pass: null,
      sde_min_priority: null,
      issue_tracker_title_format: null,
      jira_version: null,
      vendor_option: null,
    };
    expect(connectionParamsPatchSchema.parse(patch)).toEqual(patch);
  });

  test("still checks and normalises the values it is given", () => {
    expect(connectionParamsPatchSchema.parse({ sde_min_priority: "8", issue_tracker_project: "PAY" })).toEqual({
      sde_min_priority: 8,
      issue_tracker_project: "PAY",
    });
    expect(connectionParamsPatchSchema.safeParse({ sde_min_priority: 11 }).success).toBe(false);
    expect(connectionParamsPatchSchema.safeParse({ vendor_option: ["a"] }).success).toBe(false);
  });
});

describe("titleFormatSchema", () => {
  test.each(["$task_id $title", "${task_id} ${title}", "[${task_id}] $title ($project)", "$title - $task_id$context"])(
    "accepts %j",
    (format) => {
      expect(titleFormatSchema.safeParse(format).success).toBe(true);
    },
  );

  test.each([
    ["$title", /must contain \$task_id, e\.g\./],
    ["${task_id}", /must contain \$title/],
    ["plain", /must contain \$task_id and \$title/],
    ["$task_id $title $owner", /uses unknown placeholder\(s\) \$owner: use only \$task_id, \$title, \$context, \$application, \$project/],
    ["${task_id} ${titl}", /uses unknown placeholder\(s\) \$titl/],
    ["   ", /must not be empty/],
  ])("rejects %j", (format, message) => {
    const result = titleFormatSchema.safeParse(format);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message).join("; ")).toMatch(message);
  });
});
