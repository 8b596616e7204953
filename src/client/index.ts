export { SdeClient } from "./client";
export { SdeApiError, SdeConfigError, isSdeApiError, isSdeConfigError, type SdeApiErrorKind } from "./errors";
export type { ClientOptionsInput } from "./options";
export type { ConnectionTestOutcome, DeleteOutcome, ListConnectionsFilter } from "./endpoints/connections";
