import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPackageSpec } from "../../src/export/package-spec";

// Where an exported program gets this package from when --package does not say.
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
