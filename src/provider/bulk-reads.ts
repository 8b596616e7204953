import type { SdeClient } from "../client/client";
import type { Connection } from "../schema/connection";

/** How a host's reads share listings; the defaults are for real servers, tests shorten them. */
export interface BulkReadOptions {
  /**
   * Connections per page of a listing. Default 1000: the most the emulator (DRF's `max_page_size`) and the
   * client allow; the reference knows no lower maximum, and a server that caps it lower only pages more
   * (every `next` link is followed).
   */
  pageSize?: number;
  /** How long after a listing completed reads that start may still be served from it. Default 10 s. */
  freshForMs?: number;
  /** How long the first read without a fresh listing waits for others to join it. Default 50 ms. */
  gatherMs?: number;
}

const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_FRESH_FOR_MS = 10_000;
const DEFAULT_GATHER_MS = 50;

/** Reads gathered at once that make a listing worth it; a lone read (one resource, an import) GETs. */
const MIN_GATHERED = 2;

/** One listing of every connection (with `last_job`), by id; undefined once it failed. */
interface Listing {
  byId: Promise<ReadonlyMap<number, Connection> | undefined>;
  /** When it completed (Date.now()); undefined while in flight. */
  completedAt?: number;
}

/**
 * The connections of one refresh, read from one listing of the organization's connections instead of one
 * GET each: a refresh of 5,000 connections is 5 requests, not 5,000.
 *
 * Which reads a listing serves (its freshness): those that start while it is in flight, or within
 * `freshForMs` after it completed, and none after this provider wrote a connection (see {@link forget}).
 * So what a read reports is at most the listing's duration plus `freshForMs` older than the read: a
 * refresh is served by one listing (its reads start together, as the engine runs them in parallel), and a
 * later command, or a later phase of one, lists again.
 *
 * When to list: the first read without a fresh listing waits `gatherMs` for others. Alone, it makes its
 * own GET (a refresh of one resource, an import or a `get` must not list thousands of connections); with
 * others it starts the listing, and so joins the engine's parallel reads into one listing.
 *
 * Why the whole organization, never filtered by project: the engine runs at most 4×CPUs reads at once,
 * so the reads gathered say nothing of how many projects the whole refresh spans, and stacks commonly
 * span many (a connection per application's project). Listings per project would cost one request per
 * project (a refresh of 500 projects' connections: 500 requests rather than 5 pages of 1,000); one
 * listing costs ⌈connections / 1000⌉ whatever the spread.
 *
 * What a listing does not answer, a read's own GET does ({@link connection} returns undefined): an id the
 * listing lacks (deleted since, so the GET's 404 reports it gone; or not visible to the token, so the
 * GET's error says why), an item without `params` or `last_job` (the reference does not say the list
 * hides params exactly as a GET does), and every read of a listing that failed (not kept: the next read
 * that needs one lists again).
 */
export class BulkReads {
  private readonly pageSize: number;
  private readonly freshForMs: number;
  private readonly gatherMs: number;
  private listing: Listing | undefined;
  /** The reads waiting to decide whether to list, and that decision. */
  private gathering: { reads: number; listing: Promise<Listing | undefined> } | undefined;

  constructor(
    private readonly client: () => SdeClient,
    private readonly warn: (message: string) => void,
    options: BulkReadOptions = {},
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.freshForMs = options.freshForMs ?? DEFAULT_FRESH_FOR_MS;
    this.gatherMs = options.gatherMs ?? DEFAULT_GATHER_MS;
  }

  /**
   * The connection as a single GET with `include=last_job` answers it, from a listing; or undefined when
   * the caller must GET it itself.
   */
  async connection(id: number): Promise<Connection | undefined> {
    const listing = this.fresh() ?? (await this.gather());
    const item = (await listing?.byId)?.get(id);
    if (item === undefined || item.params === undefined || item.last_job === undefined) return undefined;
    return asSingleAnswer(item);
  }

  /**
   * Stops serving reads from the current listing: after a create, update or delete of this provider, a
   * read that starts must see the change.
   */
  forget(): void {
    this.listing = undefined;
  }

  private fresh(): Listing | undefined {
    const listing = this.listing;
    if (listing?.completedAt === undefined || Date.now() - listing.completedAt <= this.freshForMs) return listing;
    this.listing = undefined;
    return undefined;
  }

  private gather(): Promise<Listing | undefined> {
    if (this.gathering) {
      this.gathering.reads++;
      return this.gathering.listing;
    }
    const gathering: { reads: number; listing: Promise<Listing | undefined> } = {
      reads: 1,
      listing: new Promise((resolve) =>
        setTimeout(() => {
          this.gathering = undefined;
          resolve(gathering.reads >= MIN_GATHERED ? this.list() : undefined);
        }, this.gatherMs),
      ),
    };
    this.gathering = gathering;
    return gathering.listing;
  }

  private list(): Listing {
    const listing: Listing = {
      byId: this.read().then((byId) => {
        if (byId !== undefined) listing.completedAt = Date.now();
        // A failed listing is not kept: the next read that needs one lists again.
        else if (this.listing === listing) this.listing = undefined;
        return byId;
      }),
    };
    this.listing = listing;
    return listing;
  }

  /** Every connection by id; undefined when the listing failed (the reads waiting on it GET instead). */
  private async read(): Promise<ReadonlyMap<number, Connection> | undefined> {
    let connections: Connection[];
    try {
      connections = await this.client().connections.list({ includeLastJob: true, pageSize: this.pageSize });
    } catch (error) {
      // The client's errors name no secret. Said once for the listing; each read's own GET says its own.
      this.warn(
        `listing the connections failed, so each connection is read on its own (${error instanceof Error ? error.message : String(error)})`,
      );
      return undefined;
    }
    return new Map(connections.map((c) => [c.id, c]));
  }
}

/**
 * A list item as a single GET answers it. Only lists carry `in_progress` and the system's `short_name`
 * (the API page shows both shapes); without them, the outputs made from it are those a GET gives (a GET
 * infers `inProgress` from the last job, and keeps the stored short name).
 */
function asSingleAnswer(item: Connection): Connection {
  const { in_progress: _inProgress, system, ...rest } = item;
  const { short_name: _shortName, ...detailSystem } = system;
  return { ...rest, system: detailSystem };
}
