import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SdeClient } from "./client/client";
import type { ConnectionTestOutcome } from "./client/endpoints/connections";
import { validateInput } from "./client/validate-input";
import { connectionTestSchema, type Connection, type ConnectionTest } from "./schema/connection";
import { listed, strictKeysError } from "./schema/unknown-keys";
import { describeKind } from "./schema/validation";
import { clientOptionsFromConfig } from "./provider/settings";
import { toState, type ConnectionState } from "./model/state";
import { checkedConnectorLookup, checkedProjectLookup, type ConnectorLookup, type ProjectLookup } from "./lookups/arguments";
import { findConnector, type ConnectorMatch } from "./lookups/connector";
import { findProject, type ProjectMatch } from "./lookups/project";

/** A connection as the functions return it: the resource's outputs, credentials kept secret. */
export interface IssueTrackerConnectionInfo extends Omit<ConnectionState, "credentials" | "managedParams" | "testConnection" | "adoptId"> {
  /** Every credential param the server reports (connector-filled ones included), as a secret Output. */
  credentials: pulumi.Output<Record<string, string | number | boolean | null>>;
}

export interface GetIssueTrackerConnectionsArgs {
  /** Only the connections of this SD Elements project. */
  project?: number;
  /** Include each connection's newest sync job (`lastJob`). */
  includeLastJob?: boolean;
}

/** Every connection (all pages), optionally of one project. */
export async function getIssueTrackerConnections(args: GetIssueTrackerConnectionsArgs = {}): Promise<IssueTrackerConnectionInfo[]> {
  return withClient(async (client) => (await client.connections.list(args)).map(toInfo));
}

/** One connection by id, with its newest sync job. */
export async function getIssueTrackerConnection(id: number): Promise<IssueTrackerConnectionInfo> {
  return withClient(async (client) => toInfo(await client.connections.get(id, { includeLastJob: true })));
}

/**
 * Tests connection settings against the tracker without saving anything: `{ success: true }`, or
 * `{ success: false, message }` saying what is wrong (server, credentials, tracker project).
 */
export async function testIssueTrackerConnection(args: ConnectionTest): Promise<ConnectionTestOutcome> {
  const valid = validateInput(testArgumentsSchema, args, "connection test");
  // Parsed with a stricter schema than the client's (no unknown key), so the client checks it again: a
  // body is sent unchecked only as its own schema's parse returned it.
  return withClient((client) => client.connections.test(valid));
}

/**
 * The test's arguments as a program gives them: the API's body, but no key it does not know. The API
 * (and so the client) ignores unknown fields; here a misspelt `conector` would test without the connector.
 */
const TEST_ARGUMENTS = Object.keys(connectionTestSchema.shape);
const testArgumentsSchema = z.strictObject(connectionTestSchema.shape, {
  error: strictKeysError(
    TEST_ARGUMENTS,
    { one: "argument", many: "arguments" },
    `testIssueTrackerConnection takes ${listed(TEST_ARGUMENTS)}`,
    (input) => `must be an object of arguments, not ${describeKind(input)}`,
  ),
});

/**
 * The id of the SD Elements project with this name (in this application and business unit, when several
 * projects share the name), for an IssueTrackerConnection's `project`: a Promise is a pulumi.Input. No such
 * project, or several, is an SdeLookupError listing the candidates.
 */
export async function getProjectId(args: ProjectLookup): Promise<number> {
  const lookup = checkedProjectLookup(args);
  return withClient(async (client) => (await findProject(client, lookup, { idOnly: true })).id);
}

/** The project getProjectId finds, with its application's and business unit's ids and names. */
export async function lookupProject(args: ProjectLookup): Promise<ProjectMatch> {
  const lookup = checkedProjectLookup(args);
  return withClient((client) => findProject(client, lookup));
}

/**
 * The id of the issue-tracker connector with this name and/or of this system (`{ system: "jira" }` when
 * the organisation has one Jira connector), for an IssueTrackerConnection's `connector`. No such
 * connector, or several, is an SdeLookupError listing the candidates' names (never their params).
 */
export async function getConnectorId(args: ConnectorLookup): Promise<number> {
  return (await lookupConnector(args)).id;
}

/** The connector getConnectorId finds: id, name and system. */
export async function lookupConnector(args: ConnectorLookup): Promise<ConnectorMatch> {
  const lookup = checkedConnectorLookup(args);
  return withClient((client) => findConnector(client, lookup));
}

/** A client configured like the provider (stack config `sdelements:*`, then SDE_* variables), closed after use. */
async function withClient<T>(use: (client: SdeClient) => Promise<T>): Promise<T> {
  const client = new SdeClient(clientOptionsFromConfig({ get: (key) => pulumi.runtime.getConfig(key) }));
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

function toInfo(connection: Connection): IssueTrackerConnectionInfo {
  const everything = Object.keys(connection.params ?? {});
  const {
    credentials,
    managedParams: _m,
    testConnection: _t,
    adoptId: _a,
    ...rest
  } = toState(connection, {
    paramKeys: everything,
    testConnection: true,
  });
  return { ...rest, credentials: pulumi.secret(credentials) };
}
