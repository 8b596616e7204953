import { serverTimestamp } from "./clock";
import type { DataFile } from "./data-file";
import type { ProjectNames } from "./params-merge";
import type { Frequency } from "./rules/connection";
import type { Params } from "./rules/params";
import { systemById, type System } from "./rules/systems";
import type {
  ApplicationRecord,
  BusinessUnitRecord,
  ConnectionRecord,
  ConnectorRecord,
  JobRecord,
  ProjectRecord,
  State,
  TokenRecord,
  TrackerRecord,
} from "./seed-schema";

/** What a new connection is made of once its request has been validated. */
export interface NewConnection {
  alias: string;
  connector: number;
  project: number;
  frequency: Frequency;
  debug_mode: boolean;
  params: Params;
}

/** The result of a sync run, or a queued run (`ready: false`). */
export interface JobResult {
  succeeded: boolean;
  ready: boolean;
  automatic: boolean;
  resultMessage: string;
  /** Who triggered it (a user id), when a person did. */
  user: number | null;
}

/**
 * The emulator's state and the only code that changes it. Reads are synchronous; each change is applied in
 * memory in one synchronous step (so no request can observe half of it) and then saved, and the change's
 * promise resolves once it is saved. Handlers validate everything before calling a change, so a rejected
 * request changes nothing and consumes no id.
 */
export class Store {
  /** Connections by id: every request names one, and a store of thousands must not be scanned each time. */
  private readonly connectionsById: Map<number, ConnectionRecord>;
  /** Each connection's jobs in id order: a list shows every connection's last job, so no scan of all jobs. */
  private readonly jobsByConnection = new Map<number, JobRecord[]>();

  constructor(
    private readonly state: State,
    private readonly dataFile?: DataFile,
  ) {
    this.connectionsById = new Map(state.connections.map((c) => [c.id, c]));
    for (const job of [...state.jobs].sort((a, b) => a.id - b.id)) this.jobsOf(job.connection, true).push(job);
  }

  /** The connection's jobs, oldest first (the live list, to append to when `create`). */
  private jobsOf(connectionId: number, create = false): JobRecord[] {
    let jobs = this.jobsByConnection.get(connectionId);
    if (!jobs) {
      jobs = [];
      if (create) this.jobsByConnection.set(connectionId, jobs);
    }
    return jobs;
  }

  // ---- reads -------------------------------------------------------------------------------------------

  get advancedIssueTracker(): boolean {
    return this.state.settings.advancedIssueTracker;
  }

  get tokens(): readonly TokenRecord[] {
    return this.state.tokens;
  }

  get trackers(): readonly TrackerRecord[] {
    return this.state.trackers;
  }

  /** Connections in id order (lists are ordered by id). */
  connections(): readonly ConnectionRecord[] {
    return [...this.state.connections].sort((a, b) => a.id - b.id);
  }

  connection(id: number): ConnectionRecord | undefined {
    return this.connectionsById.get(id);
  }

  connectors(): readonly ConnectorRecord[] {
    return [...this.state.connectors].sort((a, b) => a.id - b.id);
  }

  connector(id: number): ConnectorRecord | undefined {
    return this.state.connectors.find((c) => c.id === id);
  }

  /** The system a connector syncs with (seeds are validated, so it is always known). */
  systemOf(connector: ConnectorRecord): System {
    const system = systemById(connector.system);
    if (!system) throw new Error(`connector ${connector.id} has unknown system ${connector.system}`);
    return system;
  }

  projects(): readonly ProjectRecord[] {
    return [...this.state.projects].sort((a, b) => a.id - b.id);
  }

  project(id: number): ProjectRecord | undefined {
    return this.state.projects.find((p) => p.id === id);
  }

  applications(): readonly ApplicationRecord[] {
    return [...this.state.applications].sort((a, b) => a.id - b.id);
  }

  application(id: number): ApplicationRecord | undefined {
    return this.state.applications.find((a) => a.id === id);
  }

  businessUnits(): readonly BusinessUnitRecord[] {
    return [...this.state.businessUnits].sort((a, b) => a.id - b.id);
  }

  businessUnit(id: number): BusinessUnitRecord | undefined {
    return this.state.businessUnits.find((b) => b.id === id);
  }

