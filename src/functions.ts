import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SdeClient } from "./client/client";
import type { ConnectionTestOutcome } from "./client/endpoints/connections";
import { validateInput } from "./client/validate-input";
import { connectionTestSchema, type Connection, type ConnectionTest } from "./schema/connection";
import { declaredParamsSchema } from "./schema/declared-params";
import { listed, strictKeysError } from "./schema/unknown-keys";
import { describeKind } from "./schema/validation";
import { clientOptionsFromConfig } from "./provider/settings";
import { toState, type ConnectionState } from "./model/state";
import {
  checkedConnectorLookup,
  checkedProjectLookup,
  checkedProjectLookups,
  type ConnectorLookup,
  type ProjectLookup,
} from "./lookups/arguments";
import { findConnector, type ConnectorMatch } from "./lookups/connector";
import { findProject, ProjectDirectory, type ProjectMatch } from "./lookups/project";
import { SdeLookupError } from "./lookups/errors";
import { CatalogueError, checkedCatalogueConnections, type CatalogueConnection } from "./export/catalogue";

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
  /**
   * Read the list in pages of this many connections (1 to 1000; every page is read either way, so the
   * result is the same). Without it the API answers with one unpaged list; a list too large for one
   * answer is refused with the advice to read it in pages.
   */
  // Declared rather than refused: the client's list takes it, and its "too large" error tells a user to
  // page, so a program must be able to. Any other key is refused by the client's list filter, by name.
  pageSize?: number;
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
/**
 * `system` as a test's arguments give it: the API's `{ id, name, short_name }` (only `id` is needed), and
 * no other key. The API ignores the rest, so a misspelt `nmae` would be dropped without a word.
 */
const SYSTEM_KEYS = ["id", "name", "short_name"];
const testSystemSchema = z.strictObject(
  { ...connectionTestSchema.shape.system.unwrap().shape, name: z.string().optional(), short_name: z.string().optional() },
  {
    error: strictKeysError(
      SYSTEM_KEYS,
      { one: "key", many: "keys" },
      `system takes ${listed(SYSTEM_KEYS)} (only id is needed), e.g. { id: "jira" }`,
      (input) => `must name the system as an object, e.g. { id: "jira" }, not ${describeKind(input)}`,
    ),
  },
);
const testArgumentsSchema = z.strictObject(
  // Stricter than the API's body: a system key it would ignore, a param type it would coerce, is refused.
  { ...connectionTestSchema.shape, system: testSystemSchema.optional(), params: declaredParamsSchema },
  {
    error: strictKeysError(
      TEST_ARGUMENTS,
      { one: "argument", many: "arguments" },
      `testIssueTrackerConnection takes ${listed(TEST_ARGUMENTS)}`,
      (input) => `must be an object of arguments, not ${describeKind(input)}`,
    ),
  },
);

/**
 * The id of the SD Elements project with this name (in this application and business unit, when several
 * projects share the name), for an IssueTrackerConnection's `project`: a Promise is a pulumi.Input. No such
 * project, or several, is an SdeLookupError listing the candidates.
 */
export async function getProjectId(args: ProjectLookup): Promise<number> {
  const lookup = checkedProjectLookup(args);
  return withClient(async (client) => (await findProject(client, lookup, { idOnly: true })).id);
}

/**
 * The ids of many projects, in order, from one listing of the projects (and of applications and business
 * units only if a lookup needs them): for a program that names hundreds of projects, one request rather
 * than one per name. Lookups that fail are all reported in one SdeLookupError, one line each.
 */
