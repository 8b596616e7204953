import { planAdoption } from "../../src/export/adoption-plan";
import { ExportError } from "../../src/export/export-error";
import type { Connection } from "../../src/schema/connection";
import type { Params } from "../../src/schema/params";

// planAdoption on connections as the API answers them (server data, no HTTP needed for a pure function).

const JIRA_CONNECTOR: Params = { issue_tracker_server: "jira.example.com", issue_tracker_user: "bot", issue_tracker_pass: "connector-pw" };

function served(id: number, project: number, alias: string, params: Params, more: Partial<Connection> = {}): Connection {
  return {
    id,
    alias,
    project,
    connector: 1,
    frequency: "manually",
    debug_mode: false,
    command: "sync_jira",
    inaccessible: false,
    system: { id: "jira", name: "JIRA" },
    params: { ...JIRA_CONNECTOR, sde_project: `Project ${project}`, ...params },
    ...more,
  };
}

const connectors = new Map([[1, JIRA_CONNECTOR]]);

test("every connection adopted by id, sorted and named, credentials as config keys", () => {
  const plan = planAdoption(
    [
      served(
        9,
        2,
        "Ops Jira",
        { issue_tracker_project: "OPS", issue_tracker_pass: "ops-own-pw" },
        { frequency: "daily", debug_mode: true },
      ),
      served(4, 1, "Payments Jira", { issue_tracker_project: "PAY" }),
    ],
    connectors,
  );
  expect(plan.connections).toEqual([
    {
      name: "p1-payments-jira",
      id: 4,
      alias: "Payments Jira",
      connector: 1,
      project: 1,
      projectName: "Project 1",
      frequency: "manually",
      debugMode: false,
      params: { issue_tracker_project: "PAY" },
      credentials: {},
    },
    {
      name: "p2-ops-jira",
      id: 9,
      alias: "Ops Jira",
      connector: 1,
      project: 2,
      projectName: "Project 2",
      frequency: "daily",
      debugMode: true,
      params: { issue_tracker_project: "OPS" },
      credentials: { issue_tracker_pass: "p2-ops-jira.issue_tracker_pass" },
    },
  ]);
  expect(plan.secrets).toEqual([{ configKey: "p2-ops-jira.issue_tracker_pass", resource: "p2-ops-jira", param: "issue_tracker_pass" }]);
  expect(plan.problems).toEqual([]);
  expect(JSON.stringify(plan)).not.toContain("ops-own-pw");
});

test("the same connections in any order make the same plan", () => {
  const connections = Array.from({ length: 30 }, (_, i) =>
    served(100 + i, 1 + (i % 3), i % 4 === 0 ? "Same Alias" : `Alias ${i}`, { issue_tracker_project: `P${i}` }),
  );
  const reversed = [...connections].reverse();
  expect(JSON.stringify(planAdoption(reversed, connectors))).toBe(JSON.stringify(planAdoption(connections, connectors)));
});

test("server data the provider would refuse is reported naming the connection and the field; the credential stays hidden", () => {
  const plan = planAdoption(
    [
      served(
        5,
        1,
        "Old Jira",
        { issue_tracker_project: "OLD", issue_tracker_title_format: "$title only", issue_tracker_pass: "old-own-pw" },
        { frequency: "Daily" },
      ),
    ],
    connectors,
  );
  expect(plan.problems).toEqual([
    expect.stringMatching(
      /^connection 5 \("Old Jira", resource p1-old-jira\): frequency: "Daily" is not a valid choice: write it in lower case, "daily"\. The program will fail preview/,
    ),
    expect.stringMatching(/^connection 5 \("Old Jira", resource p1-old-jira\): params\.issue_tracker_title_format: must contain \$task_id/),
  ]);
  expect(plan.problems.join("\n")).not.toContain("old-own-pw");
});

test("a token that cannot see params cannot export: the error says which permission is missing", () => {
  const hidden = served(5, 1, "Jira", {});
  delete hidden.params;
  expect(() => planAdoption([hidden], connectors)).toThrow(ExportError);
  expect(() => planAdoption([hidden], connectors)).toThrow(/lacks the 'Edit Issue Tracker connections' permission/);
});
