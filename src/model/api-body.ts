import { checking, type Checked } from "../schema/checked";
import { connectionCreateSchema, type ConnectionUpdate } from "../schema/connection";
import type { ParamValue } from "../schema/params";
import { describeIssues } from "../schema/validation";
import type { DeclaredInputs } from "./diff";
import type { PropertyChange } from "./property-change";
import { API_NAME, SCALAR_FIELDS, type ScalarField } from "./fields";
import { INPUT_DEFAULTS, providerOwnSchema, type ConnectionInputs } from "./inputs";

/** A connection's sent arguments under their API names: `{ alias, connector, project, frequency, debug_mode, params }`. */
export type ApiFields<T extends DeclaredInputs> = { [F in ScalarField as F["api"]]: T[F["program"]] } & { params: T["params"] };

/**
 * The API body that creates or fully describes this connection: the sent arguments under their API names
 * (`debugMode` → `debug_mode`), values as they are; the provider's own arguments are not sent, and one not
 * given is left out.
 */
export function toApiBody<T extends DeclaredInputs>(inputs: T): ApiFields<T> {
  const body: Record<string, unknown> = { params: inputs.params };
  for (const field of SCALAR_FIELDS) if (inputs[field.program] !== undefined) body[field.api] = inputs[field.program];
  return body as ApiFields<T>;
}

/**
 * A connection's API fields under the program's names (`debug_mode` → `debugMode`), values as they are:
 * what a program that declares this connection exactly as it is would say.
 */
export function programFieldsOf<T extends Partial<Record<ScalarField["api"], unknown>>>(fields: T): ProgramFields<T> {
  const out: Record<string, unknown> = {};
  for (const field of SCALAR_FIELDS) out[field.program] = fields[field.api];
  return out as ProgramFields<T>;
}

/** A connection's API fields under the program's names: `{ alias, connector, project, frequency, debugMode }`. */
export type ProgramFields<T extends Partial<Record<ScalarField["api"], unknown>>> = { [F in ScalarField as F["program"]]: T[F["api"]] };

/** The PATCH body for these changes: changed fields, changed params, removed params as null. */
export function patchFor(changes: readonly PropertyChange[], inputs: ConnectionInputs): ConnectionUpdate {
  const patch: Record<string, unknown> = {};
  const params: Record<string, ParamValue> = {};
  for (const change of changes) {
    if (change.property.startsWith("params.")) {
      const key = change.property.slice("params.".length);
      params[key] = change.kind === "delete" ? null : (inputs.params[key] as ParamValue);
    } else {
      const program = change.property as ScalarField["program"];
      patch[API_NAME[program]] = inputs[program];
    }
  }
  if (Object.keys(params).length > 0) patch.params = params;
  return patch as ConnectionUpdate;
}

const checkedCreateBody = checking(connectionCreateSchema);

/** The inputs create and update work from, and their create body as the client's own schema checked it. */
export type AcceptedInputs =
  { accepted: true; inputs: ConnectionInputs; body: Checked<typeof connectionCreateSchema> } | { accepted: false; problem: string };

/**
 * The inputs create and update get: what check returned, which the engine hands over as a plain bag.
 * Parsed once, here: the API's fields, renamed by the field table, with the client's own create schema, so
 * that the client sends this body as it is; and the provider's own arguments with theirs. A bag that does
 * not parse did not come from check.
 */
export function acceptInputs(bag: Readonly<Record<string, unknown>>): AcceptedInputs {
  const body = checkedCreateBody.safeParse(toApiBody(bag));
  const own = providerOwnSchema.safeParse(bag);
  if (!body.success || !own.success) {
    const problems = [...(body.error ? describeIssues(body.error) : []), ...(own.error ? describeIssues(own.error) : [])];
    return { accepted: false, problem: problems.join("; ") };
  }
  const fields = programFieldsOf(body.data);
  const inputs: ConnectionInputs = {
    ...fields,
    frequency: fields.frequency ?? INPUT_DEFAULTS.frequency,
    debugMode: fields.debugMode ?? INPUT_DEFAULTS.debugMode,
    params: body.data.params,
    ...own.data,
  };
  return { accepted: true, inputs, body: body.data };
}
