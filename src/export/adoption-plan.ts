import { programFieldsOf, type ProgramFields } from "../model/api-body";
import { connectionInputsSchema } from "../model/inputs";
import type { Connection } from "../schema/connection";
import type { Params } from "../schema/params";
import { issuePath } from "../schema/validation";
import { ExportError } from "./export-error";
import { minimalParams } from "./minimal-params";
import { assignResourceNames, compareConnections, credentialConfigKey } from "./naming";
import { EDIT_PERMISSION } from "../client/messages";

/**
 * One existing connection as a program that adopts it declares it: its id, its fields exactly as the
 * server has them, the params that differ from what it inherits, and a config key in place of each
 * credential. Holds no credential value.
 */
export interface AdoptedConnection {
  /** The Pulumi resource name. */
  name: string;
  /** The connection's id (the resource's `adoptId`). */
  id: number;
  alias: string;
  connector: number;
  project: number;
  /** The project's name as the server reports it (`sde_project`), for readers of the program. */
  projectName: string | undefined;
  frequency: string;
  debugMode: boolean;
  /** Params the program manages, keys sorted, values exactly the server's. */
  params: Params;
  /** Credential param → the stack config key holding it, keys sorted. */
  credentials: Record<string, string>;
}

/** A credential the program reads from stack config: which key, for which resource and param. */
export interface SecretReference {
  configKey: string;
  resource: string;
  param: string;
}

/** What an export writes, in the order it writes it. */
export interface AdoptionPlan {
  connections: AdoptedConnection[];
  /** Every config secret the program needs, in the order of `connections`. */
  secrets: SecretReference[];
  /**
   * Connections whose server data the provider would refuse (a value the package's own checks reject): the
   * program is written anyway, and each line names the connection, the field and why.
   */
  problems: string[];
}

/**
 * The plan for adopting `connections` with zero changes: sorted by project, alias and id; named from
 * project and alias; params reduced to what differs from the connector (`connectorParams`, by connector
 * id; undefined for a connector that could not be read).
 */
export function planAdoption(connections: readonly Connection[], connectorParams: ReadonlyMap<number, Params | undefined>): AdoptionPlan {
  const sorted = [...connections].sort(compareConnections);
  const names = assignResourceNames(sorted);
  const adopted: AdoptedConnection[] = [];
  const secrets: SecretReference[] = [];
  const problems: string[] = [];
  for (const connection of sorted) {
    if (connection.params === undefined) {
      throw new ExportError(
        `connection ${connection.id} ("${connection.alias}") came without its params: the API token lacks ${EDIT_PERMISSION}. Export with a token that has it`,
      );
    }
    const name = names.get(connection.id) as string;
    const { params, credentialKeys } = minimalParams(connection.params, connectorParams.get(connection.connector));
    const credentials = Object.fromEntries(credentialKeys.map((param) => [param, credentialConfigKey(name, param)]));
    const projectName = connection.params.sde_project;
    // The connection's fields exactly as the server has them, under the program's names.
    const fields = programFieldsOf(connection);
    const entry: AdoptedConnection = {
      name,
      id: connection.id,
      ...fields,
      projectName: typeof projectName === "string" ? projectName : undefined,
      params,
      credentials,
    };
    adopted.push(entry);
    secrets.push(...credentialKeys.map((param) => ({ configKey: credentials[param] as string, resource: name, param })));
    problems.push(...refusals(entry, fields));
  }
  return { connections: adopted, secrets, problems };
}

/**
 * What the provider's own input checks would refuse in this connection, as it will be declared: server
 * data older than a rule, or a value the API accepts and the package does not. Credentials are checked as
 * present strings only: their values never reach the plan.
 */
function refusals(connection: AdoptedConnection, fields: ProgramFields<Connection>): string[] {
  const placeholders = Object.fromEntries(Object.keys(connection.credentials).map((param) => [param, "(config secret)"]));
  const checked = connectionInputsSchema.safeParse({
    ...fields,
    params: { ...connection.params, ...placeholders },
    testConnection: false,
    adoptId: connection.id,
  });
  if (checked.success) return [];
  return checked.error.issues.map(
    (issue) =>
      `connection ${connection.id} ("${connection.alias}", resource ${connection.name}): ${issuePath(issue.path)}: ${issue.message}. The program will fail preview until this is fixed, in SD Elements or in the program`,
  );
}
