import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPackageSpec } from "../../src/export/package-spec";
import { hintForStatus } from "../../src/client/errors";
import { inExportTerms } from "../../src/cli/export-command";

// Where an exported program gets this package from when --package does not say, and the export's advice
// in its own terms.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "package-spec-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** This package as npm installs it in a project, the lock file recording where it came from. */
function installedIn(project: string, resolved?: string): string {
  const root = join(project, "node_modules", "pulumi-sdelements");
  mkdirSync(root, { recursive: true });
  if (resolved !== undefined) {
    writeFileSync(
      join(project, "node_modules", ".package-lock.json"),
      JSON.stringify({ packages: { "node_modules/pulumi-sdelements": { version: "0.1.0", resolved } } }),
    );
  }
  return root;
}

test("a checkout: file: and the relative path to it", () => {
  expect(defaultPackageSpec(join(dir, "out"), join(dir, "src", "pulumi-sdelements")).spec).toBe("file:../src/pulumi-sdelements");
});

test("installed from a tarball: the tarball, never the other project's node_modules", () => {
  const root = installedIn(join(dir, "platform"), "file:../pulumi-sdelements-0.1.0.tgz");
  expect(defaultPackageSpec(join(dir, "platform", "adopted"), root)).toEqual({
    spec: "file:../../pulumi-sdelements-0.1.0.tgz",
    source: `the tarball ${join(dir, "platform")} installed it from`,
  });
});

test("installed from a registry, or with no lock file: the same version, from the user's registry", () => {
  for (const resolved of ["https://npm.example.com/pulumi-sdelements/-/pulumi-sdelements-0.1.0.tgz", undefined]) {
    const project = join(dir, resolved ? "registry" : "no-lock");
    const { spec } = defaultPackageSpec(join(dir, "out"), installedIn(project, resolved));
    expect(spec).toBe("^0.1.0");
    expect(spec).not.toContain("node_modules");
  }
});

test("the client's advice names the export's settings, and none it does not have", () => {
  const advice = [
    ...[401, 403, 404, 405, 413, 429, 502, 503, 504].map((s) => hintForStatus(s) ?? ""),
    "The server is slow or unreachable: check sdelements:url, or raise sdelements:timeout",
    "Set sdelements:caFile (SDE_CA_FILE) to the PEM file of the CA that signed it, or sdelements:insecureSkipVerify: true for a lab server",
    "The retry budget is spent (5 attempts, last status 503): raise sdelements:maxAttempts or sdelements:retryTimeout, or try again later",
    "url (sdelements:url, SDE_URL): must be an http(s) URL",
    "token (sdelements:apiToken, SDE_API_TOKEN): is required: set sdelements:apiToken (secret) or SDE_API_TOKEN to an SD Elements API token",
  ];
  for (const text of advice) expect(inExportTerms(text)).not.toMatch(/sdelements:|raise/i);
  expect(inExportTerms(hintForStatus(401)!)).toBe(
    "The API token is wrong or expired: set SDE_API_TOKEN to a current token (SD Elements → your name → API Settings)",
  );
  expect(inExportTerms(advice[9]!)).toBe("The server is slow or unreachable: check --url (or SDE_URL)");
  expect(inExportTerms(advice[10]!)).toBe(
    "Set SDE_CA_FILE to the PEM file of the CA that signed it, or SDE_INSECURE_SKIP_VERIFY=true for a lab server",
  );
  expect(inExportTerms(advice[13]!)).toBe("token (SDE_API_TOKEN): is required: set SDE_API_TOKEN to an SD Elements API token");
});
