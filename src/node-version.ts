/**
 * The oldest Node.js this package runs on. undici 8 needs 22.19 (its `engines`; on 22.12 loading it fails
 * with a TypeError inside its decompress interceptor) and @pulumi/pulumi 3.276 needs 22. `engines` in
 * package.json says the same (a test holds the two together and to the dependencies' own ranges).
 */
export const MINIMUM_NODE_VERSION = "22.19.0";

function parts(version: string): number[] {
  return version
    .replace(/^v/, "")
    .split(/[.+-]/)
    .slice(0, 3)
    .map((p) => Number.parseInt(p, 10) || 0);
}

/** One sentence saying which Node.js runs and which is needed, or undefined when this one will do. */
export function unsupportedNodeMessage(version: string = process.versions.node): string | undefined {
  const have = parts(version);
  const need = parts(MINIMUM_NODE_VERSION);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) > need[i]!) return undefined;
    if ((have[i] ?? 0) < need[i]!) {
      return `pulumi-sdelements needs Node.js ${MINIMUM_NODE_VERSION} or later, but this is Node.js ${version.replace(/^v/, "")}.`;
    }
  }
  return undefined;
}