export async function getProjectIds(args: readonly ProjectLookup[]): Promise<number[]> {
  const lookups = checkedProjectLookups(args);
  return withClient(async (client) => {
    const directory = new ProjectDirectory(client, "listing");
    const found = await Promise.allSettled(lookups.map((l) => directory.find(l, { idOnly: true })));
    const failures = found.flatMap((f, i) => (f.status === "rejected" ? [{ i, reason: f.reason as unknown }] : []));
    const other = failures.find((f) => !(f.reason instanceof SdeLookupError));
    if (other) throw other.reason;
    if (failures.length > 0) {
      const errors = failures.map((f) => ({ i: f.i, error: f.reason as SdeLookupError }));
      throw new SdeLookupError(
        errors.length === 1
          ? `project lookup [${errors[0]!.i}]: ${errors[0]!.error.message}`
          : `${errors.length} of ${lookups.length} project lookups failed:\n${errors.map((e) => `  - [${e.i}]: ${e.error.message}`).join("\n")}`,
        errors.some((e) => e.error.kind === "not_found") ? "not_found" : "ambiguous",
        [...new Set(errors.flatMap((e) => e.error.candidates))],
      );
    }
    return found.map((f) => (f as PromiseFulfilledResult<ProjectMatch>).value.id);
  });
}

/**
 * A catalogue's connections with every project and connector given by name resolved to its id: one
 * listing of the projects for all of them (none if every project is an id), one lookup per distinct
 * connector named. Names that do not resolve are a CatalogueError naming each entry, the field and the
 * candidates; nothing is registered before that. A list that is not one of catalogue connections (see
 * loadCatalogue) is a CatalogueError too, naming each entry and field, before any request.
 */
export async function resolveCatalogue(
  given: readonly CatalogueConnection[],
  source = "catalogue",
): Promise<CatalogueConnection<number, number>[]> {
  const connections = checkedCatalogueConnections(given, source);
  const problems: string[] = [];
  const entry = (c: CatalogueConnection) => `${JSON.stringify(c.alias)} (${c.name})`;
  const named = connections.filter((c) => typeof c.project !== "number");
  const connectorKey = (lookup: ConnectorLookup) => JSON.stringify([lookup.name, lookup.system]);
  const byConnector = new Map<string, CatalogueConnection[]>();
  for (const c of connections) {
    if (typeof c.connector === "number") continue;
    const users = byConnector.get(connectorKey(c.connector)) ?? [];
    users.push(c);
    byConnector.set(connectorKey(c.connector), users);
  }
  const asIds = (projectIds: ReadonlyMap<CatalogueConnection, number>, connectorIds: ReadonlyMap<string, number>) =>
    connections.map((c) => ({
      ...c,
      project: typeof c.project === "number" ? c.project : projectIds.get(c)!,
      connector: typeof c.connector === "number" ? c.connector : connectorIds.get(connectorKey(c.connector))!,
    }));
  if (named.length === 0 && byConnector.size === 0) return asIds(new Map(), new Map());
  const projectIds = new Map<CatalogueConnection, number>();
  const connectorIds = new Map<string, number>();
  return withClient(async (client) => {
    const directory = new ProjectDirectory(client, "listing");
    const reported = (c: CatalogueConnection, field: string) => (error: unknown) => {
      if (!(error instanceof SdeLookupError)) throw error;
      problems.push(`${entry(c)}: ${field}: ${error.message}`);
    };
    const projects = named.map((c) =>
      directory.find(c.project as ProjectLookup, { idOnly: true }).then((m) => void projectIds.set(c, m.id), reported(c, "project")),
    );
    // One lookup per distinct connector named (commonly one, under defaults), reported once if it fails;
    // alongside the projects' listing, not after it.
    const connectors = [...byConnector].map(async ([key, users]) => {
      try {
        connectorIds.set(key, (await findConnector(client, users[0]!.connector as ConnectorLookup)).id);
      } catch (error) {
        if (!(error instanceof SdeLookupError)) throw error;
        const who = users.length === 1 ? entry(users[0]!) : `${entry(users[0]!)} and ${users.length - 1} more entries`;
        problems.push(`${who}: connector: ${error.message}`);
      }
    });
    await Promise.all([...projects, ...connectors]);
    if (problems.length > 0) throw new CatalogueError(source, problems);
    return asIds(projectIds, connectorIds);
  });
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
