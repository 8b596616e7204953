import { z } from "zod";
import { connectionParamsSchema, paramsResponseSchema, type Params } from "./params";
import { systemRefSchema } from "./system";

/**
 * An issue-tracker connector (the organisation-wide "system connection" a project connection uses):
 * `/api/v2/connectors/issue-tracker/`. Its params are the defaults its connections start from.
 */
export const connectorSchema = z.looseObject({
  id: z.int(),
  name: z.string(),
  system: systemRefSchema,
  inaccessible: z.boolean(),
  params: paramsResponseSchema.optional(),
});
export type Connector = z.infer<typeof connectorSchema>;

/**
 * Connectors spell the title format `title_format` (connectors page) while connections spell it
 * `issue_tracker_title_format` (connections page): the connector key is read as the connection key.
 */
const CONNECTOR_KEY_ALIASES: Readonly<Record<string, string>> = { title_format: "issue_tracker_title_format" };

/** A connector's params with its keys spelled as a connection's. */
export function connectorParamsAsConnectionParams(params: Readonly<Params>): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    const alias = CONNECTOR_KEY_ALIASES[key];
    // An explicit connection-style key on the connector wins over its alias.
    if (alias !== undefined && alias in params) continue;
    out[alias ?? key] = value;
  }
  return out;
}

/**
 * A connector's params as a connection inherits them: keys renamed, and values normalised by the same
 * schema a request goes through (the connectors page shows `sde_min_priority: "7"`, connections show `7`).
 */
export function inheritedConnectorParams(params: Readonly<Params>): Params {
  const renamed = connectorParamsAsConnectionParams(params);
  const parsed = connectionParamsSchema.safeParse(renamed);
  // Data the schema does not accept is passed on as it is: the server is the judge of its own data.
  return parsed.success ? (parsed.data as Params) : renamed;
}
