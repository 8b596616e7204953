/**
 * The issue-tracker systems SD Elements supports, with what the product documents about each
 * (reference/sde-api.md §3). Shared by the emulator (which fills and checks params as the server does)
 * and the provider (which checks a program's params before any API call).
 */
export interface SystemInfo {
  /** `system.id` in the API. */
  id: string;
  /** `system.name` in the API. */
  name: string;
  /** `system.short_name` in the API. */
  shortName: string;
  /**
   * Params that must be non-empty once the connection's params are merged with its connector's,
   * beyond the ones every system needs ({@link COMMON_REQUIRED_PARAMS}).
   */
  requiredParams: readonly string[];
}

/** Params every system needs: where the tracker is and which tracker project to sync with. */
export const COMMON_REQUIRED_PARAMS = ["issue_tracker_server", "issue_tracker_project"] as const;

/** The credential params each `issue_tracker_auth_mode` needs. */
export const CREDENTIALS_BY_AUTH_MODE: Readonly<Record<string, readonly string[]>> = {
  basic: ["issue_tracker_user", "issue_tracker_pass"],
  api_token: ["issue_tracker_api_token"],
};

const SYSTEMS: readonly SystemInfo[] = [
  { id: "jira", name: "JIRA", shortName: "JIRA", requiredParams: ["jira_version"] },
  {
    id: "rally",
    name: "CA Agile Central (formerly Rally)",
    shortName: "CA Agile Central",
    requiredParams: ["rally_workspace"],
  },
  { id: "github", name: "GitHub", shortName: "GitHub", requiredParams: ["github_repo_owner"] },
  { id: "gitlab", name: "GitLab", shortName: "GitLab", requiredParams: [] },
  { id: "tfs", name: "Microsoft Azure DevOps (Team Foundation Server)", shortName: "Azure DevOps", requiredParams: [] },
  { id: "servicenow", name: "ServiceNow ITSM", shortName: "ServiceNow", requiredParams: [] },
  { id: "pivotal_tracker", name: "Pivotal Tracker", shortName: "Pivotal Tracker", requiredParams: [] },
  { id: "versionone", name: "Digital.ai Agility (formerly VersionOne)", shortName: "Digital.ai Agility", requiredParams: [] },
  { id: "trac", name: "Trac", shortName: "Trac", requiredParams: [] },
];

const BY_ID = new Map(SYSTEMS.map((s) => [s.id, s]));

/** The system with this `system.id`, or undefined for one this package does not know. */
export function findSystem(id: string): SystemInfo | undefined {
  return BY_ID.get(id);
}

export function knownSystemIds(): string[] {
  return SYSTEMS.map((s) => s.id);
}

/** The sync command the server runs for a system: `sync_<system>`. */
export function commandFor(systemId: string): string {
  return `sync_${systemId}`;
}
