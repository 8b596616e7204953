import { DEFAULT_SEED } from "../../src/emulator";
import { effectiveParams, responseParams } from "../../src/emulator/params-merge";
import { minimalParams, SERVER_REPORTED_PARAMS } from "../../src/export/minimal-params";
import type { Params } from "../../src/schema/params";

// The API answers with params merged from the defaults, the connector's, the project's names and the
// connection's own; the exporter must recover what differs from what the connection inherits. The server
// answers are built with the emulator's own merge (src/emulator/params-merge.ts).

const jira = DEFAULT_SEED.connectors?.find((c) => c.id === 1)?.params as Params;
const PROJECT_NAMES = { project: "Project 1", application: "Finance App", businessUnit: "BU" };

/** What the API would answer for a Jira connection with these own params. */
function served(own: Params, connector: Params = jira, lastSuccessfulRun?: string): Params {
  return responseParams(effectiveParams({ connector, project: PROJECT_NAMES, own }), { systemId: "jira", lastSuccessfulRun });
}

test("keeps exactly the params that differ from the connector and the defaults, with their server values", () => {
  const own = {
    issue_tracker_project: "PAY",
    issue_tracker_phases: "requirements,testing",
    sde_min_priority: 5,
    custom_label: "blue",
    issue_tracker_validate_cert: false,
  };
  expect(minimalParams(served(own), jira)).toEqual({ params: own, credentialKeys: [] });
});

test("drops a param equal to what the connector or the defaults give, even when the connection set it", () => {
  const own = {
    issue_tracker_project: "PAY",
    issue_tracker_server: "bugs.server.co",
    sde_min_priority: 7,
    issue_tracker_title_format: "$task_id $title",
  };
  expect(minimalParams(served(own), jira).params).toEqual({ issue_tracker_project: "PAY" });
});

test("a priority the server answers as a numeric string is written as the number a program must declare", () => {
  const server = { ...served({ issue_tracker_project: "PAY" }), sde_min_priority: "5" };
  expect(minimalParams(server, jira).params).toEqual({ issue_tracker_project: "PAY", sde_min_priority: 5 });
  // The default, as a string, is still the default: not managed.
  expect(minimalParams({ ...server, sde_min_priority: "7" }, jira).params).toEqual({ issue_tracker_project: "PAY" });
});

test("keeps a default value the connector overrides: the connection differs from what it would inherit", () => {
  const connector = { ...jira, title_format: "[SDE] $task_id $title" };
  const own = { issue_tracker_project: "PAY", issue_tracker_title_format: "$task_id $title" };
  expect(minimalParams(served(own, connector), connector).params).toEqual(own);
});

test('compares the connector\'s values as a connection inherits them (sde_min_priority "7" is 7)', () => {
  expect(jira.sde_min_priority).toBe("7");
  expect(minimalParams(served({ issue_tracker_project: "PAY", sde_min_priority: 7 }), jira).params).toEqual({
    issue_tracker_project: "PAY",
  });
});

test("a credential equal to the connector's is inherited; one of its own is managed, by key only", () => {
  const inherited = minimalParams(served({ issue_tracker_project: "PAY", issue_tracker_pass: "id" }), jira);
  expect(inherited).toEqual({ params: { issue_tracker_project: "PAY" }, credentialKeys: [] });
  const own = minimalParams(
    served({ issue_tracker_project: "PAY", issue_tracker_pass: "its-own-password", issue_tracker_api_token: "t0k" }),
    jira,
  );
  expect(own).toEqual({ params: { issue_tracker_project: "PAY" }, credentialKeys: ["issue_tracker_api_token", "issue_tracker_pass"] });
  expect(JSON.stringify(own)).not.toContain("its-own-password");
});

test("never keeps what the server reports about itself", () => {
  const answer = { ...served({ issue_tracker_project: "PAY" }, jira, "2024-01-01T00:00:00Z"), session_capture_socket: "/tmp/x" };
  for (const key of [
    "sde_project",
    "sde_application",
    "sde_businessunit",
    "issue_tracker_reference_context",
    "last_successful_run",
    "session_capture_socket",
  ]) {
    expect(answer).toHaveProperty(key);
    expect(SERVER_REPORTED_PARAMS).toContain(key);
  }
  expect(minimalParams(answer, jira).params).toEqual({ issue_tracker_project: "PAY" });
});

test("without the connector's params, keeps everything that is not a default (still unchanged on adoption)", () => {
  const result = minimalParams(served({ issue_tracker_project: "PAY" }), undefined);
  expect(result.params).toEqual({
    issue_tracker_project: "PAY",
    issue_tracker_server: "bugs.server.co",
    issue_tracker_user: "Sindy",
    jira_version: "5",
  });
  expect(result.credentialKeys).toEqual(["issue_tracker_pass"]);
});

test("a null the server reports for something nothing sets is no setting", () => {
  expect(minimalParams({ issue_tracker_project: "PAY", issue_tracker_parent_issue: null }, {}).params).toEqual({
    issue_tracker_project: "PAY",
  });
});

test("keys come out sorted, whatever order the server used", () => {
  const result = minimalParams({ zeta: "z", issue_tracker_project: "PAY", alpha: "a" }, {});
  expect(Object.keys(result.params)).toEqual(["alpha", "issue_tracker_project", "zeta"]);
});
