// connectionInputsSchema: defaults, unknown arguments, adoptId.
import { connectionInputsSchema } from "../../src/model/inputs";

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

  test("refuses a number given as a string, naming the param and the fix (the API would take it; a program means a number)", () => {
    expect(problems({ ...minimal, params: { issue_tracker_project: "PAY", sde_min_priority: "8" } })).toEqual([
      'params.sde_min_priority: must be a whole number from 1 to 10, not the string "8": write 8 without quotes',
    ]);
    expect(connectionInputsSchema.parse({ ...minimal, params: { issue_tracker_project: "PAY", sde_min_priority: 8 } }).params).toEqual({
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
    expect(messages[0]).toMatch(
      /^adoptId: must be the id \(a positive whole number\) of the existing connection to bring under management/,
    );
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