  projectNames(project: ProjectRecord): ProjectNames {
    const application = this.state.applications.find((a) => a.id === project.application);
    const businessUnit = this.state.businessUnits.find((b) => b.id === application?.business_unit);
    return { project: project.name, application: application?.name ?? "", businessUnit: businessUnit?.name ?? "" };
  }

  /** Jobs in id order, optionally of one connection. */
  jobs(connectionId?: number): readonly JobRecord[] {
    if (connectionId !== undefined) return this.jobsOf(connectionId);
    return [...this.state.jobs].sort((a, b) => a.id - b.id);
  }

  job(id: number): JobRecord | undefined {
    return this.state.jobs.find((j) => j.id === id);
  }

  /**
   * The newest job of a connection: the one created last, i.e. the highest id. Not the latest `last_run`:
   * the API page's own example has a failed `last_job` (2016) older than its `last_successful_run` (2019).
   */
  lastJob(connectionId: number): JobRecord | undefined {
    return this.jobs(connectionId).at(-1);
  }

  /** `last_run` of the newest successful job, if there is one. */
  lastSuccessfulRun(connectionId: number): string | undefined {
    const job = this.jobs(connectionId)
      .filter((j) => j.succeeded && j.last_run !== null)
      .at(-1);
    return job?.last_run ?? undefined;
  }

  /** A connection is in progress while one of its jobs is queued or running (`ready: false`). */
  inProgress(connectionId: number): boolean {
    return this.jobsOf(connectionId).some((j) => !j.ready);
  }

  // ---- changes -----------------------------------------------------------------------------------------

  createConnection(data: NewConnection): { record: ConnectionRecord; saved: Promise<void> } {
    const record: ConnectionRecord = { id: this.state.nextIds.connection++, ...structuredClone(data) };
    this.state.connections.push(record);
    this.connectionsById.set(record.id, record);
    return { record, saved: this.save() };
  }

  updateConnection(id: number, changes: Partial<NewConnection>): { record: ConnectionRecord; saved: Promise<void> } {
    const record = this.connection(id);
    if (!record) throw new Error(`no connection ${id}`);
    Object.assign(record, structuredClone(changes));
    return { record, saved: this.save() };
  }

  /** Deletes the connection and its jobs (they belong to it, as a database cascade would have it). */
  deleteConnection(id: number): Promise<void> {
    const record = this.connectionsById.get(id);
    const at = record ? this.state.connections.indexOf(record) : -1;
    if (at >= 0) this.state.connections.splice(at, 1);
    this.connectionsById.delete(id);
    if (this.jobsByConnection.delete(id)) this.state.jobs = this.state.jobs.filter((j) => j.connection !== id);
    return this.save();
  }

  /**
   * Records a job. A finished job (`ready: true`) for a connection with a queued job completes the oldest
   * queued one in place, as the real worker finishes the job it picked up; otherwise a new job is added.
   */
  recordJob(connectionId: number, result: JobResult): { record: JobRecord; saved: Promise<void> } {
    if (!this.connection(connectionId)) throw new Error(`no connection ${connectionId}`);
    // The API refuses it too: a job that has not run cannot have succeeded.
    if (!result.ready && result.succeeded) throw new Error("a queued job (ready: false) cannot have succeeded: it has not run yet");
    const queued = result.ready ? this.jobs(connectionId).find((j) => !j.ready) : undefined;
    const fields = {
      succeeded: result.succeeded,
      ready: result.ready,
      automatic: result.automatic,
      last_run: serverTimestamp(),
      result_message: result.resultMessage,
      user: result.user,
      triggered_by: result.automatic ? null : result.user,
    };
    let record: JobRecord;
    if (queued) {
      record = Object.assign(queued, fields);
    } else {
      record = { id: this.state.nextIds.job++, connection: connectionId, ...fields };
      this.state.jobs.push(record);
      this.jobsOf(connectionId, true).push(record);
    }
    return { record, saved: this.save() };
  }

  /** Resolves when every change so far is on disk. */
  flush(): Promise<void> {
    return this.dataFile?.flush() ?? Promise.resolve();
  }

  /** Saves the state now (the initial write of a new data file). */
  save(): Promise<void> {
    return this.dataFile?.write(this.state) ?? Promise.resolve();
  }
}
