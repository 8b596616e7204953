import { createHmac, randomBytes } from "node:crypto";
import { closeSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { z } from "zod";

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

/** The file, one per user: in the shared temporary directory, so owned by that user and mode 0600. */
export function rememberedTestsFile(): string {
  const who = process.getuid?.() ?? userInfo().username;
  return join(tmpdir(), `pulumi-sdelements-passed-tests-${who}.json`);
}

/** Entry (hex HMAC) → when it expires, ms since the epoch. */
const fileSchema = z.object({ version: z.literal(1), passed: z.record(z.string().regex(/^[0-9a-f]{64}$/), z.number()) });

export interface RememberedTestsOptions {
  file: string;
  url: string;
  token: string;
  /** The clock (tests move it instead of waiting). */
  now?: () => number;
}

export class RememberedTests implements PassedTests {
  private readonly key: Buffer;
  private readonly now: () => number;
  /** The file's entries, read once per host (the preview's host writes them, the update's reads them). */
  private entries?: Record<string, number>;
  /** The write that will hold the passes remembered since the last one. */
  private pendingWrite?: Promise<void> | undefined;

  constructor(private readonly options: RememberedTestsOptions) {
    // The token is the secret that makes the entries unguessable; the URL ties them to one server.
    this.key = createHmac("sha256", options.token).update(`pulumi-sdelements passed connection tests\n${options.url}`).digest();
    this.now = options.now ?? Date.now;
  }

  has(settings: string): boolean {
    this.entries ??= this.read();
    const until = this.entries[this.entry(settings)];
    return until !== undefined && until > this.now();
  }

  remember(settings: string): void {
    this.entries ??= this.read();
    this.entries[this.entry(settings)] = this.now() + REMEMBER_FOR_MS;
    // One write for all the passes of a burst, after it, rather than a rewrite of the whole file at each
    // (Checks come one at a time, so a catalogue of thousands of distinct tests still rewrites it per
    // pass: a few milliseconds each once it holds thousands of entries).
    this.pendingWrite ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.pendingWrite = undefined;
        const now = this.now();
        const passed = Object.fromEntries(Object.entries(this.entries ?? {}).filter(([, until]) => until > now));
        this.entries = passed;
        this.write(JSON.stringify({ version: 1, passed }));
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

  /**
   * The entries, or none if the file is missing, unreadable, not as written here, or not the user's own
   * private file (one another user planted in the shared directory is not trusted).
   */
  private read(): Record<string, number> {
    try {
      const stat = lstatSync(this.options.file);
      const mine = process.getuid === undefined || stat.uid === process.getuid();
      if (!stat.isFile() || !mine || (stat.mode & 0o077) !== 0) return {};
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.options.file, "utf8")));
      return parsed.success ? parsed.data.passed : {};
    } catch {
      return {};
    }
  }

  /** Written whole to a new private file, then renamed over the old: a reader never sees half a file. */
  private write(text: string): void {
    const temporary = `${this.options.file}.${randomBytes(6).toString("hex")}`;
    try {
      const fd = openSync(temporary, "wx", 0o600);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.options.file);
    } catch {
      // Remembering is an optimisation: a file that cannot be written means testing again, not failing.
      try {
        unlinkSync(temporary);
      } catch {
        // never made
      }
    }
  }
}
