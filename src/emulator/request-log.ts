/** One request the emulator received (headers and bodies are never kept: they carry tokens and secrets). */
export interface RequestLogEntry {
  method: string;
  /** The path, without the query string. */
  path: string;
  /** The query string without its "?", or "". */
  query: string;
  /** The status sent; 0 while unanswered and for requests answered with no response at all (faults). */
  status: number;
  /** When the request arrived, ISO-8601. */
  at: string;
}

/**
 * The requests received, oldest first. Bounded, so an emulator left running for days does not grow without
 * limit: past {@link MAX_ENTRIES} (and a tenth more) the oldest entries are dropped.
 */
export class RequestLog {
  static readonly MAX_ENTRIES = 10_000;
  private entries: RequestLogEntry[] = [];
  /** Requests received and not yet answered (or dropped), to tell how many a client had in flight. */
  private readonly open = new Set<RequestLogEntry>();
  private peak = 0;
  /** Requests over since the last clear, by `METHOD path status` (ids as {id}): unbounded by MAX_ENTRIES. */
  private tally = new Map<string, number>();

  /** The most requests in progress at once since the log was last cleared. */
  get maxInFlight(): number {
    return this.peak;
  }

  /** The request is over: its answer sent, or its socket closed without one. Once per entry. */
  finish(entry: RequestLogEntry): void {
    // A socket reports both 'finish' and 'close': the entry is counted at the first.
    if (!this.open.delete(entry)) return;
    const key = `${entry.method} ${entry.path.replace(/\/\d+\//g, "/{id}/")} ${entry.status}`;
    this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
  }

  /**
   * How many requests ended since the log was last cleared, by `METHOD path status` (ids in the path as
   * {id}; status 0: no answer): complete however many there were, for counting load the entries cannot hold.
   */
  counts(): Record<string, number> {
    return Object.fromEntries(this.tally);
  }

  /** Adds an entry for a request that just arrived; set its `status` when the response is sent. */
  start(method: string, path: string, query: string): RequestLogEntry {
    // Bounded in bytes too: 10,000 requests with 16 KB paths would otherwise hold 160 MB.
    const entry: RequestLogEntry = {
      method: clip(method, 32),
      path: clip(path, MAX_TEXT),
      query: clip(query, MAX_TEXT),
      status: 0,
      at: new Date().toISOString(),
    };
    this.entries.push(entry);
    this.open.add(entry);
    this.peak = Math.max(this.peak, this.open.size);
    // Dropped a tenth at a time: dropping one per request would move 10,000 entries on every request.
    if (this.entries.length > RequestLog.MAX_ENTRIES * 1.1) this.entries.splice(0, this.entries.length - RequestLog.MAX_ENTRIES);
    return entry;
  }

  /** A snapshot (copies), so callers cannot change the log and later answers do not change their copy. */
  snapshot(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
    this.tally = new Map();
    this.peak = this.open.size;
  }
}

/** Longest path or query kept in the log; longer ones end in "…". */
const MAX_TEXT = 512;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
