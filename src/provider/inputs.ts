import { z } from "zod";
import { connectionCreateSchema, type ConnectionCreate } from "../schema/connection";
import { idSchema } from "../schema/ids";
import { MANUAL_FREQUENCY } from "../schema/frequency";

const api = connectionCreateSchema.shape;

/**
 * A connection as a program declares it: the API's fields in camelCase, with the provider's own two
 * (`testConnection`, `adoptId`). Built from the API schemas, so a rule changes in one place. Defaults
 * are filled in here: what the program leaves out is what it wants (the server's default frequency, no
 * debug mode), so removing `frequency: "daily"` from a program puts the connection back to "manually".
 */
export const connectionInputsSchema = z.strictObject(
  {
    alias: api.alias,
    connector: api.connector,
    project: api.project,
    frequency: api.frequency.unwrap().default(MANUAL_FREQUENCY),
    debugMode: z.boolean({ error: "must be true or false" }).default(false),
    params: api.params,
    testConnection: z.boolean({ error: "must be true or false" }).default(true),
    adoptId: idSchema("existing connection to bring under management").optional(),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown argument(s) ${iss.keys.join(", ")}: an IssueTrackerConnection takes alias, connector, project, frequency, debugMode, params, testConnection and adoptId`
        : "must be an object of arguments",
  },
);
export type ConnectionInputs = z.output<typeof connectionInputsSchema>;

/** The engine's own key for the serialized provider; it travels with every input bag. */
export const PROVIDER_KEY = "__provider";

/** The API body that creates or fully describes this connection. */
export function toApiBody(inputs: ConnectionInputs): Required<Omit<ConnectionCreate, "params">> & { params: ConnectionInputs["params"] } {
  return {
    alias: inputs.alias,
    connector: inputs.connector,
    project: inputs.project,
    frequency: inputs.frequency,
    debug_mode: inputs.debugMode,
    params: inputs.params,
  };
}

/** Which inputs decide whether the connection works; a change to any of them re-runs the test in preview. */
export function connectionRelevant(inputs: Partial<Record<keyof ConnectionInputs, unknown>>): unknown {
  return { connector: inputs.connector, project: inputs.project, params: inputs.params };
}
