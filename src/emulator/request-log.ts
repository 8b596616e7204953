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
  }
}

/** Longest path or query kept in the log; longer ones end in "…". */
const MAX_TEXT = 512;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
