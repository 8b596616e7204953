import { ApplicationsApi } from "./endpoints/applications";
import { BusinessUnitsApi } from "./endpoints/business-units";
import { ConnectionsApi } from "./endpoints/connections";
import { ConnectorsApi } from "./endpoints/connectors";
import { JobsApi } from "./endpoints/jobs";
import { ProjectsApi } from "./endpoints/projects";
import { withEnvironment } from "./config";
import { parseClientOptions, type ClientOptionsInput } from "./options";
import { Transport } from "./transport";

/**
 * A typed client for the SD Elements API v2, one per server. Settings not given fall back to SDE_URL,
 * SDE_API_TOKEN, SDE_CA_FILE and SDE_INSECURE_SKIP_VERIFY. Close it when done to release its sockets.
 */
export class SdeClient {
  readonly connections: ConnectionsApi;
  readonly connectors: ConnectorsApi;
  readonly projects: ProjectsApi;
  readonly applications: ApplicationsApi;
  readonly businessUnits: BusinessUnitsApi;
  readonly jobs: JobsApi;
  private readonly transport: Transport;

  constructor(options: Partial<ClientOptionsInput> = {}, env: NodeJS.ProcessEnv = process.env) {
    this.transport = new Transport(parseClientOptions(withEnvironment(options, env)));
    this.connections = new ConnectionsApi(this.transport);
    this.connectors = new ConnectorsApi(this.transport);
    this.projects = new ProjectsApi(this.transport);
    this.applications = new ApplicationsApi(this.transport);
    this.businessUnits = new BusinessUnitsApi(this.transport);
    this.jobs = new JobsApi(this.transport);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
