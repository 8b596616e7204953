import { z } from "zod";
import type { Connection } from "../schema/connection";
import { lastJobSchema, type LastJob } from "../schema/job";
import { paramValueSchema, SERVER_INTERNAL_PARAMS, type ParamValue, type Params } from "../schema/params";
import { isSecretParamKey, secretParamValues } from "../schema/secrets";
import { describeIssues, describeKind } from "../schema/validation";
import { PROVIDER_OWN_FIELDS, SCALAR_FIELDS, type ProviderOwnField, type ScalarField } from "./fields";
import type { PropertyChange } from "./property-change";
import type { ConnectionInputs } from "./inputs";

/** A sync job's outputs, each with the field of the API's `last_job` it is: one table for its schema and toSyncJob. */
const SYNC_JOB_FIELDS = {
  id: "id",
  succeeded: "succeeded",
  ready: "ready",
  automatic: "automatic",
  lastRun: "last_run",
  resultMessage: "result_message",
} as const satisfies Record<string, keyof LastJob>;
type SyncJobFields = typeof SYNC_JOB_FIELDS;
const job = lastJobSchema.shape;
/** A sync job in camelCase: the API's `last_job`, its fields renamed. */
const syncJobSchema = z.object(
  Object.fromEntries(Object.entries(SYNC_JOB_FIELDS).map(([output, field]) => [output, job[field]])) as {
    [K in keyof SyncJobFields]: (typeof job)[SyncJobFields[K]];
  },
);
export type SyncJob = z.output<typeof syncJobSchema>;

/** What a param value that is not one is told: the params schema's own words. */
const PARAM_VALUE_PROBLEM = paramValueSchema.safeParse([]).error?.issues[0]?.message ?? "must be a string, number, boolean or null";

/**
 * Stored params (and credentials): a map of plain values. Checked in place rather than parsed into a copy:
 * every diff of every resource reads one, so a record schema's per-value parse and copy would be the
 * largest cost of a preview without changes. An unreadable value is named by its key.
 */
const storedParamsSchema = z.custom<Params>().superRefine((params, ctx) => {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    ctx.addIssue({ code: "custom", message: `must be a map of param names to values, not ${describeKind(params)}` });
    return;
  }
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      ctx.addIssue({ code: "custom", path: [key], message: PARAM_VALUE_PROBLEM });
    }
  }
});

/**
 * What the provider stores as a connection's outputs (the field table's stored names). The engine hands
 * outputs (not inputs) to diff, read, update and delete, so this is the provider's whole memory of a
 * connection:
 * - `params`: every param the server reports, except credentials;
 * - `credentials`: the credential params the program manages, as the server reports them. A top-level
 *   output of their own, so the resource can mark it secret (`additionalSecretOutputs`) in every operation,
 *   refresh included, whatever the engine's key matching does. Credentials the program does not set (a
 *   connector's password the server fills in) are not stored at all;
 * - `managedParams`: the param keys the program sets: diff compares those and nothing the server filled.
 *
 * The schema reads a stored state back, once, where the engine hands it over. It is lenient where states
 * written by other versions may differ: `credentials`, `managedParams` and `testConnection` may be missing
 * (read as none apart, none managed, and the test on, as reads always took a state without them), the
 * outputs an answer may lack are optional, and keys it does not know (the engine's `__provider`) are
 * passed over. Cheap by design, since every diff of every resource reads one: plain types, params checked
 * in place, unknown keys left out rather than copied (a loose object is many times slower), and the result
 * used as it is.
 */
export const connectionStateSchema = z.object({
  connectionId: z.int(),
  alias: z.string(),
  connector: z.int(),
  project: z.int(),
  frequency: z.string(),
  debugMode: z.boolean(),
  params: storedParamsSchema,
  credentials: storedParamsSchema.default(() => ({})),
  managedParams: z.array(z.string()).default(() => []),
  system: z.object({ id: z.string(), name: z.string(), shortName: z.string().optional() }),
  command: z.string(),
  inaccessible: z.boolean(),
  inProgress: z.boolean().optional(),
  lastJob: syncJobSchema.nullable().optional(),
  lastSuccessfulRun: z.string().optional(),
  testConnection: z.boolean().default(true),
  adoptId: z.int().optional(),
});
export type ConnectionState = z.output<typeof connectionStateSchema>;

/** A stored state read back: the state, or what makes it unreadable (`field: problem`; never a value). */
export type StateReading = { readable: true; state: ConnectionState } | { readable: false; problem: string };

export function readState(props: unknown): StateReading {
  const parsed = connectionStateSchema.safeParse(props);
  return parsed.success ? { readable: true, state: parsed.data } : { readable: false, problem: describeIssues(parsed.error).join("; ") };
}

/** The outputs that always have a value once read (a default where the state has none). */
type Defaulted = "credentials" | "managedParams" | "testConnection";

/**
 * What can be used of a state that is not readable as a whole: each output that is readable on its own,
 * the default of those that have one, and nothing of the others. For a refresh, which rebuilds the rest
 * from the server.
 */
export function readableParts(props: Readonly<Record<string, unknown>>): Partial<ConnectionState> & Pick<ConnectionState, Defaulted> {
  const parts: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(connectionStateSchema.shape)) {
    const field = schema.safeParse(props[key]);
    const value = field.success ? field.data : schema.safeParse(undefined).data;
    if (value !== undefined) parts[key] = value;
  }
  return parts as Partial<ConnectionState> & Pick<ConnectionState, Defaulted>;
}

