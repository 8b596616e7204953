import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ExportError } from "./export-error";

/** A file to write: its name inside the output directory and its whole text. */
export interface OutputFile {
  name: string;
  text: string;
}

/**
 * Writes the files into `dir` (made if missing). Files already there are replaced only with `force`: an
 * export into a directory holding someone's program must not silently overwrite it.
 */
export function writeOutputFiles(dir: string, files: readonly OutputFile[], options: { force: boolean }): string[] {
  const existing = files.filter((f) => existsSync(join(dir, f.name))).map((f) => f.name);
  if (existing.length > 0 && !options.force) {
    throw new ExportError(`${dir} already has ${existing.join(", ")}: pass --force to replace ${existing.length === 1 ? "it" : "them"}, or choose another --out`);
  }
  mkdirSync(dir, { recursive: true });
  return files.map((file) => {
    const path = join(dir, file.name);
    writeFileSync(path, file.text);
    return path;
  });
}
