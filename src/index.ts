/**
 * pulumi-sdelements: SD Elements Issue Tracker Connections as Pulumi resources.
 *
 * - `IssueTrackerConnection`: the resource; `ConnectionTests`: a catalogue's connection tests, run together;
 * - `getIssueTrackerConnections`, `getIssueTrackerConnection`, `testIssueTrackerConnection`: functions;
 * - `getProjectId`, `getConnectorId` (and `lookupProject`, `lookupConnector`): names to ids; `getProjectIds`
 *   and `resolveCatalogue` for many at once (one listing of the projects);
 * - `SdeClient`: the typed SD Elements API v2 client they use.
 * The emulator, a local SD Elements API for tests and offline runs, is `pulumi-sdelements/emulator`
 * (src/emulator-api.ts): a program never loads it.
 */
import "./supported-node";
export { IssueTrackerConnection, type IssueTrackerConnectionArgs, type IssueTrackerParams } from "./issue-tracker-connection";
export { ConnectionTests, type ConnectionTestsArgs } from "./connection-tests";
export {
  getIssueTrackerConnection,
  getIssueTrackerConnections,
  testIssueTrackerConnection,
  getProjectId,
  getProjectIds,
  getConnectorId,
  lookupProject,
  lookupConnector,
  resolveCatalogue,
  type GetIssueTrackerConnectionsArgs,
  type IssueTrackerConnectionInfo,
} from "./functions";
export type { ProjectLookup, ConnectorLookup } from "./lookups/arguments";
export type { ProjectMatch } from "./lookups/project";
export type { ConnectorMatch } from "./lookups/connector";
export type { ProjectReference, ConnectorReference } from "./lookups/references";
export { SdeLookupError, isSdeLookupError } from "./lookups/errors";
export {
  SdeClient,
  SdeApiError,
  SdeConfigError,
  isSdeApiError,
  isSdeConfigError,
  type SdeApiErrorKind,
  type ClientOptionsInput,
} from "./client";
export type { SyncJob } from "./model/state";
export { FREQUENCIES, MANUAL_FREQUENCY, type Frequency } from "./schema/frequency";
export { isSecretParamKey } from "./schema/secrets";
export { loadCatalogue, parseCatalogue, CatalogueError, type CatalogueConnection, type CatalogueFile } from "./export/catalogue";
