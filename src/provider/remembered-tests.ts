import { createHmac, randomBytes, type KeyObject } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { tokenKey } from "./token-key";

/**
 * Connection tests that passed, remembered between the provider hosts of one deployment: `pulumi up` runs
 * a preview and then the update, each in a fresh host, and both check every connection. Without this the
 * update would test again what the preview tested a moment before.
 *
 * Nothing secret is stored: an entry is HMAC-SHA256 of the tested settings (params, credentials among
 * them) under a key derived from the API token and URL, so the file says nothing to whoever reads it and
 * its entries are of no use with another token or server. Entries expire after ten minutes. Failures are
 * never remembered: a failed test runs again (and fails, or passes once the settings are mended).
 */
export interface PassedTests {
  /** Whether these tested settings (testedSettingsText) passed recently. */
  has(settings: string): boolean;
  remember(settings: string): void;
}

/** Remembers nothing: `sdelements:rememberTests` false (or no token to key the entries with). */
export const NOT_REMEMBERED: PassedTests = { has: () => false, remember: () => undefined };

export const REMEMBER_FOR_MS = 10 * 60 * 1000;

/**
 * The file, one per user: in the shared temporary directory, so owned by that user and mode 0600. (Its
 * name changed with its format, lines appended rather than one JSON document rewritten: a file of the
 * old format is simply not read.)
 */
export function rememberedTestsFile(): string {
  const who = process.getuid?.() ?? userInfo().username;
  return join(tmpdir(), `pulumi-sdelements-passed-tests-${who}.log`);
}

/** One line per pass: the entry (hex HMAC) and when it expires (ms since the epoch). */
const LINE = /^([0-9a-f]{64}) (\d{1,15})$/;
const lineOf = (entry: string, until: number) => `${entry} ${until}\n`;

/**
 * Below this many lines the file is never rewritten; above it, when fewer than half its lines are live
 * entries, the first read of a host rewrites it with the live ones. So it stays a few times the passes of
 * the last ten minutes, and each pass costs one small append, not a rewrite of everything remembered.
 */
const COMPACT_ABOVE_LINES = 256;

// Never through a symbolic link: one planted in the shared directory must not make us read or write
// another file (where the platform has no O_NOFOLLOW, the owner and mode checks below still hold). And
// never blocking: a FIFO planted there would hang the open (and the host with it) until some writer came;
// non-blocking, it opens at once and the check that the file is a regular one refuses it.
const NO_FOLLOW = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface RememberedTestsOptions {
  file: string;
  url: string;
  token: string;
  /** The clock (tests move it instead of waiting). */
  now?: () => number;
}

export class RememberedTests implements PassedTests {
  private readonly key: KeyObject;
  private readonly now: () => number;
  /** The file's entries → when each expires, read once per host (the preview's host writes them, the update's reads them). */
  private entries?: Map<string, number>;
  /** Lines remembered since the last append. */
  private unwritten: string[] = [];
  /** The append that will hold them. */
  private pendingWrite?: Promise<void> | undefined;

  constructor(private readonly options: RememberedTestsOptions) {
    this.key = tokenKey(options.token, options.url, "pulumi-sdelements passed connection tests");
    this.now = options.now ?? Date.now;
  }

  has(settings: string): boolean {
    const until = this.loaded().get(this.entry(settings));
    return until !== undefined && until > this.now();
  }

  remember(settings: string): void {
    const entry = this.entry(settings);
    const until = this.now() + REMEMBER_FOR_MS;
    this.loaded().set(entry, until);
    this.unwritten.push(lineOf(entry, until));
    // One append for all the passes of a burst, after it (Checks come one at a time, so mostly one a pass).
    this.pendingWrite ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.pendingWrite = undefined;
        const lines = this.unwritten.join("");
        this.unwritten = [];
        this.append(lines);
        resolve();
      }),
    );
  }

  /** Resolves once what was remembered so far is in the file (tests read it). */
  async written(): Promise<void> {
    await this.pendingWrite;
  }

  private entry(settings: string): string {
    return createHmac("sha256", this.key).update(settings).digest("hex");
  }

  private loaded(): Map<string, number> {
    if (this.entries) return this.entries;
    const { entries, lines } = this.read();
    this.entries = entries;
    if (lines > COMPACT_ABOVE_LINES && lines > 2 * entries.size) this.rewrite(entries);
    return entries;
  }

  /**
   * The live entries and how many lines the file has; none if the file is missing, unreadable, or not the
   * user's own private file (one another user planted in the shared directory is not trusted). A line not
   * as written here (a torn write) is skipped.
   */
  private read(): { entries: Map<string, number>; lines: number } {
    const entries = new Map<string, number>();
    let text: string;
    try {
      const fd = openSync(this.options.file, constants.O_RDONLY | NO_FOLLOW);
      try {
        if (!isPrivate(fd)) return { entries, lines: 0 };
        text = readFileSync(fd, "utf8");
      } finally {
        closeSync(fd);
      }
    } catch {
      return { entries, lines: 0 };
    }
    const now = this.now();
    const lines = text.split("\n").filter((line) => line !== "");
    for (const line of lines) {
      const match = LINE.exec(line);
      if (!match) continue;
      const until = Number(match[2]);
      if (until > now && until > (entries.get(match[1]!) ?? 0)) entries.set(match[1]!, until);
    }
    return { entries, lines: lines.length };
  }

  /**
   * Appended, so a pass costs one small write however many are remembered; never to a file that is not
   * private. Each append starts on a line of its own: after a torn write (no newline at its end) the new
   * lines would otherwise be glued to it and lost with it.
   */
  private append(lines: string): void {
    try {
      const fd = openSync(this.options.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW, 0o600);
      try {
        if (isPrivate(fd)) writeSync(fd, `\n${lines}`);
      } finally {
        closeSync(fd);
      }
    } catch {
      // Remembering is an optimisation: a file that cannot be written means testing again, not failing.
    }
  }

  /**
   * The live entries, written whole to a new private file, then renamed over the old: a reader never sees
   * half a file. (A pass another host appends meanwhile may be lost with the old file: it is tested again.)
   */
  private rewrite(entries: Map<string, number>): void {
    const temporary = `${this.options.file}.${randomBytes(6).toString("hex")}`;
    try {
      const fd = openSync(temporary, "wx", 0o600);
      try {
        writeSync(fd, [...entries].map(([entry, until]) => lineOf(entry, until)).join(""));
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.options.file);
    } catch {
      try {
        unlinkSync(temporary);
      } catch {
        // never made
      }
    }
  }
}

/** A regular file of this user's that no one else may read or write. */
function isPrivate(fd: number): boolean {
  const stat = fstatSync(fd);
  const mine = process.getuid === undefined || stat.uid === process.getuid();
  return stat.isFile() && mine && (stat.mode & 0o077) === 0;
}
