import { readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { packageManifest, PACKAGE_ROOT } from "../package-manifest";

/**
 * How an exported program's package.json names this package when `--package` does not say: the package is
 * not on the npm registry, so by where this copy came from.
 *
 * - A checkout of the repository (not inside node_modules): `file:` and the path from the program to it,
 *   relative, so the two can move together.
 * - A copy installed in a project's node_modules: never a path into it (another project's node_modules is
 *   not a source, and `npm prune` or a reinstall there would break the program). The tarball that project
 *   installed it from, as its lock file records it; else the same version from the user's registry.
 */
export function defaultPackageSpec(programDir: string, packageRoot: string = PACKAGE_ROOT): { spec: string; source: string } {
  const parts = resolve(packageRoot).split(sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return { spec: fileSpec(programDir, packageRoot), source: "this checkout of the package" };
  const project = parts.slice(0, at).join(sep) || sep;
  const installed = parts.slice(at).join("/");
  const resolved = lockedSource(project, installed);
  if (resolved?.startsWith("file:") && resolved.endsWith(".tgz")) {
    return {
      spec: fileSpec(programDir, resolve(project, resolved.slice("file:".length))),
      source: `the tarball ${project} installed it from`,
    };
  }
  const { version } = packageManifest();
  return { spec: `^${version}`, source: `version ${version}, from your npm registry (this copy is installed in ${project})` };
}

function fileSpec(from: string, to: string): string {
  return `file:${relative(from, to).split(sep).join("/") || "."}`;
}

/** Where the project's lock file says the package came from (`resolved`), if it says. */
function lockedSource(project: string, installedPath: string): string | undefined {
  for (const file of [join(project, "node_modules", ".package-lock.json"), join(project, "package-lock.json")]) {
    try {
      const lock = JSON.parse(readFileSync(file, "utf8")) as { packages?: Record<string, { resolved?: string }> };
      const resolved = lock.packages?.[installedPath]?.resolved;
      if (resolved) return resolved;
    } catch {
      // no lock file there, or not one npm wrote
    }
  }
  return undefined;
}
