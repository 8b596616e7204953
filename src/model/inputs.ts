import { z } from "zod";
import { connectionCreateSchema } from "../schema/connection";
import { idSchema } from "../schema/ids";
import { MANUAL_FREQUENCY } from "../schema/frequency";
import { booleanSchema } from "../schema/boolean";
import { declaredParamsSchema } from "../schema/declared-params";
import { listed, strictKeysError, unknownKeysMessage } from "../schema/unknown-keys";
import { describeKind } from "../schema/validation";
import { PROGRAM_NAMES, type ProgramName } from "./fields";

const api = connectionCreateSchema.shape;

/** What a program that leaves these arguments out wants. */
export const INPUT_DEFAULTS = { frequency: MANUAL_FREQUENCY, debugMode: false, testConnection: true } as const;

/**
 * A connection as a program declares it: the API's fields in camelCase, with the provider's own two
 * (`testConnection`, `adoptId`). Built from the API schemas, so a rule changes in one place. Defaults
 * are filled in here: what the program leaves out is what it wants (the server's default frequency, no
 * debug mode), so removing `frequency: "daily"` from a program puts the connection back to "manually".
 */
const inputsShape = {
  // The server trims an alias (a DRF CharField): one with spaces around it would differ for ever.
  alias: api.alias.refine(
    (s) => s === s.trim(),
    "must not start or end with spaces: the server trims them, so the connection would never match the program",
  ),
  connector: api.connector,
  project: api.project,
  frequency: api.frequency.unwrap().default(INPUT_DEFAULTS.frequency),
  debugMode: booleanSchema.default(INPUT_DEFAULTS.debugMode),
  // Stricter than the API: a number given as a string is refused (declared-params.ts).
  params: declaredParamsSchema,
  testConnection: booleanSchema.default(INPUT_DEFAULTS.testConnection),
  adoptId: idSchema("existing connection to bring under management").optional(),
} satisfies Record<ProgramName, z.ZodType>;

/** The provider's own arguments, parsed alone where the API's fields are parsed with the API's schema. */
export const providerOwnSchema = z.object({ testConnection: inputsShape.testConnection, adoptId: inputsShape.adoptId });

/** The arguments an IssueTrackerConnection takes (the field table's): every other key is refused by name. */
export const CONNECTION_ARGUMENTS: readonly string[] = PROGRAM_NAMES;

const ARGUMENT_NOUN = { one: "argument", many: "arguments" };
const TAKES = `an IssueTrackerConnection takes ${listed(CONNECTION_ARGUMENTS)}`;

/** Why these keys are refused: `unknown argument frequncy (did you mean frequency?): an IssueTrackerConnection takes ...`. */
export function unknownArgumentsMessage(keys: readonly string[]): string {
  return unknownKeysMessage(keys, CONNECTION_ARGUMENTS, ARGUMENT_NOUN, TAKES);
}

export const connectionInputsSchema = z.strictObject(inputsShape, {
  error: strictKeysError(
    CONNECTION_ARGUMENTS,
    ARGUMENT_NOUN,
    TAKES,
    (input) => `must be an object of arguments, not ${describeKind(input)}`,
  ),
});
export type ConnectionInputs = z.output<typeof connectionInputsSchema>;

/** The engine's own key for the serialized provider; it travels with every input bag. */
export const PROVIDER_KEY = "__provider";
