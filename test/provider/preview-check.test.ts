// checkArguments: the program's arguments checked before any API call, preview unknowns left alone.
import { PROVIDER_KEY } from "../../src/model/inputs";
import { UNKNOWN } from "../../src/model/unknowns";
import { checkArguments } from "../../src/provider/preview-check";

const declared = { alias: "Payments Jira", connector: 1, project: 2, params: { issue_tracker_project: "PAY", sde_min_priority: 8 } };
const filled = {
  ...declared,
  frequency: "manually",
  debugMode: false,
  testConnection: true,
  params: { issue_tracker_project: "PAY", sde_min_priority: 8 },
};

test("known arguments: checked, defaults filled, values in the API's types, complete; the engine's own key left out", () => {
  const checked = checkArguments({ ...declared, [PROVIDER_KEY]: "exports.handler = ..." });
  expect(checked).toEqual({ outcome: "checked", inputs: filled, complete: filled });
  expect(checked.outcome === "checked" && checked.inputs).toBe(checked.outcome === "checked" && checked.complete);
});

test("with preview unknowns: checked but not complete, each unknown back where the program had it", () => {
  const checked = checkArguments({ ...declared, project: UNKNOWN, params: { ...declared.params, issue_tracker_user: UNKNOWN } });
  expect(checked).toEqual({
    outcome: "checked",
    inputs: { ...filled, project: UNKNOWN, params: { ...filled.params, issue_tracker_user: UNKNOWN } },
    complete: undefined,
  });
});

test("refused: one failure per argument, an argument it does not take named whatever its value", () => {
  expect(checkArguments({ ...declared, alias: "", frequncy: UNKNOWN })).toEqual({
    outcome: "refused",
    failures: [
      { property: "frequncy", reason: expect.stringMatching(/^unknown argument frequncy \(did you mean frequency\?\)/) },
      { property: "alias", reason: "must not be empty: give the connection a name" },
    ],
  });
});

test("a problem only with values not known yet is not reported: pending", () => {
  // A required argument that is unknown is not missing; params that are wholly unknown hold no bad param.
  expect(checkArguments({ ...declared, alias: UNKNOWN, params: UNKNOWN })).toEqual({
    outcome: "checked",
    inputs: { ...filled, alias: UNKNOWN, params: UNKNOWN },
    complete: undefined,
  });
  expect(checkArguments({ ...declared, params: { issue_tracker_project: UNKNOWN, sde_min_priority: [UNKNOWN] } })).toEqual({
    outcome: "pending",
  });
});
