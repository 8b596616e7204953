// connectionInputsSchema (defaults, unknown arguments, adoptId), toApiBody (the program's arguments to the API body),
// and what decides whether the connection test runs again (sameTestedSettings, testedSettingsText).
import { connectionInputsSchema, sameTestedSettings, testedSettingsText, toApiBody, type ConnectionInputs } from "../../src/model/inputs";

const minimal = { alias: "Payments Jira", connector: 1, project: 2, params: { issue_tracker_project: "PAY" } };

/** The messages of a failed parse, as `path: message`. */
function problems(input: unknown): string[] {
  const result = connectionInputsSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("connectionInputsSchema", () => {
  test("fills the defaults: manual syncs, no debug mode, test the connection", () => {
    expect(connectionInputsSchema.parse(minimal)).toEqual({ ...minimal, frequency: "manually", debugMode: false, testConnection: true });
  });

  test("keeps what the program gives", () => {
    const given = { ...minimal, frequency: "weekly", debugMode: true, testConnection: false, adoptId: 9 };
    expect(connectionInputsSchema.parse(given)).toEqual(given);
  });

  test("normalises params to the API's types", () => {
    expect(connectionInputsSchema.parse({ ...minimal, params: { issue_tracker_project: "PAY", sde_min_priority: "8" } }).params).toEqual({
      issue_tracker_project: "PAY",
      sde_min_priority: 8,
    });
  });

  test("rejects an unknown argument, naming it and listing the valid ones", () => {
    const [message, ...rest] = problems({ ...minimal, debug_mode: true });
    expect(rest).toEqual([]);
    expect(message).toContain("unknown argument debug_mode (did you mean debugMode?)");
    expect(message).toContain("alias, connector, project, frequency, debugMode, params, testConnection and adoptId");
  });

  test("rejects what is not an object of arguments", () => {
    expect(problems("alias")).toEqual([": must be an object of arguments, not a string"]);
  });

  test.each([
    ["zero", 0],
    ["negative", -3],
    ["a fraction", 1.5],
    ["a numeric string", "12"],
  ])("rejects adoptId that is %s", (_name, adoptId) => {
    const messages = problems({ ...minimal, adoptId });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^adoptId: must be the id \(a positive whole number\) of the existing connection to bring under management/);
  });

  test.each([
    ["frequency", "Daily", /write it in lower case, "daily"/],
    ["debugMode", "true", /must be true or false/],
    ["testConnection", 1, /must be true or false/],
    ["alias", "", /must not be empty/],
    ["connector", 0, /connector the connection uses/],
  ])("rejects a bad %s", (field, value, message) => {
    const messages = problems({ ...minimal, [field]: value });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.startsWith(`${field}: `)).toBe(true);
    expect(messages[0]).toMatch(message);
  });

  test("requires alias, connector, project and params", () => {
    expect(problems({}).map((m) => m.split(":")[0])).toEqual(["alias", "connector", "project", "params"]);
  });
});

describe("toApiBody", () => {
  test("maps the inputs to the API's fields, leaving out the provider's own", () => {
    const inputs: ConnectionInputs = {
      alias: "Payments Jira",
      connector: 1,
      project: 2,
      frequency: "hourly",
      debugMode: true,
      params: { issue_tracker_project: "PAY", issue_tracker_pass: "pw-123456" },
      testConnection: false,
      adoptId: 7,
    };
    expect(toApiBody(inputs)).toEqual({
      alias: "Payments Jira",
      connector: 1,
      project: 2,
      frequency: "hourly",
      debug_mode: true,
      params: { issue_tracker_project: "PAY", issue_tracker_pass: "pw-123456" },
    });
  });
});

describe("the settings the connection test depends on", () => {
  const settings = { connector: 1, project: 2, params: { issue_tracker_project: "PAY", issue_tracker_user: "bot", sde_min_priority: 7 } };
  const reordered = { project: 2, connector: 1, params: { sde_min_priority: 7, issue_tracker_user: "bot", issue_tracker_project: "PAY" } };

  test("the same settings in another key order are the same, with the same text", () => {
    expect(sameTestedSettings(settings, reordered)).toBe(true);
    expect(testedSettingsText(reordered)).toBe(testedSettingsText(settings));
  });

  test("fields outside connector, project, params and adoptId do not count", () => {
    expect(sameTestedSettings({ ...settings, alias: "a", frequency: "daily" } as never, { ...settings, alias: "b" } as never)).toBe(true);
  });

  test.each([
    ["another connector", { ...settings, connector: 3 }],
    ["another project", { ...settings, project: 1 }],
    ["a changed param", { ...settings, params: { ...settings.params, issue_tracker_user: "other" } }],
    ["a param of another type", { ...settings, params: { ...settings.params, sde_min_priority: "7" } }],
    ["an added param", { ...settings, params: { ...settings.params, issue_tracker_parent_issue: "PAY-1" } }],
    ["a removed param", { ...settings, params: { issue_tracker_project: "PAY", issue_tracker_user: "bot" } }],
    ["a removed param replaced by another", { ...settings, params: { issue_tracker_project: "PAY", issue_tracker_user: "bot", other: 7 } }],
    ["no params", { connector: 1, project: 2 }],
    ["an adopted connection (its own params are the test's base)", { ...settings, adoptId: 7 }],
  ])("%s differs, in the comparison and in the text", (_what, other) => {
    expect(sameTestedSettings(settings, other)).toBe(false);
    expect(sameTestedSettings(other, settings)).toBe(false);
    expect(testedSettingsText(other)).not.toBe(testedSettingsText(settings));
  });
});
