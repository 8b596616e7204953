import * as pulumi from "@pulumi/pulumi";
import { isAbsolute, join } from "node:path";
// The catalogue's schema is the package's own, the one `sde-pulumi export --format yaml` writes.
import {
  CatalogueError,
  ConnectionTests,
  IssueTrackerConnection,
  loadCatalogue,
  resolveCatalogue,
  type CatalogueConnection,
  type IssueTrackerConnectionArgs,
} from "pulumi-sdelements";

/**
 * Issue Tracker Connections declared in a YAML catalogue (catalogue.yaml beside this file, or the file
 * named by the `catalogue` config): defaults shared by all (connector, tracker server, phases, title
 * format...), one entry per SD Elements project, projects and connectors by name (or id), credentials
 * from stack config secrets named in the catalogue.
 *
 *   pulumi config set sdelements:url https://sde.example.com      # each --secret line prompts for its value
 *   pulumi config set --secret sdelements:apiToken
 *   pulumi config set --secret jiraPassword
 *   pulumi config set catalogue ./exported/catalogue.yaml      # optional: another catalogue
 *
 * A bad catalogue, or a name that matches no project or several, fails before anything is registered,
 * with one line per problem naming the entry and the field. The names cost one listing of the projects
 * and one lookup per distinct connector, however many entries. A catalogue written by
 * `sde-pulumi export --format yaml` adopts existing connections unchanged.
 *
 * The connection tests of the whole catalogue run together, in the Check of one ConnectionTests resource
 * registered before the connections (which depend on it): the engine checks resources one at a time, so
 * otherwise each distinct test of a large change would wait for the one before. Only new or changed
 * connections are tested (after the first deployment with it); an unchanged catalogue makes no test.
 */
export = async () => {
  const config = new pulumi.Config();
  const file = config.get("catalogue") ?? "catalogue.yaml";
  let connections: CatalogueConnection<number, number>[];
  try {
    connections = await resolveCatalogue(loadCatalogue(isAbsolute(file) ? file : join(__dirname, file)), file);
  } catch (error) {
    // A RunError is shown as its message alone: the problems, not a stack trace.
    throw error instanceof CatalogueError ? new pulumi.RunError(error.message) : error;
  }

  const declared: Record<string, IssueTrackerConnectionArgs> = {};
  for (const c of connections) {
    const credentials = Object.fromEntries(Object.entries(c.credentials).map(([param, key]) => [param, config.requireSecret(key)]));
    declared[c.name] = {
      alias: c.alias,
      connector: c.connector,
      project: c.project,
      frequency: c.frequency,
      debugMode: c.debugMode,
      params: { ...c.params, ...credentials },
      testConnection: c.testConnection,
      adoptId: c.adoptId,
    };
  }
  const tests = new ConnectionTests("connection-tests", { connections: declared });
  for (const [name, args] of Object.entries(declared)) new IssueTrackerConnection(name, args, { dependsOn: tests });
  return { connectionCount: connections.length };
};
