import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { InvalidSeedError, parseSeed, type State } from "./seed-schema";

/**
 * The emulator's state on disk. Every change rewrites the whole file atomically: the new content goes to a
 * temporary file in the same directory, is fsynced, then renamed over the old file, and the directory is
 * fsynced so the rename itself is durable. A kill -9 at any point leaves either the old or the new file,
 * never a torn one; at worst a stray temporary file, which the next start removes.
 */
export class DataFile {
  readonly path: string;
  private readonly dir: string;
  private readonly tempPrefix: string;
  private tempCounter = 0;
  /** Snapshot most recently handed to {@link write}, and its sequence number. */
  private latest: { seq: number; text: string } | undefined;
  private writtenSeq = 0;
  /** The chain that serialises writes: one rename at a time, in order. */
  private tail: Promise<void> = Promise.resolve();
  /** The lock file this process holds, if any. */
  private locked: string | undefined;

  constructor(path: string) {
    this.path = resolve(path);
    this.dir = dirname(this.path);
    this.tempPrefix = `.${basename(this.path)}.`;
  }

  /**
   * Takes the file for this process: two emulators on one data file would each overwrite the other's
   * writes. A lock file beside it names the owner's pid; a lock whose process is gone (a kill -9) is taken
   * over. Call {@link release} when done.
   */
  async lock(): Promise<void> {
    const lockPath = `${this.path}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(lockPath, "wx", 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        this.locked = lockPath;
        heldHere.add(lockPath);
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // A read-only directory: no other emulator can write there either, and this one can still serve.
        if (code === "EACCES" || code === "EROFS" || code === "EPERM") return;
        if (code !== "EEXIST") throw new Error(`Cannot lock data file ${this.path}: ${(err as Error).message}`);
      }
      const owner = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      // This process's own pid is stale unless this process holds the lock: a restarted container gets
      // the same pid (often 1) as the emulator that was killed.
      const held = owner === process.pid ? heldHere.has(lockPath) : Number.isSafeInteger(owner) && owner > 0 && isAlive(owner);
      if (held)
        throw new Error(
          `Data file ${this.path} is in use by another emulator (pid ${owner}): stop it, or give this one another --data file`,
        );
      await unlink(lockPath).catch(() => undefined);
    }
    throw new Error(`Cannot lock data file ${this.path}: another emulator took it at the same moment`);
  }

  /** Gives the file up (the lock file goes). */
  async release(): Promise<void> {
    if (this.locked) {
      heldHere.delete(this.locked);
      await unlink(this.locked).catch(() => undefined);
    }
    this.locked = undefined;
  }

  /**
   * The state saved in the file, or undefined when there is no file yet. A file that is not valid JSON or
   * not a valid state is an error that names the file: the emulator must not silently start over.
   */
  async load(): Promise<State | undefined> {
    await this.removeStaleTempFiles();
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new Error(`Cannot read data file ${this.path}: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`Data file ${this.path} is corrupt (not valid JSON: ${(err as Error).message}); move it away to start from the seed`);
    }
    try {
      return parseSeed(json, `data file ${this.path}`);
    } catch (err) {
      if (err instanceof InvalidSeedError) {
        throw new Error(`Data file ${this.path} is corrupt: ${err.problems.join("; ")}; move it away to start from the seed`);
      }
      throw err;
    }
  }

  /**
   * Saves `state` (serialised now, so later changes cannot leak into this snapshot). Resolves once this
   * snapshot, or a newer one, is durably on disk. Writes that queue up while one is in flight are
   * coalesced: only the newest is written.
   */
  write(state: State): Promise<void> {
    const seq = (this.latest?.seq ?? 0) + 1;
    this.latest = { seq, text: JSON.stringify(state, null, 2) + "\n" };
    const done = this.tail.then(() => this.writeIfBehind(seq));
    // A failed write fails its callers; the chain goes on so the next change retries with newer data.
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Resolves when every write handed over so far has finished (successfully or not). */
  flush(): Promise<void> {
    return this.tail;
  }

  private async writeIfBehind(seq: number): Promise<void> {
    if (this.writtenSeq >= seq || this.latest === undefined) return;
    const { seq: latestSeq, text } = this.latest;
    await this.atomicWrite(text);
    this.writtenSeq = latestSeq;
  }

  private async atomicWrite(text: string): Promise<void> {
    // A name nobody can guess, created only if it does not exist: a file or symlink planted at a
    // predictable name would otherwise receive the whole state (tokens and passwords) or keep its mode.
    const temp = join(this.dir, `${this.tempPrefix}${process.pid}.${++this.tempCounter}.${randomBytes(8).toString("hex")}.tmp`);
    try {
      const handle = await open(temp, "wx", 0o600);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw new Error(`Cannot write data file ${this.path}: ${(err as Error).message}`);
    }
    await this.syncDirectory();
  }

  /** Makes the rename durable. Some platforms cannot fsync a directory; the rename is still atomic there. */
  private async syncDirectory(): Promise<void> {
    let handle;
    try {
      handle = await open(this.dir, "r");
      await handle.sync();
    } catch {
      // EISDIR/EINVAL/EPERM on platforms without directory fsync: nothing more can be done.
    } finally {
      await handle?.close();
    }
  }

  /** Temporary files a killed emulator left behind (only this data file's, by their exact name pattern). */
  private async removeStaleTempFiles(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    const pattern = /^\d+\.\d+(\.[0-9a-f]{16})?\.tmp$/;
    await Promise.all(
      names
        .filter((n) => n.startsWith(this.tempPrefix) && pattern.test(n.slice(this.tempPrefix.length)))
        .map((n) => unlink(join(this.dir, n)).catch(() => undefined)),
    );
  }
}

/** Lock files this process holds (by path). */
const heldHere = new Set<string>();

/** Whether a process with this pid exists (signal 0 tests without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
