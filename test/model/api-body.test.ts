// The program's arguments as the API's create body (toApiBody), and check's result as create and update get it (acceptInputs).
import { acceptInputs, toApiBody } from "../../src/model/api-body";
import { connectionInputsSchema, PROVIDER_KEY, type ConnectionInputs } from "../../src/model/inputs";
import { isCheckedWith } from "../../src/schema/checked";
import { connectionCreateSchema } from "../../src/schema/connection";

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

describe("acceptInputs", () => {
  const checked = connectionInputsSchema.parse({
    alias: "Payments Jira",
    connector: 1,
    project: 2,
    params: { issue_tracker_project: "PAY", sde_min_priority: 8 },
    adoptId: 7,
  });

  test("takes check's result as the engine hands it over: the same inputs, and their body checked with the client's create schema", () => {
    const accepted = acceptInputs({ ...checked, [PROVIDER_KEY]: "exports.handler = ..." });
    if (!accepted.accepted) throw new Error(accepted.problem);
    expect(accepted.inputs).toEqual(checked);
    expect(accepted.body).toEqual(toApiBody(checked));
    expect(isCheckedWith(accepted.body, connectionCreateSchema)).toBe(true);
  });

  test("fills what a bag that skipped check leaves out with the program's defaults", () => {
    const accepted = acceptInputs({ alias: "Payments Jira", connector: 1, project: 2, params: {} });
    expect(accepted).toMatchObject({ accepted: true, inputs: { frequency: "manually", debugMode: false, testConnection: true } });
    expect(accepted.accepted && accepted.inputs).not.toHaveProperty("adoptId");
  });

  test("refuses a bag check would not have returned, naming each field", () => {
    const accepted = acceptInputs({ ...checked, connector: "one", testConnection: "yes", params: { sde_min_priority: 0 } });
    expect(accepted.accepted).toBe(false);
    const problem = accepted.accepted ? "" : accepted.problem;
    expect(problem).toMatch(
      /^connector: must be the id.*; params\.sde_min_priority: must be from 1 to 10; testConnection: must be true or false/,
    );
  });
});
