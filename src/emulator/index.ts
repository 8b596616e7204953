import type { AddressInfo } from "node:net";
import { syncJobSchema, type SyncJobOptions } from "./control";
import { DataFile } from "./data-file";
import { Faults } from "./faults";
import { parseEmulatorOptions, type EmulatorOptions } from "./options";
import { RequestLog, type RequestLogEntry } from "./request-log";
import { API_ROUTES } from "./routes";
import { DEFAULT_SEED, DEFAULT_TOKEN, READ_ONLY_TOKEN } from "./seed";
import { EDIT_CONNECTIONS_PERMISSION, parseSeed, type State, type TokenRecord } from "./seed-schema";
import { connectionRepresentation, jobRepresentation, type ConnectionRepresentation, type JobRepresentation } from "./serializers";
import { createEmulatorServer } from "./server";
import { Store } from "./store";

/**
 * A local emulator of the SD Elements v2 API's Issue Tracker endpoints (reference/sde-api.md §6), for tests
 * and demos: real HTTP on loopback, the API page's examples as its default data, injectable faults.
 */

export interface Emulator {
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  readonly url: string;
  /** Closes the server and every open socket (hung ones too); resolves when closed and saved. */
  stop(): Promise<void>;
  readonly faults: Faults;
  /** The requests received (a snapshot; control-surface requests are not in it). */
  readonly requestLog: readonly RequestLogEntry[];
  /** Clears the request log, and starts maxInFlight afresh. */
  clearRequestLog(): void;
  /** The most requests the emulator was handling at once (received, not yet answered) since the log was cleared. */
  readonly maxInFlight: number;
  /** Requests ended since the log was cleared, by `METHOD path status` (ids as {id}), complete past the log's bound. */
  requestCounts(): Record<string, number>;
  /** Current connections as the API's list would show them to a full token (deep copies). */
  connections(): ConnectionRepresentation[];
  /** Records a sync job for a connection, as the real server's jobs do; returns the job. */
  recordSyncJob(connectionId: number, job: SyncJobOptions): JobRepresentation;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The user the given token (CLI --token-env, --token-file, --token-stdin) acts as: the seeded administrator. */
const EXTRA_TOKEN_USER = 1;

export async function startEmulator(given: EmulatorOptions = {}): Promise<Emulator> {
  const options = parseEmulatorOptions(given);
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const inaccessible = options.inaccessibleConnectors ?? [];
  const tokens: TokenRecord[] =
    options.token === undefined
      ? []
      : [{ token: options.token, user: EXTRA_TOKEN_USER, permissions: options.tokenReadOnly ? [] : [EDIT_CONNECTIONS_PERMISSION] }];

  const dataFile = options.dataFile !== undefined ? new DataFile(options.dataFile) : undefined;
  await dataFile?.lock();
  let store: Store;
  try {
    const saved = await dataFile?.load();
    const state = saved ?? parseSeed(options.seed ?? DEFAULT_SEED, "the seed");
    applyModes(state, options.advancedIssueTracker, inaccessible);
    store = new Store(state, dataFile);
    // The control surface is for the test harness only: an API token must never open it.
    if (options.controlToken !== undefined && [...store.tokens, ...tokens].some((t) => t.token === options.controlToken)) {
      throw new Error("controlToken must differ from every API token: an API token must never reach the control surface");
    }
    // A new data file is written at once, so it exists (and is valid) from the first moment.
    if (dataFile && !saved) await store.save();
  } catch (err) {
    // Not started: the data file is free for the next try.
    await dataFile?.release();
    throw err;
  }

  const faults = new Faults();
  const log = new RequestLog();
  const stopping = new AbortController();
  let address: AddressInfo | undefined;
  const hostForUrl = host.includes(":") ? `[${host}]` : host;
  const ownHost = () => `${hostForUrl}:${address?.port ?? port}`;

  const server = createEmulatorServer({
    routes: API_ROUTES,
    store,
    faults,
    log,
    // The seed's tokens, the public admin token replaced by the one given; the data file never stores it.
    tokens: [...store.tokens.filter((t) => options.token === undefined || t.token !== DEFAULT_TOKEN), ...tokens],
    controlToken: options.controlToken,
    maxBodyBytes,
    ownHost,
    stopping: stopping.signal,
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  }).catch(async (err: unknown) => {
    // Not serving (the port is taken, say): the data file is free for the next try.
    await dataFile?.release();
    throw err;
  });
  address = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() only stops accepting; this ends keep-alive, in-flight and hung connections too.
      server.closeAllConnections();
      await closed;
      await store.flush();
      await dataFile?.release();
    })();
    return stopped;
  };

  return {
    url: `http://${ownHost()}`,
    stop,
    faults,
    get requestLog() {
      return log.snapshot();
    },
    clearRequestLog: () => log.clear(),
    get maxInFlight() {
      return log.maxInFlight;
    },
    requestCounts: () => log.counts(),
    connections: () =>
      store.connections().map((record) => connectionRepresentation(store, record, "list", { showParams: true, includeLastJob: false })),
    recordSyncJob: (connectionId, job) => {
      const parsed = syncJobSchema.parse({ connection: connectionId, ...job });
      if (!store.connection(connectionId)) throw new Error(`recordSyncJob: there is no connection ${connectionId}`);
      const { record, saved: written } = store.recordJob(connectionId, {
        succeeded: parsed.succeeded,
        ready: parsed.ready,
        automatic: parsed.automatic,
        resultMessage: parsed.resultMessage,
        user: null,
      });
      // Synchronous API: a failed save is reported, and stop() still waits for the write.
      written.catch((err: unknown) => console.error("sde-emulator: cannot save the recorded job:", err));
      return jobRepresentation(record);
    },
  };
}

/**
 * The organisation's modes the options ask for, over whatever the seed or data file says: the advanced
 * Issue Tracker feature, and connectors that are inaccessible (remote).
 */
function applyModes(state: State, advancedIssueTracker: boolean | undefined, inaccessible: readonly number[]): void {
  if (advancedIssueTracker !== undefined) state.settings.advancedIssueTracker = advancedIssueTracker;
  for (const id of inaccessible) {
    const connector = state.connectors.find((c) => c.id === id);
    if (!connector)
      throw new Error(
        `inaccessibleConnectors (--inaccessible-connector): there is no connector ${id}: use one of ${state.connectors.map((c) => c.id).join(", ") || "(none: the seed has no connectors)"}`,
      );
    connector.inaccessible = true;
  }
}

export { DEFAULT_SEED, DEFAULT_TOKEN, READ_ONLY_TOKEN };
export type { EmulatorOptions };
export { Faults } from "./faults";
export type { FaultOptions, FaultSpec, LatencyFault, RateLimitFault, ThrottleFault, ServerErrorFault, SocketFault } from "./faults";
export type { RequestLogEntry } from "./request-log";
export type { SeedData } from "./seed-schema";
export { InvalidSeedError, parseSeed } from "./seed-schema";
export type { SyncJobOptions } from "./control";
