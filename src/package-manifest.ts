import { readFileSync } from "node:fs";
import { join } from "node:path";

/** This package's own directory, where its package.json is (lib/ and src/ are one level below it). */
export const PACKAGE_ROOT = join(__dirname, "..");

export interface PackageManifest {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

let manifest: PackageManifest | undefined;

/** This package's package.json (read once): its version for `--version`, its ranges for generated programs. */
export function packageManifest(): PackageManifest {
  manifest ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as PackageManifest;
  return manifest;
}
