import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import { connectionPolicies } from "../../examples/policy/policies";
import { startPolicyPack } from "../support/policy-analyzer";

// The package as a user gets it: `npm pack`, the tarball installed into a fresh project with npm (its
// dependencies from the npm cache or registry), then required there and used as the README says: the
// Quickstart run offline, copies of the examples (the policy pack's too), the engine in a project's own
// check, and the exporter.
// Slow (npm installs), so it has this file to itself and a long timeout.
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  [key: string]: unknown;
};

/** npm and node as a user's shell runs them: without the npm variables of the `npm test` around us. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^INIT_CWD$/i.test(key)));
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: { ...ENV, ...env }, encoding: "utf8" });
}
function npm(args: readonly string[], cwd: string): void {
  const result = run("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], cwd);
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
}
/** The repository's runner (`npm run demo`), from a checkout, on a program elsewhere. */
const demo = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, [join(ROOT, "lib", "cli", "demo.js"), ...args], ROOT, env);

/** The code block of the README whose first line is `first`, or that follows `heading`. */
function readmeBlock(language: string, where: { heading?: string; first?: string }): string {
  const from = where.heading ? README.indexOf(where.heading) : 0;
  const blocks = [...README.slice(from).matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
  const block = where.first ? blocks.find((b) => b.startsWith(where.first!)) : blocks[0];
  if (!block) throw new Error(`no ${language} block ${JSON.stringify(where)} in README.md`);
  return block;
}

let work: string;
let tarball: string;
let files: string[];
let fresh: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "packed-"));
  // lib/ is built by the test setup; `npm pack` would build it again through prepare.
  const packed = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
  if (packed.status !== 0) throw new Error(packed.stderr);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info!.filename);
  files = info!.files.map((f) => f.path);
  fresh = join(work, "fresh");
  mkdirSync(fresh);
  writeFileSync(join(fresh, "package.json"), JSON.stringify({ name: "fresh", version: "1.0.0", private: true }));
  // As the Quickstart says: the tarball, and what the CLI type-checks a program with.
  npm(["install", tarball], fresh);
  npm(
    [
      "install",
      "--save-dev",
      `typescript@${manifest.devDependencies.typescript}`,
      `@types/node@${manifest.devDependencies["@types/node"]}`,
    ],
    fresh,
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("the tarball holds what runs and nothing that points elsewhere: no source maps, no bench, no runner", () => {
  for (const expected of [
    "package.json",
    "README.md",
    "LICENSE",
    "lib/index.js",
    "lib/index.d.ts",
    "lib/engine/index.js",
    "lib/provider/host.js",
    "lib/emulator-api.js",
    "lib/emulator-api.d.ts",
    "bin/sde-emulator.js",
    "bin/sde-pulumi.js",
  ]) {
    expect(files).toContain(expected);
  }
  expect(
    files.filter(
      (f) =>
        f.endsWith(".map") ||
        f.startsWith("lib/bench/") ||
        /^lib\/cli\/(demo|bench|render|pulumi-cli)/.test(f) ||
        !/^(lib|bin)\/|^[^/]+$/.test(f),
    ),
  ).toEqual([]);
  // Every module a shipped file requires is shipped, a dependency, a peer dependency, Node's own, or this
  // package by name (the serialized provider loads pulumi-sdelements/provider).
  const allowed = new Set([
    String(manifest.name),
    ...Object.keys(manifest.dependencies),
    ...Object.keys(manifest.peerDependencies),
    ...builtinModules,
    ...builtinModules.map((m) => `node:${m}`),
  ]);
  const shipped = new Set(files);
  for (const file of files.filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(join(ROOT, file), "utf8");
    expect([file, text.includes("sourceMappingURL")]).toEqual([file, false]);
    for (const [, target] of text.matchAll(/require\("([^"]+)"\)/g)) {
      if (target!.startsWith(".")) {
        const base = posix.join(posix.dirname(file), target!);
        expect([file, target, [`${base}.js`, base, `${base}/index.js`, `${base}.json`].some((c) => shipped.has(c))]).toEqual([
          file,
          target,
          true,
        ]);
      } else {
        const name = target!.startsWith("@") ? target!.split("/").slice(0, 2).join("/") : target!.split("/")[0]!;
        expect([file, name, allowed.has(name) || allowed.has(target!)]).toEqual([file, name, true]);
      }
    }
  }
});

test("package.json: the SDK as a caret peer (one copy in a user's program), the true Node range, a LICENSE, repository and keywords", () => {
  expect(manifest.peerDependencies["@pulumi/pulumi"]).toMatch(/^\^3\./);
  expect(manifest.dependencies["@pulumi/pulumi"]).toBeUndefined();
  expect(manifest.engines).toEqual({ node: ">=22.19.0" });
  expect(manifest.license).toBe("Apache-2.0");
  expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  expect(manifest.repository).toMatchObject({ type: "git", url: expect.stringMatching(/^git\+https:\/\//) });
  expect(manifest.keywords).toEqual(expect.arrayContaining(["pulumi", "sdelements"]));
  // Installed, the SDK is there once: the package's peer is the project's own copy.
  const ls = run("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], fresh);
  expect(ls.stdout.trim().split("\n")).toEqual([join(fresh, "node_modules", "@pulumi", "pulumi")]);
});

test("in the fresh project, require('pulumi-sdelements') and its entry points load, and each bin says its version", () => {
  const loaded = run(
    process.execPath,
    [
      "-e",
      'const p = require("pulumi-sdelements"); console.log([typeof p.IssueTrackerConnection, typeof p.startEmulator, typeof require("pulumi-sdelements/emulator").startEmulator, typeof require("pulumi-sdelements/engine").LocalEngine, typeof require("pulumi-sdelements/provider").create].join(" "))',
    ],
    fresh,
  );
  expect(loaded.stderr).toBe("");
  // The emulator is not in the main entry: it has its own.
  expect(loaded.stdout).toBe("function undefined function function function\n");
  for (const bin of ["sde-emulator", "sde-pulumi"]) {
    const version = run(join(fresh, "node_modules", ".bin", bin), ["--version"], fresh);
    expect([bin, version.status, version.stdout]).toEqual([bin, 0, `${manifest.version}\n`]);
  }
});

test("TypeScript finds the types of the main entry and of pulumi-sdelements/emulator, the emulator's only in the latter", () => {
  writeFileSync(
    join(fresh, "entry-types.ts"),
    [
      'import { IssueTrackerConnection } from "pulumi-sdelements";',
      'import { DEFAULT_TOKEN, startEmulator, type Emulator } from "pulumi-sdelements/emulator";',
      "// @ts-expect-error: the main entry does not carry the emulator",
      'import { startEmulator as fromMain } from "pulumi-sdelements";',
      "export const typed: [typeof IssueTrackerConnection, string, () => Promise<Emulator>, unknown] = [IssueTrackerConnection, DEFAULT_TOKEN, startEmulator, fromMain];",
      "",
    ].join("\n"),
  );
  const tsc = run(
    process.execPath,
    [
      join(fresh, "node_modules", "typescript", "bin", "tsc"),
      "--noEmit",
      "--strict",
      "--esModuleInterop",
      "--skipLibCheck",
      "--module",
      "node16",
      "--moduleResolution",
      "node16",
      "--types",
      "node",
      "entry-types.ts",
    ],
    fresh,
  );
  expect({ status: tsc.status, output: tsc.stdout + tsc.stderr }).toEqual({ status: 0, output: "" });
});

test("the Quickstart as printed runs offline with the runner, and an edit of it re-runs as an update of the same connection", () => {
  writeFileSync(join(fresh, "index.ts"), readmeBlock("ts", { heading: "## Quickstart" }));
  writeFileSync(join(fresh, "Pulumi.yaml"), "name: quickstart\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
  cpSync(join(ROOT, "examples", "basic", "tsconfig.json"), join(fresh, "tsconfig.json"));
  // The README's command, with the paths of this project.
  const command = readmeBlock("sh", { first: "npm run demo -- --program ~/my-project" }).trim().split(/\s+/).slice(4);
  const args = command.map((a) => a.replace("~/my-project", fresh));
  // As the README says to, before the command.
  const env = { JIRA_PASSWORD: "example-jira-password" };
  const first = demo(args, env);
  expect(first.stderr).toBe("");
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(/Resources:\n {4}\+ 2 created\n/);
  writeFileSync(
    join(fresh, "index.ts"),
    readFileSync(join(fresh, "index.ts"), "utf8").replace('alias: "Payments Jira"', 'alias: "Payments EU Jira"'),
  );
  const second = demo([...args, "--steps", "up,destroy"], env);
  expect(second.status).toBe(0);
  expect(second.stdout).toMatch(/payments-jira +updated +\[diff: ~alias\]/);
  expect(second.stdout).toMatch(/Resources:\n {4}~ 1 updated\n {4}1 unchanged\n/);
  expect(second.stdout).toMatch(/Resources:\n {4}- 2 deleted\n/);
});

test("the README's offline check runs the engine from the installed package, one run after another", () => {
  const dir = join(fresh, "js-program");
  mkdirSync(dir);
  writeFileSync(join(dir, "offline-check.js"), readmeBlock("js", { first: "// offline-check.js" }));
  const program = (alias: string) =>
    `const pulumi = require("@pulumi/pulumi");\nconst { IssueTrackerConnection } = require("pulumi-sdelements");\nconst config = new pulumi.Config();\nnew IssueTrackerConnection("payments-jira", { alias: ${JSON.stringify(alias)}, connector: 1, project: 1, params: { issue_tracker_server: "jira.example.com", issue_tracker_project: "PAY", issue_tracker_user: "pulumi-bot", issue_tracker_pass: config.requireSecret("jiraPassword") } });\n`;
  writeFileSync(join(dir, "index.js"), program("Payments Jira"));
  const check = (step: string) => run(process.execPath, ["offline-check.js", step], dir);
  expect(check("up")).toMatchObject({ status: 0, stdout: "create payments-jira\n", stderr: "" });
  writeFileSync(join(dir, "index.js"), program("Payments EU Jira"));
  expect(check("preview")).toMatchObject({ status: 0, stdout: "update payments-jira [diff: ~alias]\n" });
  expect(check("destroy")).toMatchObject({ status: 0, stdout: "delete payments-jira\n" });
  expect(readFileSync(join(dir, ".sde-stack", "state.json"), "utf8")).not.toContain("example-jira-password");
});

test.each([
  ["basic", ["--secret-env", "jiraPassword=JIRA_PASSWORD", "--secret-env", "rallyPassword=RALLY_PASSWORD"]],
  ["at-scale", ["--secret-env", "jiraPassword=JIRA_PASSWORD"]],
])("examples/%s copied out of the repository installs from the tarball and runs", (name, secrets) => {
  const dir = join(work, `copy-of-${name}`);
  cpSync(join(ROOT, "examples", name), dir, { recursive: true });
  // As the README says: the tarball replaces the dependency on this checkout; the rest is the example's own.
  npm(["install", tarball], dir);
  const installed = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  expect(installed.dependencies["pulumi-sdelements"]).toMatch(/^file:.*pulumi-sdelements-.*\.tgz$/);
  expect(existsSync(join(dir, "node_modules", "typescript"))).toBe(true);
  const result = demo(["--program", dir, "--steps", "preview,up,destroy", ...secrets], {
    JIRA_PASSWORD: "example-jira-password",
    RALLY_PASSWORD: "rally_password",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/Resources:\n {4}- \d+ deleted\n/);
});

test("examples/policy copied out of the repository installs from the tarball and serves its policies, started as the CLI starts it", async () => {
  const dir = join(work, "copy-of-policy");
  cpSync(join(ROOT, "examples", "policy"), dir, { recursive: true });
  npm(["install", tarball], dir);
  // The CLI's policy-pack runner, from the copy's own SDK: it type-checks the pack's TypeScript with the
  // copy's typescript and serves it (the engine's address is not used by a pack).
  const pack = await startPolicyPack(
    process.execPath,
    [join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:0", "."],
    {
      cwd: dir,
      env: { ...ENV, PULUMI_NODEJS_STACK: "prod", PULUMI_NODEJS_PROJECT: "adopted", PULUMI_CONFIG: "{}" },
    },
  );
  try {
    const names = connectionPolicies({ stack: () => "prod", env: {} }).map((p) => p.name);
    expect(await pack.info()).toEqual({ name: "sdelements-connections", policies: names });
    expect(pack.stderr()).toBe("");
  } finally {
    pack.stop();
  }
});

describe("the exporter, installed", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  test("its program depends on the tarball the project installed, never on a path into node_modules", async () => {
    const out = join(work, "adopted");
    // Not spawnSync: the emulator answers from this process.
    const exported = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(join(fresh, "node_modules", ".bin", "sde-pulumi"), ["export", "--url", emulator.url, "--all", "--out", out], {
        cwd: fresh,
        env: { ...ENV, SDE_API_TOKEN: DEFAULT_TOKEN },
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (status) => done({ status, stderr }));
    });
    expect(exported.stderr).toMatch(/wrote 1 connection/);
    expect(exported.status).toBe(0);
    const spec = (JSON.parse(readFileSync(join(out, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies[
      "pulumi-sdelements"
    ]!;
    expect(spec).not.toContain("node_modules");
    expect(resolve(out, spec.replace(/^file:/, ""))).toBe(tarball);
    expect(exported.stderr).toContain(`package.json depends on pulumi-sdelements ${spec} (the tarball ${fresh} installed it from)`);
    expect(existsSync(join(out, "tsconfig.json"))).toBe(true);
    expect(dirname(out)).toBe(work);
  });
});
