/**
 * A connection has three shapes: the program's arguments (camelCase), the API's bodies and answers
 * (snake_case), and the outputs the provider stores (the engine's only memory of it). This table says,
 * field by field, what the field is called in each shape and what kind of field it is. Every conversion
 * between the shapes reads it (api-body.ts: arguments → create and PATCH bodies, and back; state.ts: answer
 * → outputs → arguments; diff.ts), so a field is added or renamed here, once.
 */

export type FieldKind =
  /** One value: sent as the program gives it, stored as the server answers it. */
  | "scalar"
  /** The params map: the program's and the API's `params`; stored without credentials, and the keys the program sets. */
  | "param"
  /** Credential params: in the program's and the API's `params`; stored apart, and only those the program sets. */
  | "credential"
  /** The server's: in its answers and in the outputs, never sent. */
  | "server-only"
  /** The provider's own settings: arguments and outputs, never sent. */
  | "provider-own";

interface Field {
  kind: FieldKind;
  /** The program's argument; none for what the server alone knows. */
  program?: string;
  /** The API's field (a dotted path inside one); none for what the API never sees. */
  api?: string;
  /** The stored output. */
  stored: string;
}

export const CONNECTION_FIELDS = [
  // In the order of the stored outputs, as the engine and the CLI show them.
  { kind: "server-only", api: "id", stored: "connectionId" },
  { kind: "scalar", program: "alias", api: "alias", stored: "alias" },
  { kind: "scalar", program: "connector", api: "connector", stored: "connector" },
  { kind: "scalar", program: "project", api: "project", stored: "project" },
  { kind: "scalar", program: "frequency", api: "frequency", stored: "frequency" },
  { kind: "scalar", program: "debugMode", api: "debug_mode", stored: "debugMode" },
  { kind: "param", program: "params", api: "params", stored: "params" },
  // A top-level output of their own, so the resource marks them secret in every operation, refresh included.
  { kind: "credential", program: "params", api: "params", stored: "credentials" },
  // The keys of the program's params: diff compares those and nothing the server filled in.
  { kind: "param", program: "params", stored: "managedParams" },
  { kind: "server-only", api: "system", stored: "system" },
  { kind: "server-only", api: "command", stored: "command" },
  { kind: "server-only", api: "inaccessible", stored: "inaccessible" },
  { kind: "server-only", api: "in_progress", stored: "inProgress" },
  { kind: "server-only", api: "last_job", stored: "lastJob" },
  { kind: "server-only", api: "params.last_successful_run", stored: "lastSuccessfulRun" },
  { kind: "provider-own", program: "testConnection", stored: "testConnection" },
  { kind: "provider-own", program: "adoptId", stored: "adoptId" },
] as const satisfies readonly Field[];

type Row = (typeof CONNECTION_FIELDS)[number];
export type ScalarField = Extract<Row, { kind: "scalar" }>;
export type ProviderOwnField = Extract<Row, { kind: "provider-own" }>;
/** An argument a program may give. */
export type ProgramName = Extract<Row, { program: string }>["program"];

const ofKind = <K extends FieldKind>(kind: K) =>
  CONNECTION_FIELDS.filter((field): field is Extract<Row, { kind: K }> => field.kind === kind);

/** The connection's own values, sent and stored: alias, connector, project, frequency, debugMode. */
export const SCALAR_FIELDS: readonly ScalarField[] = ofKind("scalar");

/** The provider's settings, which change no API object: testConnection, adoptId. */
export const PROVIDER_OWN_FIELDS: readonly ProviderOwnField[] = ofKind("provider-own");

/** Every argument a program may give, once each, in the table's order. */
export const PROGRAM_NAMES: readonly ProgramName[] = [
  ...new Set(CONNECTION_FIELDS.flatMap((field) => ("program" in field ? [field.program] : []))),
];

/** Every output the provider stores. */
export const STORED_NAMES: readonly string[] = CONNECTION_FIELDS.map((field) => field.stored);

/** An argument's API name, for the arguments that are sent (`debugMode` → `debug_mode`). */
export const API_NAME: Readonly<Record<ScalarField["program"] | "params", string>> = Object.fromEntries(
  CONNECTION_FIELDS.flatMap((field) => ("program" in field && "api" in field ? [[field.program, field.api]] : [])),
) as Record<ScalarField["program"] | "params", string>;
