import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { plaintextOccurrences, isSecret } from "../../src/engine";

// `npm run demo` as a user runs it: the compiled runner (lib/, built by the test setup) in a child process.
const ROOT = resolve(__dirname, "..", "..");

function demo(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // PATH without any pulumi CLI: this machine has none, and the test must not depend on one.
    const child = spawn(process.execPath, [join(ROOT, "lib", "cli", "demo.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, INIT_CWD: undefined, npm_lifecycle_event: undefined, PATH: dirname(process.execPath), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}

test("the default demo: preview, up, an up that changes nothing, destroy; secrets masked", async () => {
  const { code, stdout, stderr } = await demo([]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toMatch(/^No Pulumi CLI on PATH: running the program through this package's local engine/m);
  expect(stdout).toMatch(/Previewing update[\s\S]*\+ 2 to create/);
  expect(stdout).toMatch(/Updating \(sdelements-basic\/demo\)[\s\S]*\+ 2 created/);
  expect(stdout).toMatch(/Updating again[\s\S]*2 unchanged/);
  expect(stdout).toMatch(/Destroying[\s\S]*- 2 deleted/);
  expect(stdout).toMatch(/demoCredentials: +\[secret\]/);
  expect(stdout).toMatch(/paymentsCommand: +"sync_jira"/);
  expect(stdout).not.toContain("example-jira-password");
  expect(stdout).not.toContain("rally_password");
});

describe("any program", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "demo-test-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("runs the listed steps and writes the state view with secrets as envelopes", async () => {
    const stateOut = join(dir, "state.json");
    // An existing, readable file is narrowed to the owner: the view holds the secrets' values.
    writeFileSync(stateOut, "{}", { mode: 0o644 });
    const { code, stdout } = await demo([
      "--program", "examples/basic",
      "--steps", "preview,up,refresh",
      "--secret", "jiraPassword=example-jira-password",
      "--secret", "rallyPassword=rally_password",
      "--state-out", stateOut,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Refreshing[\s\S]*refreshed/);
    const state = JSON.parse(readFileSync(stateOut, "utf8")) as { resources: { name: string; inputs: { params: Record<string, unknown> }; outputs: Record<string, unknown> }[] };
    expect(state.resources.map((r) => r.name).sort()).toEqual(["demo-rally", "payments-jira"]);
    for (const r of state.resources) {
      expect(isSecret(r.inputs.params.issue_tracker_pass)).toBe(true);
      expect(isSecret(r.outputs.credentials)).toBe(true);
    }
    expect(plaintextOccurrences(state, ["example-jira-password", "rally_password", "sde-emulator-admin-token"])).toEqual([]);
    expect(statSync(stateOut).mode & 0o777).toBe(0o600);
  });

  test("a failing step exits non-zero with the error", async () => {
    const { code, stdout, stderr } = await demo(["--program", "test/fixtures/programs/wrong-password", "--steps", "preview"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: .*wrong-password: property params: the connection test failed: Authentication to jira\.example\.com failed/);
    expect(stderr).toMatch(/preview failed/);
    expect(stdout + stderr).not.toContain("not-the-password");
  });

  test("a program that throws: the run fails with its message once, and the demo exits on its own terms", async () => {
    const { code, stdout, stderr } = await demo(["--program", "test/fixtures/programs/throws", "--steps", "preview"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/error: the program failed: the program gave up/);
    // Its Pulumi.yaml quotes the name; the project is the name without the quotes.
    expect(stdout).toContain("Previewing update (throws-program/demo)");
    // No second report of the same error (an unhandled rejection's stack trace).
    expect(stderr.trim()).toBe("preview failed.");
  });

  test("an up whose program fails deletes nothing it did not get to declare, as the engine does", async () => {
    const stateOut = join(dir, "state.json");
    const { code, stdout } = await demo(["--program", "test/fixtures/programs/fails-second-run", "--steps", "up,up", "--state-out", stateOut]);
    expect(code).toBe(1);
    const second = stdout.slice(stdout.indexOf("Updating again"));
    expect(second).toMatch(/error: the program failed: the program gave up half way/);
    expect(second).not.toMatch(/kept-b|delete/);
    // The state as the failed step left it, written all the same.
    const state = JSON.parse(readFileSync(stateOut, "utf8")) as { resources: { name: string }[] };
    expect(state.resources.map((r) => r.name).sort()).toEqual(["kept-a", "kept-b"]);
  });

  test("--program is resolved from where the command was typed (INIT_CWD under npm run), and must be a directory", async () => {
    const fromExamples = await demo(["--program", "basic", "--steps", "preview", "--secret", "jiraPassword=example-jira-password", "--secret", "rallyPassword=rally_password"], { INIT_CWD: join(ROOT, "examples"), npm_lifecycle_event: "demo" });
    expect(fromExamples.code).toBe(0);
    // Another npm script's INIT_CWD is not the demo's: paths are then relative to the working directory.
    const otherScript = await demo(["--program", "basic", "--steps", "preview"], { INIT_CWD: join(ROOT, "examples"), npm_lifecycle_event: "test" });
    expect(otherScript.code).toBe(2);
    const missing = await demo(["--program", "no-such-program"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^--program no-such-program: no such directory \(.*no-such-program\): give a Pulumi program's directory/);
    const file = await demo(["--program", "examples/basic/index.ts"]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/--program examples\/basic\/index\.ts: no such directory/);
  });

  test("a bad command line exits 2 with the usage", async () => {
    const { code, stderr } = await demo(["--steps", "deploy"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--steps takes a comma-separated list of preview, up, refresh, destroy; not deploy/);
    expect(stderr).toMatch(/usage: npm run demo/);
  });
});
