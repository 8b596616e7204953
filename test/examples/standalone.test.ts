import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// Every example folder is a complete Pulumi project on its own, as a user copies it out: its package.json
// (the SDK in the range this package declares, this package, and what the CLI type-checks with), its
// tsconfig.json (with which the CLI type-checks it: this one must pass), nothing imported from outside it.
// The packed-package test runs copies of them installed from the tarball.
const ROOT = resolve(__dirname, "..", "..");
const EXAMPLES = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const rootManifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };

test("there are examples", () => {
  expect(EXAMPLES.sort()).toEqual(["at-scale", "basic", "policy"]);
});

test.each(EXAMPLES)("examples/%s has what a project of its own needs", (name) => {
  const dir = join(ROOT, "examples", name);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  expect(manifest.dependencies["@pulumi/pulumi"]).toBe(rootManifest.peerDependencies["@pulumi/pulumi"]);
  expect(resolve(dir, manifest.dependencies["pulumi-sdelements"]!.replace(/^file:/, ""))).toBe(ROOT);
  expect(Object.keys(manifest.devDependencies).sort()).toEqual(["@types/node", "typescript"]);
  expect(existsSync(join(dir, "Pulumi.yaml")) || existsSync(join(dir, "PulumiPolicy.yaml"))).toBe(true);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    expect([file, readFileSync(join(dir, file), "utf8").match(/from "\.\.\/[^"]*"/g)]).toEqual([file, null]);
  }
});

test.each(EXAMPLES)("examples/%s type-checks with its own tsconfig.json, as the Pulumi CLI type-checks it", (name) => {
  const tsc = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", join(ROOT, "examples", name, "tsconfig.json"), "--noEmit"],
    { encoding: "utf8" },
  );
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
});
