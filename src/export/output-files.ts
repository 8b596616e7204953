import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
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
  checkOutputDirectory(
    dir,
    files.map((f) => f.name),
    options,
  );
  mkdirSync(dir, { recursive: true });
  return files.map((file) => {
    const path = join(dir, file.name);
    writeFileSync(path, file.text);
    return path;
  });
}

/**
 * Whether the files can be written into `dir`: it is a directory or does not exist yet, and holds none of
 * them unless `force`. Run before reading anything from the server too, so a large export does not fail
 * only at its end.
 */
export function checkOutputDirectory(dir: string, names: readonly string[], options: { force: boolean }): void {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new ExportError(`--out ${dir} is a file, not a directory: choose another --out`);
  const existing = names.filter((name) => existsSync(join(dir, name)));
  if (existing.length > 0 && !options.force) {
    throw new ExportError(
      `${dir} already has ${existing.join(", ")}: pass --force to replace ${existing.length === 1 ? "it" : "them"}, or choose another --out`,
    );
  }
}
