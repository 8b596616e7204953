import type { SdeClient } from "../client/client";
import { noSuch } from "../client/messages";
import { isSdeApiError } from "../client/errors";
import { PATHS } from "../client/endpoints/paths";
import type { Connection } from "../schema/connection";
import type { Params } from "../schema/params";
import { ExportError } from "./export-error";

/** Which connections to export: those of the listed projects, or every connection the token can see. */
export type ProjectSelection = readonly number[] | "all";

/**
 * Page size asked of the list endpoint. The API answers a list unpaginated unless asked; pages keep each
 * answer (and the server's work per request) bounded on instances with thousands of connections.
 */
export const EXPORT_PAGE_SIZE = 100;

export interface ServerConnections {
  /** Each connection once, as the API lists it (params merged, credentials in clear: never write them). */
  connections: Connection[];
  /** Each connector's params, by id; undefined for a connector this token could not read. */
  connectorParams: Map<number, Params | undefined>;
}

/**
 * Reads the connections to export and, once each, the connectors they use. `report` gets one line per
 * project or step, and a line per connector that could not be read (its connections are then exported
 * with more params, still without any change).
 */
export async function readServerConnections(
  client: SdeClient,
  selection: ProjectSelection,
  report: (line: string) => void = () => undefined,
): Promise<ServerConnections> {
  const byId = new Map<number, Connection>();
  if (selection === "all") {
    for (const c of await client.connections.list({ pageSize: EXPORT_PAGE_SIZE })) byId.set(c.id, c);
  } else {
    for (const [i, project] of selection.entries()) {
      const listed = await client.connections.list({ project, pageSize: EXPORT_PAGE_SIZE });
      for (const c of listed) byId.set(c.id, c);
      report(`project ${project}: ${listed.length} connection${listed.length === 1 ? "" : "s"} (${i + 1} of ${selection.length} projects)`);
      if (listed.length === 0) {
        // The list filter answers an unknown project with an empty list: ask for the project itself.
        if (!(await projectExists(client, project))) {
          throw new ExportError(`--project ${project}: ${noSuch(`project ${project}`)}: check the project id; nothing was written`);
        }
        report(`warning: project ${project} has no connection this token can see`);
      }
    }
  }
  const connections = [...byId.values()];
  const connectorIds = [...new Set(connections.map((c) => c.connector))].sort((a, b) => a - b);
  report(
    `${connections.length} connection${connections.length === 1 ? "" : "s"} listed; reading ${connectorIds.length} connector${connectorIds.length === 1 ? "" : "s"}`,
  );
  const connectorParams = new Map<number, Params | undefined>();
  await Promise.all(
    connectorIds.map(async (id) => {
      try {
        const connector = await client.connectors.get(id);
        connectorParams.set(id, connector.params);
        if (connector.params === undefined)
          report(`connector ${id}: its params are not visible to this token; params equal to the connector's are kept in the program`);
      } catch (error) {
        if (!(isSdeApiError(error) && (error.status === 404 || error.status === 403))) throw error;
        connectorParams.set(id, undefined);
        report(`connector ${id} could not be read (HTTP ${error.status}); params equal to the connector's are kept in the program`);
      }
    }),
  );
  return { connections, connectorParams };
}

async function projectExists(client: SdeClient, id: number): Promise<boolean> {
  try {
    await client.projects.get(id);
    return true;
  } catch (error) {
    if (isSdeApiError(error) && error.status === 404) return false;
    throw error;
  }
}

/** A request line of the connections list, first page (`/api/v2/.../`) or a later one (`...?page=N`). */
const LIST_PAGE = new RegExp(`^GET \\S*${PATHS.connections.replace(/[/]/g, "\\/")}(\\?\\S*)? `);

/**
 * A client `logger` that reports reading the connection list page by page, from the second page on: on a
 * large instance the list is the long part of an export. It reads the client's own log line
 * (`METHOD path → status ...`, which carries no token or body); later pages are requested by the `next`
 * link the server gives, which names the page.
 */
export function listProgress(report: (line: string) => void): (line: string) => void {
  return (line) => {
    const page = LIST_PAGE.exec(line)?.[1]?.match(/[?&]page=(\d+)/)?.[1];
    if (page !== undefined) report(`listing connections: page ${page} read (${EXPORT_PAGE_SIZE} per page)`);
  };
}
