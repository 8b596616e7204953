export { SdeClient } from "./client";
export { SdeApiError, SdeConfigError, isSdeApiError, isSdeConfigError, type SdeApiErrorKind } from "./errors";
export type { ClientOptionsInput } from "./options";
export type { ConnectionTestOutcome, DeleteOutcome, ListConnectionsFilter } from "./endpoints/connections";
export type { ListProjectsFilter } from "./endpoints/projects";
export type { ListApplicationsFilter } from "./endpoints/applications";
export type { ListBusinessUnitsFilter } from "./endpoints/business-units";
export type { ListConnectorsFilter } from "./endpoints/connectors";
