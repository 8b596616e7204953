import { z } from "zod";
import { connectionCreateSchema, type ConnectionCreate } from "../schema/connection";
import { idSchema } from "../schema/ids";
import { MANUAL_FREQUENCY } from "../schema/frequency";
import { booleanSchema } from "../schema/boolean";
import { listed, strictKeysError, unknownKeysMessage } from "../schema/unknown-keys";
import { describeKind } from "../schema/validation";

const api = connectionCreateSchema.shape;

/**
 * A connection as a program declares it: the API's fields in camelCase, with the provider's own two
 * (`testConnection`, `adoptId`). Built from the API schemas, so a rule changes in one place. Defaults
 * are filled in here: what the program leaves out is what it wants (the server's default frequency, no
 * debug mode), so removing `frequency: "daily"` from a program puts the connection back to "manually".
 */
const inputsShape = {
  // The server trims an alias (a DRF CharField): one with spaces around it would differ for ever.
  alias: api.alias.refine((s) => s === s.trim(), "must not start or end with spaces: the server trims them, so the connection would never match the program"),
  connector: api.connector,
  project: api.project,
  frequency: api.frequency.unwrap().default(MANUAL_FREQUENCY),
  debugMode: booleanSchema.default(false),
  params: api.params,
  testConnection: booleanSchema.default(true),
  adoptId: idSchema("existing connection to bring under management").optional(),
};

/** The arguments an IssueTrackerConnection takes: every other key is refused by name. */
export const CONNECTION_ARGUMENTS: readonly string[] = Object.keys(inputsShape);

const ARGUMENT_NOUN = { one: "argument", many: "arguments" };
const TAKES = `an IssueTrackerConnection takes ${listed(CONNECTION_ARGUMENTS)}`;

/** Why these keys are refused: `unknown argument frequncy (did you mean frequency?): an IssueTrackerConnection takes ...`. */
export function unknownArgumentsMessage(keys: readonly string[]): string {
  return unknownKeysMessage(keys, CONNECTION_ARGUMENTS, ARGUMENT_NOUN, TAKES);
}

export const connectionInputsSchema = z.strictObject(inputsShape, {
  error: strictKeysError(CONNECTION_ARGUMENTS, ARGUMENT_NOUN, TAKES, (input) => `must be an object of arguments, not ${describeKind(input)}`),
});
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

/**
 * The inputs the connection test depends on: a change to any of them re-runs the test in preview (with
 * `adoptId`, the test starts from that connection's own params).
 */
type TestedSettings = Partial<Record<"connector" | "project" | "params" | "adoptId", unknown>>;

/**
 * Whether two sets of inputs agree on everything the connection test depends on. Checked inputs hold
 * plain scalars in params, so a key-by-key comparison is exact (and far cheaper than serialising both).
 */
export function sameTestedSettings(a: TestedSettings, b: TestedSettings): boolean {
  if (a.connector !== b.connector || a.project !== b.project || a.adoptId !== b.adoptId) return false;
  const left = (a.params ?? {}) as Record<string, unknown>;
  const right = (b.params ?? {}) as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && left[key] === right[key]);
}

/** The settings the connection test depends on as one text, param keys sorted: equal settings, equal text. */
export function testedSettingsText(inputs: TestedSettings): string {
  const params = (inputs.params ?? {}) as Record<string, unknown>;
  const sorted = Object.keys(params).sort().map((key) => [key, params[key]]);
  return JSON.stringify([inputs.connector, inputs.project, sorted, inputs.adoptId ?? null]);
}
