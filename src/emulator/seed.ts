import type { SeedData } from "./seed-schema";
import { EDIT_CONNECTIONS_PERMISSION } from "./seed-schema";

/** Full permissions, including 'Edit Issue Tracker connections'. */
export const DEFAULT_TOKEN = "sde-emulator-admin-token";
/** Reads everything but `params`; every write gets 403. */
export const READ_ONLY_TOKEN = "sde-emulator-read-only-token";

/** Values every seeded connector shares: the plugin defaults as the API page's connectors show them. */
const COMMON_CONNECTOR_PARAMS = {
  issue_tracker_method: "https",
  issue_tracker_validate_cert: true,
  title_format: "$task_id $title",
  issue_tracker_phases: "requirements,architecture-design,development",
  sde_statuses_in_scope: "TODO",
  sde_verification_filter: "none,partial,pass,fail",
  conflict_policy: "issue_tracker",
  // A string, as the connectors page shows it; connections answer with the integer 7.
  sde_min_priority: "7",
} as const;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The default world: every request example of the API page (reference/issue-tracker-connections.md)
 * succeeds against it exactly as written.
 *
 * - Connector 1 (Jira) has the values the page's create example shows as coming from the connector; the
 *   create example uses project 1, whose names it shows ("Project 1", "Finance App", "BU").
 * - Connection 1 ("Rally Integration") uses connector 2 (Rally) and project 2 ("Demo Project" in "Demo
 *   Application" of "General"), as the page's get and `include=last_job` examples show.
 * - Its jobs give the page's `last_successful_run` (job 3) and `last_job` (job 4, the newest by id).
 * - The next connection id is 5, the id the page's create example answers with.
 * - The fake trackers accept the page's test-connection example and the seeded connectors' credentials.
 */
export const DEFAULT_SEED: SeedData = deepFreeze({
  settings: { advancedIssueTracker: true },
  tokens: [
    { token: DEFAULT_TOKEN, user: 1, permissions: [EDIT_CONNECTIONS_PERMISSION] },
    { token: READ_ONLY_TOKEN, user: 2, permissions: [] },
  ],
  businessUnits: [
    { id: 1, name: "BU" },
    { id: 2, name: "General" },
  ],
  applications: [
    { id: 1, name: "Finance App", business_unit: 1 },
    { id: 2, name: "Demo Application", business_unit: 2 },
  ],
  projects: [
    { id: 1, name: "Project 1", slug: "project-1", application: 1, archived: false },
    { id: 2, name: "Demo Project", slug: "demo-project", application: 2, archived: false },
    // Spare: no connection uses it.
    { id: 3, name: "Spare Project", slug: "spare-project", application: 2, archived: false },
  ],
  connectors: [
    {
      id: 1,
      name: "Jira Connector",
      system: "jira",
      inaccessible: false,
      params: {
        issue_tracker_auth_mode: "basic",
        issue_tracker_user: "Sindy",
        issue_tracker_pass: "id",
        jira_version: "5",
        issue_tracker_server: "bugs.server.co",
        ...COMMON_CONNECTOR_PARAMS,
      },
    },
    {
      id: 2,
      name: "Rally Connector",
      system: "rally",
      inaccessible: false,
      params: {
        issue_tracker_auth_mode: "basic",
        issue_tracker_user: "rally_user",
        issue_tracker_pass: "rally_password",
        rally_workspace: "Rally Workspace",
        issue_tracker_server: "rally1.rallydev.com",
        ...COMMON_CONNECTOR_PARAMS,
      },
    },
    {
      // The connector example of the connectors page (reference/sde-api.md §2.3).
      id: 3,
      name: "GitHub Example Connector",
      system: "github",
      inaccessible: false,
      params: {
        github_repo_owner: "repo owner",
        issue_tracker_auth_mode: "api_token",
        issue_tracker_api_token: "token",
        issue_tracker_server: "api.github.com",
        github_duplicate_label: "duplicate",
        ...COMMON_CONNECTOR_PARAMS,
      },
    },
  ],
  connections: [
    {
      id: 1,
      alias: "Rally Integration",
      connector: 2,
      project: 2,
      frequency: "manually",
      debug_mode: false,
      params: { issue_tracker_project: "Rally Project" },
    },
  ],
  jobs: [
    {
      id: 3,
      connection: 1,
      succeeded: true,
      ready: true,
      automatic: true,
      last_run: "2019-11-28T20:22:32.588388+00:00",
      result_message: "",
      user: null,
      triggered_by: null,
    },
    {
      id: 4,
      connection: 1,
      succeeded: false,
      ready: true,
      automatic: false,
      last_run: "2016-12-15T22:45:27.412Z",
      result_message: "Error Message",
      user: 3,
      triggered_by: 1,
    },
  ],
  trackers: [
    // The API page's test-connection example.
    {
      system: "rally",
      server: "server.rallydev.com",
      method: "https",
      users: [{ user: "username", pass: "password" }],
      apiTokens: [],
      projects: ["rally_project"],
    },
    {
      system: "rally",
      server: "rally1.rallydev.com",
      method: "https",
      users: [{ user: "rally_user", pass: "rally_password" }],
      apiTokens: [],
      projects: ["Rally Project"],
    },
    {
      system: "jira",
      server: "bugs.server.co",
      method: "https",
      users: [{ user: "Sindy", pass: "id" }],
      apiTokens: [],
      projects: ["Example Project", "Project Name"],
    },
    // The trackers of examples/basic (and of the demo): credentials come from stack config secrets.
    {
      system: "jira",
      server: "jira.example.com",
      method: "https",
      users: [{ user: "pulumi-bot", pass: "example-jira-password" }],
      apiTokens: [],
      projects: ["PAY", "OPS"],
    },
    {
      system: "github",
      server: "api.github.com",
      method: "https",
      users: [],
      apiTokens: ["token"],
      projects: ["example-repo"],
    },
  ],
  nextIds: { connection: 5, job: 5 },
});
