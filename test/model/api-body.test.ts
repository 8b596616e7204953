// The program's arguments as API bodies (toApiBody, patchFor) and back (programFieldsOf), through the field table.
import { toApiBody } from "../../src/model/api-body";
import type { ConnectionInputs } from "../../src/model/inputs";

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
