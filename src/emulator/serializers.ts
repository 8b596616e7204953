import { effectiveParams, responseParams } from "./params-merge";
import type { Params } from "./rules/params";
import type { System } from "./rules/systems";
import type { ApplicationRecord, BusinessUnitRecord, ConnectionRecord, ConnectorRecord, JobRecord, ProjectRecord } from "./seed-schema";
import type { Store } from "./store";

/**
 * Records as the API shows them. Key order follows the API page, which shows three shapes of a connection:
 * a list item, a single object (get and PATCH) and the created object (POST).
 */

export type SystemRepresentation = { id: string; name: string; short_name?: string };

/** `last_job` (API page, `include=last_job`). */
export type LastJobRepresentation = {
  succeeded: boolean;
  last_run: string | null;
  result_message: string | null;
  user: number | null;
  triggered_by: number | null;
  ready: boolean;
  automatic: boolean;
  id: number;
};

/** A job of the jobs endpoint: `last_job`'s fields and its connection's id. */
export type JobRepresentation = LastJobRepresentation & { connection: number };

export type ConnectionRepresentation = {
  id: number;
  alias: string;
  system: SystemRepresentation;
  frequency: string;
  command: string;
  debug_mode: boolean;
  params?: Params;
  inaccessible: boolean;
  last_job?: LastJobRepresentation | null;
  in_progress?: boolean;
  connector: number;
  project: number;
};

export type ConnectorRepresentation = { id: number; name: string; system: SystemRepresentation; inaccessible: boolean; params?: Params };

export type ProjectRepresentation = { id: number; slug: string; name: string; application: number; archived: boolean };

export type ApplicationRepresentation = { id: number; slug: string; name: string; business_unit: number };
export type BusinessUnitRepresentation = { id: number; slug: string; name: string };

export type ConnectionShape = "list" | "detail" | "created";

export interface ConnectionView {
  /** Include `params` (only for the 'Edit Issue Tracker connections' permission). */
  showParams: boolean;
  /** `include=last_job`. */
  includeLastJob: boolean;
}

/**
 * The create example shows `session_capture_socket` inside params, and no other example does; the
 * emulator adds it to the create response only, to match the page. It is an internal path of the
 * server's sync tooling, so it is not stored and never shows anywhere else.
 */
const SESSION_CAPTURE_SOCKET = "/doc/sde/sdetools_session_capture.sock";

/** The system of a connection: lists show `{id, short_name, name}`, get/PATCH `{id, name}`, create `{id, name, short_name}`. */
function systemRef(system: System, shape: ConnectionShape): SystemRepresentation {
  switch (shape) {
    case "list":
      return { id: system.id, short_name: system.shortName, name: system.name };
    case "detail":
      return { id: system.id, name: system.name };
    case "created":
      return { id: system.id, name: system.name, short_name: system.shortName };
  }
}

/** A connection's full params as the server shows them (see params-merge.ts for the layers). */
export function connectionParams(store: Store, record: ConnectionRecord): Params {
  const connector = store.connector(record.connector);
  const project = store.project(record.project);
  const systemId = connector ? store.systemOf(connector).id : "";
  const effective = effectiveParams({
    connector: connector?.params,
    project: project ? store.projectNames(project) : undefined,
    own: record.params,
  });
  return responseParams(effective, { systemId, lastSuccessfulRun: store.lastSuccessfulRun(record.id) });
}

export function connectionRepresentation(
  store: Store,
  record: ConnectionRecord,
  shape: ConnectionShape,
  view: ConnectionView,
): ConnectionRepresentation {
  const connector = store.connector(record.connector);
  if (!connector) throw new Error(`connection ${record.id} has no connector ${record.connector}`);
  const system = store.systemOf(connector);
  // The page's order: params between debug_mode and inaccessible, last_job after inaccessible,
  // in_progress (lists only) before connector.
  return {
    id: record.id,
    alias: record.alias,
    system: systemRef(system, shape),
    frequency: record.frequency,
    command: system.command,
    debug_mode: record.debug_mode,
    ...(view.showParams ? { params: paramsFor(store, record, shape) } : {}),
    inaccessible: connector.inaccessible,
    ...(view.includeLastJob ? { last_job: lastJobOf(store, record.id) } : {}),
    ...(shape === "list" ? { in_progress: store.inProgress(record.id) } : {}),
    connector: record.connector,
    project: record.project,
  };
}

function paramsFor(store: Store, record: ConnectionRecord, shape: ConnectionShape): Params {
  const params = connectionParams(store, record);
  return shape === "created" ? { ...params, session_capture_socket: SESSION_CAPTURE_SOCKET } : params;
}

function lastJobOf(store: Store, connectionId: number): LastJobRepresentation | null {
  const job = store.lastJob(connectionId);
  return job ? lastJobRepresentation(job) : null;
}

/** A job as `include=last_job` shows it, keys in the API page's order. */
export function lastJobRepresentation(job: JobRecord): LastJobRepresentation {
  return {
    succeeded: job.succeeded,
    last_run: job.last_run,
    result_message: job.result_message,
    user: job.user,
    triggered_by: job.triggered_by,
    ready: job.ready,
    automatic: job.automatic,
    id: job.id,
  };
}

/**
 * A job as the jobs endpoint shows it: the `last_job` fields plus its connection's id. `user` is the id of
 * who triggered it, as in `last_job` (the old jobs page says an email, §2.2).
 */
export function jobRepresentation(job: JobRecord): JobRepresentation {
  const { id, ...rest } = lastJobRepresentation(job);
  return { id, connection: job.connection, ...rest };
}

export function connectorRepresentation(store: Store, connector: ConnectorRecord, showParams: boolean): ConnectorRepresentation {
  const system = store.systemOf(connector);
  return {
    id: connector.id,
    name: connector.name,
    system: { id: system.id, short_name: system.shortName, name: system.name },
    inaccessible: connector.inaccessible,
    ...(showParams ? { params: { ...connector.params } } : {}),
  };
}

export function projectRepresentation(project: ProjectRecord): ProjectRepresentation {
  return {
    id: project.id,
    slug: project.slug ?? `project-${project.id}`,
    name: project.name,
    application: project.application,
    archived: project.archived,
  };
}

/** The applications page's fields that lookups use (the rest: created, updated, ... are not emulated). */
export function applicationRepresentation(application: ApplicationRecord): ApplicationRepresentation {
  return { id: application.id, slug: `application-${application.id}`, name: application.name, business_unit: application.business_unit };
}

/** The business units page's fields that lookups use (users, groups, ... are not emulated). */
export function businessUnitRepresentation(businessUnit: BusinessUnitRecord): BusinessUnitRepresentation {
  return { id: businessUnit.id, slug: `business-unit-${businessUnit.id}`, name: businessUnit.name };
}
