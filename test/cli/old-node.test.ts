import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { unsupportedNodeMessage } from "../../src/node-version";

// On a Node.js older than the package supports, every way in (the library's entry points, each bin, the
// demo and the bench) stops with one sentence naming both versions, before undici can fail inside itself.
const ROOT = resolve(__dirname, "..", "..");

/** A node binary on this machine older than the minimum (the system Node, outside node_modules), if any. */
function olderSystemNode(): { binary: string; version: string } | undefined {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter((d) => d !== "" && !d.includes("node_modules"));
  const candidates = [...new Set([...dirs.map((d) => join(d, "node")), "/usr/bin/node", "/usr/local/bin/node", "/bin/node"])];
  for (const binary of candidates) {
    try {
      const version = execFileSync(binary, ["-p", "process.versions.node"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
      if (unsupportedNodeMessage(version)) return { binary, version };
    } catch {
      // not there, or not runnable
    }
  }
  return undefined;
}

let dir: string;
/** How to run an old Node: the system's if it has one, and this Node told it is another version. */
const runners: { name: string; version: string; args: (script: string[]) => [string, string[]] }[] = [];

const pretend = (version: string) => ({
  name: `Node ${process.versions.node} reporting ${version}`,
  version,
  args: (script: string[]): [string, string[]] => [process.execPath, ["-r", join(dir, `pretend-${version}.js`), ...script]],
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "old-node-"));
  for (const version of ["22.12.0", "20.20.2"]) {
    writeFileSync(
      join(dir, `pretend-${version}.js`),
      `Object.defineProperty(process.versions, "node", { value: ${JSON.stringify(version)} });\n`,
    );
  }
  // 22.12 is the version the failure was seen on; the system Node (20 on these machines) is the real thing.
  // Where a machine has no older Node, a second pretended one stands in, so the test never runs less.
  runners.push(pretend("22.12.0"));
  const system = olderSystemNode();
  runners.push(
    system
      ? { name: `the system Node ${system.version} (${system.binary})`, version: system.version, args: (script) => [system.binary, script] }
      : pretend("20.20.2"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENTRIES: [string, string[]][] = [
  ["require('pulumi-sdelements')", ["-e", `require(${JSON.stringify(ROOT)})`]],
  ["require('pulumi-sdelements/engine')", ["-e", `require(${JSON.stringify(join(ROOT, "lib", "engine"))})`]],
  ["require('pulumi-sdelements/provider')", ["-e", `require(${JSON.stringify(join(ROOT, "lib", "provider", "host.js"))})`]],
  ["require('pulumi-sdelements/emulator')", ["-e", `require(${JSON.stringify(join(ROOT, "lib", "emulator-api.js"))})`]],
];
const COMMANDS: [string, string[]][] = [
  ["sde-emulator", [join(ROOT, "bin", "sde-emulator.js"), "--help"]],
  ["sde-pulumi", [join(ROOT, "bin", "sde-pulumi.js"), "export", "--help"]],
  ["the demo", [join(ROOT, "lib", "cli", "demo.js")]],
  ["the bench", [join(ROOT, "lib", "cli", "bench.js"), "--help"]],
];

test.each(ENTRIES)("%s fails with the one sentence, not undici's TypeError", (_entry, script) => {
  expect(runners).toHaveLength(2);
  for (const runner of runners) {
    const [binary, args] = runner.args(script);
    const run = spawnSync(binary, args, { cwd: ROOT, encoding: "utf8" });
    expect([runner.name, run.status]).toEqual([runner.name, 1]);
    expect(run.stderr).toContain(`Error: pulumi-sdelements needs Node.js 22.19.0 or later, but this is Node.js ${runner.version}.`);
    expect(run.stderr).not.toMatch(/Cannot read properties|undici/);
  }
});

test.each(COMMANDS)("%s prints the one sentence alone and exits 1", (_command, script) => {
  expect(runners).toHaveLength(2);
  for (const runner of runners) {
    const [binary, args] = runner.args(script);
    const run = spawnSync(binary, args, { cwd: ROOT, encoding: "utf8" });
    expect([runner.name, run.status, run.stdout, run.stderr]).toEqual([
      runner.name,
      1,
      "",
      `pulumi-sdelements needs Node.js 22.19.0 or later, but this is Node.js ${runner.version}.\n`,
    ]);
  }
});