/** What the program manages of a connection, beyond the API's fields. */
export interface Management {
  paramKeys: readonly string[];
  testConnection: boolean;
  adoptId?: number | undefined;
}

export function managementOf(inputs: Pick<ConnectionInputs, "params" | "testConnection" | "adoptId">): Management {
  return { paramKeys: Object.keys(inputs.params), testConnection: inputs.testConnection, adoptId: inputs.adoptId };
}

/** The outputs for a connection the API returned, given what the program manages. */
export function toState(
  connection: Connection,
  managed: Management,
  previous?: Partial<Pick<ConnectionState, "params" | "credentials" | "lastJob" | "inProgress" | "system">>,
): ConnectionState {
  const managedParams = [...managed.paramKeys].sort();
  // A token without the 'Edit Issue Tracker connections' permission gets no params: keep what was known
  // rather than report every param as removed.
  const serverParams = connection.params ?? { ...previous?.params, ...previous?.credentials };
  const params: Params = {};
  const credentials: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(serverParams)) {
    if (SERVER_INTERNAL_PARAMS.includes(key)) continue;
    if (!isSecretParamKey(key)) params[key] = value;
    else if (managedParams.includes(key)) credentials[key] = value;
  }
  // Only reads ask for the last job; other answers leave it out, and then the last known one stands.
  const lastJob = connection.last_job === undefined ? previous?.lastJob : connection.last_job && toSyncJob(connection.last_job);
  const lastSuccessfulRun = serverParams.last_successful_run;
  const state: Record<string, unknown> = { connectionId: connection.id };
  for (const field of SCALAR_FIELDS) state[field.stored] = connection[field.api];
  return definedOnly({
    ...(state as Pick<ConnectionState, "connectionId" | ScalarField["stored"]>),
    params,
    credentials,
    managedParams,
    // Single-object answers leave out short_name (the API page shows both shapes): keep the one known.
    system: definedOnly({
      id: connection.system.id,
      name: connection.system.name,
      shortName: connection.system.short_name ?? (previous?.system?.id === connection.system.id ? previous.system.shortName : undefined),
    }),
    command: connection.command,
    inaccessible: connection.inaccessible,
    // Single-object answers do not carry in_progress; a queued or running last job means the same.
    inProgress: connection.in_progress ?? (lastJob === undefined ? previous?.inProgress : lastJob !== null && !lastJob.ready),
    lastJob,
    lastSuccessfulRun: typeof lastSuccessfulRun === "string" ? lastSuccessfulRun : undefined,
    testConnection: managed.testConnection,
    adoptId: managed.adoptId,
  });
}

/**
 * `fields` without the keys whose value is undefined: the engine's Struct encoding has no undefined, so
 * outputs must not hold one. Shallow, because every nested value of a state is built defined.
 */
export function definedOnly<T extends object>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const key in fields) if (fields[key] !== undefined) out[key] = fields[key];
  return out as T;
}

function toSyncJob(job: LastJob): SyncJob {
  return Object.fromEntries(Object.entries(SYNC_JOB_FIELDS).map(([output, field]) => [output, job[field]])) as SyncJob;
}

/** The server's current value of a param the program manages (credentials included). */
export function currentParam(state: Pick<ConnectionState, "params" | "credentials">, key: string): ParamValue | undefined {
  return key in state.credentials ? state.credentials[key] : state.params[key];
}

/**
 * The inputs that describe a connection as it is now: after a refresh, diffs compare the program against
 * these, so drift on the server (a changed alias, frequency or password) shows as a change to apply.
 */
export function toInputs(state: ConnectionState): Record<string, unknown> {
  const params: Params = {};
  for (const key of state.managedParams) {
    const value = currentParam(state, key);
    if (value !== undefined) params[key] = value;
  }
  const inputs: Record<string, unknown> = {};
  for (const field of SCALAR_FIELDS) inputs[field.program] = state[field.stored];
  inputs.params = params;
  for (const field of PROVIDER_OWN_FIELDS) if (state[field.stored] !== undefined) inputs[field.program] = state[field.stored];
  return inputs;
}

/**
 * A connection's params as far as known after a PATCH, for an answer without them: the state's, with what
 * was sent; a param the program stopped setting now has the connector's value, which is not known here.
 */
export function paramsAfter(
  state: ConnectionState,
  inputs: ConnectionInputs,
  changes: readonly PropertyChange[],
): Record<string, ParamValue> {
  const known: Record<string, ParamValue> = { ...state.params, ...state.credentials, ...inputs.params };
  for (const change of changes) {
    if (change.kind === "delete" && change.property.startsWith("params.")) delete known[change.property.slice("params.".length)];
  }
  return known;
}

/**
 * Every credential value known for a connection, in a program's params and in stored credentials, as
 * they are (parsed or not): the values to hide in any message about it.
 */
export function credentialValues(...sources: readonly { params?: unknown; credentials?: unknown }[]): string[] {
  return sources.flatMap((source) => [...secretParamValues(source.params), ...secretParamValues(source.credentials)]);
}

/** The outputs with the provider's own arguments as the program now gives them: they change no API object. */
export function withProviderOwn(state: ConnectionState, inputs: Pick<ConnectionInputs, ProviderOwnField["program"]>): ConnectionState {
  const out: Record<string, unknown> = { ...state };
  for (const field of PROVIDER_OWN_FIELDS) out[field.stored] = inputs[field.program];
  return definedOnly(out) as ConnectionState;
}
