import { csvItems, PHASES, STATUSES, titlePlaceholders, type Params, type ParamValue } from "./params";

/**
 * The issue-tracker systems the emulator serves (reference/sde-api.md §3.1) and what each needs of a
 * connection's params once they are merged (defaults, connector, project, own; params-merge.ts): the
 * params it cannot sync without (§3.2, §3.3) and the rules that tie params together (§2.4, §3.2–§3.4).
 */

/** Problems of a merged params map, by param: `{"issue_tracker_project": ["is required ..."]}`. */
export type ParamProblems = Record<string, string[]>;

/** A rule of the merged params; it adds its problems under the param to fix. */
type MergedRule = (merged: Readonly<Params>, system: System, problems: ParamProblems) => void;

export interface System {
  /** `system.id` in the API. */
  readonly id: string;
  /** `system.name`. */
  readonly name: string;
  /** `system.short_name`. */
  readonly shortName: string;
  /** The sync command of its connections (`command`): `sync_<id>`, as `jira` → `sync_jira` (§2.2). */
  readonly command: string;
  /** Params that must not be blank once merged, beyond the ones every system needs. */
  readonly required: readonly string[];
  /** Rules of this system alone, beyond the ones every system has. */
  readonly rules: readonly MergedRule[];
}

const isBlank = (v: ParamValue | undefined) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const add = (problems: ParamProblems, key: string, message: string) => (problems[key] ??= []).push(message);

/** Every system syncs with a tracker somewhere and a project there (§3.2: both required). */
const NEEDED_BY_EVERY_SYSTEM = ["issue_tracker_server", "issue_tracker_project"];

/** The credentials each `issue_tracker_auth_mode` signs in with (the pages show `basic` and `api_token`). */
const CREDENTIALS: Readonly<Record<string, readonly string[]>> = {
  basic: ["issue_tracker_user", "issue_tracker_pass"],
  api_token: ["issue_tracker_api_token"],
};

const requiredParams: MergedRule = (merged, system, problems) => {
  const authMode = typeof merged.issue_tracker_auth_mode === "string" ? merged.issue_tracker_auth_mode : "basic";
  const credentials = CREDENTIALS[authMode] ?? [];
  for (const key of NEEDED_BY_EVERY_SYSTEM)
    if (isBlank(merged[key]))
      add(problems, key, `is required for ${system.name} connections: set it on the connection or on its connector`);
  for (const key of system.required)
    if (isBlank(merged[key]))
      add(problems, key, `is required for ${system.name} connections: set it on the connection or on its connector`);
  for (const key of credentials) {
    if (isBlank(merged[key]))
      add(
        problems,
        key,
        `is required for ${system.name} connections with issue_tracker_auth_mode "${authMode}": set it on the connection or on its connector`,
      );
  }
};

/** §3.2: phases and statuses in scope must not be empty, unless `selected_tasks` names the tasks to sync. */
const somethingInScope: MergedRule = (merged, _system, problems) => {
  if (!isBlank(merged.selected_tasks)) return;
  for (const [key, allowed] of [
    ["issue_tracker_phases", PHASES],
    ["sde_statuses_in_scope", STATUSES],
  ] as const) {
    const value = merged[key];
    if (typeof value === "string" && csvItems(value).length === 0)
      add(problems, key, `must not be empty: list one or more of ${allowed.join(", ")}`);
  }
};

/** §3.4: a title format with `$context` needs the context (sdetools: "`context` requires `alm_context`"). */
const contextForTitle: MergedRule = (merged, _system, problems) => {
  const format = merged.issue_tracker_title_format;
  if (typeof format === "string" && titlePlaceholders(format).includes("context") && isBlank(merged.issue_tracker_context)) {
    add(
      problems,
      "issue_tracker_context",
      "is required when issue_tracker_title_format uses $context: set it, or take $context out of the format",
    );
  }
};

/** §3.3: Rally's `Task` cards need a parent story, and only they can have one. */
const rallyTasksAndParents: MergedRule = (merged, _system, problems) => {
  if (merged.rally_card_type === "Task" && isBlank(merged.issue_tracker_parent_issue)) {
    add(problems, "issue_tracker_parent_issue", 'is required when rally_card_type is "Task": name the parent story');
  }
  if (!isBlank(merged.issue_tracker_parent_issue) && merged.rally_card_type !== undefined && merged.rally_card_type !== "Task") {
    add(problems, "rally_card_type", 'must be "Task" when issue_tracker_parent_issue is set: Rally only nests tasks under a parent story');
  }
};

/** §2.4: the Trac plugin's `conflict_policy` has `timestamp` ("Last Status Change") disabled. */
const noTimestampPolicy: MergedRule = (merged, system, problems) => {
  if (merged.conflict_policy === "timestamp") {
    add(problems, "conflict_policy", `"timestamp" is not available for ${system.name} connections: use issue_tracker or sde`);
  }
};

const EVERY_SYSTEM: readonly MergedRule[] = [requiredParams, somethingInScope, contextForTitle];

const system = (id: string, name: string, shortName: string, own: { required?: string[]; rules?: MergedRule[] } = {}): System => ({
  id,
  name,
  shortName,
  command: `sync_${id}`,
  required: own.required ?? [],
  rules: own.rules ?? [],
});

const SYSTEMS: readonly System[] = [
  system("jira", "JIRA", "JIRA", { required: ["jira_version"] }),
  system("rally", "CA Agile Central (formerly Rally)", "CA Agile Central", {
    required: ["rally_workspace"],
    rules: [rallyTasksAndParents],
  }),
  system("github", "GitHub", "GitHub", { required: ["github_repo_owner"] }),
  system("gitlab", "GitLab", "GitLab"),
  system("tfs", "Microsoft Azure DevOps (Team Foundation Server)", "Azure DevOps"),
  system("servicenow", "ServiceNow ITSM", "ServiceNow"),
  system("pivotal_tracker", "Pivotal Tracker", "Pivotal Tracker"),
  system("versionone", "Digital.ai Agility (formerly VersionOne)", "Digital.ai Agility"),
  system("trac", "Trac", "Trac", { rules: [noTimestampPolicy] }),
];

const BY_ID = new Map(SYSTEMS.map((s) => [s.id, s]));

/** The system with this `system.id`, or undefined for one the emulator does not serve. */
export const systemById = (id: string): System | undefined => BY_ID.get(id);

export const SYSTEM_IDS: readonly string[] = SYSTEMS.map((s) => s.id);

/** The message for a system id the emulator does not serve. */
export const unknownSystem = (id: string): string => `${JSON.stringify(id)} is not a known system: use one of ${SYSTEM_IDS.join(", ")}`;

/** What is wrong with a connection's merged params for its system; empty when nothing is. */
export function mergedParamProblems(system: System, merged: Readonly<Params>): ParamProblems {
  const problems: ParamProblems = {};
  for (const rule of EVERY_SYSTEM) rule(merged, system, problems);
  for (const rule of system.rules) rule(merged, system, problems);
  return problems;
}
