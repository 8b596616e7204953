import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// Every command says its version, and the help of each lists every option its usage line names.
const ROOT = resolve(__dirname, "..", "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const run = (script: string, args: string[]) => spawnSync(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8" });

test.each([
  ["sde-emulator", "bin/sde-emulator.js"],
  ["sde-pulumi", "bin/sde-pulumi.js"],
  ["the demo", "lib/cli/demo.js"],
  ["the bench", "lib/cli/bench.js"],
])("%s --version prints the package's version", (_name, script) => {
  const { status, stdout, stderr } = run(script, ["--version"]);
  expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: "" });
});

test.each([
  ["sde-emulator", "bin/sde-emulator.js"],
  ["the bench", "lib/cli/bench.js"],
])("%s --help explains every option of its usage line", (_name, script) => {
  const { status, stdout } = run(script, ["--help"]);
  expect(status).toBe(0);
  const options = [...new Set([...stdout.split("\n")[0]!.matchAll(/--[a-z-]+/g)].map((m) => m[0]))];
  expect(options).toContain("--version");
  for (const option of options) expect(stdout).toMatch(new RegExp(`^  ${option} `, "m"));
  expect(stdout).toMatch(/Exit status|exit 1|stops on SIGINT/);
});

test("sde-pulumi --help names its commands and options", () => {
  const { status, stdout } = run("bin/sde-pulumi.js", ["--help"]);
  expect(status).toBe(0);
  expect(stdout).toMatch(/^  export +write a Pulumi program/m);
  expect(stdout).toMatch(/^  --version +print the version$/m);
});
