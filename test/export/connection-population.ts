import type { SdeClient } from "../../src/client";
import type { ConnectionCreate } from "../../src/schema/connection";

/**
 * Many connections made through the API, as an organisation accumulates them by hand: spread over projects
 * 1-3 and connectors 1-3 (Jira, Rally, GitHub of the default seed), some with their own credentials, some
 * repeating the connector's credentials or a default, some with non-default settings, and two pairs of
 * aliases that slug to the same name.
 */

/** The seeded connectors' credentials (src/emulator/seed.ts): a connection repeating one inherits it. */
const CONNECTOR_CREDENTIAL: Record<number, [string, string]> = {
  1: ["issue_tracker_pass", "id"],
  2: ["issue_tracker_pass", "rally_password"],
  3: ["issue_tracker_api_token", "token"],
};

export interface CreatedConnection {
  id: number;
  alias: string;
  project: number;
  connector: number;
  /** The credentials the connection was given that differ from its connector's (param → value). */
  ownCredentials: Record<string, string>;
}

/** The body of the i-th connection (deterministic). */
export function connectionBody(i: number): ConnectionCreate {
  const project = 1 + (i % 3);
  const connector = 1 + (Math.floor(i / 3) % 3);
  const params: Record<string, string | number | boolean> = { issue_tracker_project: connector === 3 ? `repo-${i}` : `TRK-${i}` };
  const [credential, inherited] = CONNECTOR_CREDENTIAL[connector] as [string, string];
  if (i % 7 === 0) params[credential] = `Canary-Credential-${i}-c0ffee`;
  else if (i % 11 === 0) params[credential] = inherited;
  if (i % 4 === 0) params.issue_tracker_phases = "requirements,development,testing";
  if (i % 6 === 0) params.sde_min_priority = 5;
  else if (i % 9 === 0) params.sde_min_priority = 7; // the default: not managed
  if (i % 17 === 0) params.issue_tracker_validate_cert = false;
  if (i % 19 === 0) params.custom_label = `team-${i % 5}`;
  if (i % 23 === 0) params.issue_tracker_title_format = "[SDE] $task_id $title";
  if (i % 29 === 0) params.issue_tracker_server = "tracker2.example.com";
  // Aliases that slug alike: "Payments Jira" and "payments-jira" in one project.
  const alias =
    i === 30
      ? "Payments Jira"
      : i === 33
        ? "payments-jira"
        : `Tracker ${String(i).padStart(3, "0")} ${["Jira", "Rally", "GitHub"][connector - 1]}`;
  return {
    alias,
    connector,
    project,
    frequency: i % 5 === 0 ? "daily" : "manually",
    debug_mode: i % 13 === 0,
    params,
  };
}

/** Creates `count` connections, a few at a time; resolves with what was created, in order of i. */
export async function populate(client: SdeClient, count: number): Promise<CreatedConnection[]> {
  const created: CreatedConnection[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const body = connectionBody(i);
      const connection = await client.connections.create(body);
      const [credential, inherited] = CONNECTOR_CREDENTIAL[body.connector] as [string, string];
      const value = body.params[credential];
      created[i] = {
        id: connection.id,
        alias: connection.alias,
        project: connection.project,
        connector: connection.connector,
        ownCredentials: typeof value === "string" && value !== inherited ? { [credential]: value } : {},
      };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return created;
}

/** Every credential value the connections were given of their own: none may appear in an exported file. */
export function credentialValues(created: readonly CreatedConnection[]): string[] {
  return created.flatMap((c) => Object.values(c.ownCredentials));
}
