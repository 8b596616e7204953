import { spawnSync } from "node:child_process";
import { join, resolve, sep } from "node:path";

// The main entry is what every Pulumi program of a user loads: the emulator is not part of it, but an
// entry point of its own (`pulumi-sdelements/emulator`). Both are required here by package name, as a
// user does, from the compiled lib/ (the self-link `npm ci` makes resolves the name through `exports`).
const ROOT = resolve(__dirname, "..");
const LIB = join(ROOT, "lib");

function load(script: string): { loaded: string[]; exported: string[] } {
  const run = spawnSync(
    process.execPath,
    ["-e", `${script}; console.log(JSON.stringify({ loaded: Object.keys(require.cache), exported: Object.keys(entry) }))`],
    { cwd: ROOT, encoding: "utf8" },
  );
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  return JSON.parse(run.stdout) as { loaded: string[]; exported: string[] };
}

test("requiring the main entry loads no module of the emulator, and exports none of its names", () => {
  const { loaded, exported } = load('const entry = require("pulumi-sdelements")');
  const ours = loaded.filter((file) => file.startsWith(LIB + sep));
  expect(ours).toContain(join(LIB, "index.js"));
  expect(ours).toContain(join(LIB, "issue-tracker-connection.js"));
  expect(ours.filter((file) => file.startsWith(join(LIB, "emulator") + sep) || file === join(LIB, "emulator-api.js"))).toEqual([]);
  expect(exported).toContain("IssueTrackerConnection");
  expect(exported.filter((name) => ["startEmulator", "DEFAULT_SEED", "DEFAULT_TOKEN", "READ_ONLY_TOKEN"].includes(name))).toEqual([]);
});

test("pulumi-sdelements/emulator is the emulator's entry point: startEmulator, the default seed and tokens", () => {
  const { loaded, exported } = load('const entry = require("pulumi-sdelements/emulator")');
  expect(loaded).toContain(join(LIB, "emulator-api.js"));
  expect(exported.sort()).toEqual(["DEFAULT_SEED", "DEFAULT_TOKEN", "READ_ONLY_TOKEN", "startEmulator"]);
  // It runs: an emulator started from it answers, and stops.
  const run = spawnSync(
    process.execPath,
    [
      "-e",
      'const { startEmulator, DEFAULT_TOKEN } = require("pulumi-sdelements/emulator"); startEmulator().then(async (e) => { const res = await fetch(`${e.url}/api/v2/connections/issue-tracker/`, { headers: { authorization: `Token ${DEFAULT_TOKEN}` } }); console.log(res.status); await e.stop(); })',
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: "200\n", stderr: "" });
});
