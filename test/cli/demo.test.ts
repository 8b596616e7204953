import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { DEFAULT_SEED } from "../../src/emulator";
import { plaintextOccurrences, isSecret } from "../../src/engine";

// `npm run demo` as a user runs it: the compiled runner (lib/, built by the test setup) in a child process.
const ROOT = resolve(__dirname, "..", "..");

function demo(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // PATH without any pulumi CLI: this machine has none, and the test must not depend on one.
    const child = spawn(process.execPath, [join(ROOT, "lib", "cli", "demo.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, INIT_CWD: undefined, npm_lifecycle_event: undefined, PATH: dirname(process.execPath), ...env },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}

test("the default demo: preview, up, an up that changes nothing, destroy, as the CLI shows them; secrets masked", async () => {
  const { code, stdout, stderr } = await demo([]);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toMatch(/^No Pulumi CLI on PATH: running the program through this package's local engine/m);
  const [preview, up, again, destroy] = stdout.split(/^(?=Previewing update|Updating|Destroying)/m).slice(1);
  // The stack is the root of the tree and counts; Outputs come before Resources; a preview has no Duration.
  expect(preview).toMatch(/^ \+   pulumi:pulumi:Stack +sdelements-basic-demo +create$/m);
  expect(preview).toMatch(/^ \+   [├└]─ pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection +payments-jira +create$/m);
  expect(preview).toMatch(/Outputs:[\s\S]*Resources:\n {4}\+ 3 to create\n/);
  expect(preview).not.toContain("Duration");
  expect(up).toMatch(/^ \+  pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection payments-jira creating\.\.\.$/m);
  // Progress during up's preview too (its Checks test the connections), before the update's own.
  expect(up).toMatch(
    /^ {4}pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection payments-jira previewing\.\.\.$[\s\S]*payments-jira creating\.\.\./m,
  );
  // It is progress only: the table is the update's.
  expect(up.indexOf("Type")).toBeGreaterThan(0);
  expect(up.slice(up.indexOf("Type"))).not.toContain("previewing");
  expect(up).toMatch(/Outputs:[\s\S]*Resources:\n {4}\+ 3 created\n\nDuration: \d+s/);
  expect(up).toMatch(/demoCredentials +: \[secret\]/);
  expect(up).toMatch(/paymentsCommand +: "sync_jira"/);
  // Nothing changed: only the root is listed, and everything counts as unchanged.
  expect(again).toMatch(/Status\n {5}pulumi:pulumi:Stack +sdelements-basic-demo\n\n/);
  expect(again).toMatch(/Resources:\n {4}3 unchanged\n/);
  expect(destroy).toMatch(/Resources:\n {4}- 3 deleted\n/);
  expect(stdout).not.toContain("example-jira-password");
  expect(stdout).not.toContain("rally_password");
});

test("--help lists every option of the usage line; --version prints the package's version", async () => {
  const help = await demo(["--help"]);
  expect(help.code).toBe(0);
  const options = [...new Set([...help.stdout.split("\n")[0]!.matchAll(/--[a-z-]+/g)].map((m) => m[0]))];
  expect(options).toEqual([
    "--program",
    "--steps",
    "--stack-dir",
    "--diff",
    "--seed",
    "--config",
    "--secret-env",
    "--secret-file",
    "--secret-stdin",
    "--state-out",
    "--version",
    "--help",
  ]);
  for (const option of options) expect(help.stdout).toMatch(new RegExp(`^  ${option} `, "m"));
  expect(help.stdout).toMatch(/Exit status: 0/);
  const version = await demo(["--version"]);
  expect(version).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`, stderr: "" });
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
    const { code, stdout, stderr } = await demo(
      [
        "--program",
        "examples/basic",
        "--steps",
        "preview,up,refresh",
        "--secret-env",
        "jiraPassword=JIRA_PASSWORD",
        "--secret-stdin",
        "rallyPassword",
        "--state-out",
        stateOut,
      ],
      { JIRA_PASSWORD: "example-jira-password" },
      "rally_password\n",
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    // Nothing drifted: the refresh shows everything unchanged.
    expect(stdout.slice(stdout.indexOf("Refreshing"))).toMatch(/Resources:\n {4}3 unchanged\n/);
    const state = JSON.parse(readFileSync(stateOut, "utf8")) as {
      resources: { name: string; inputs: { params: Record<string, unknown> }; outputs: Record<string, unknown> }[];
    };
    expect(state.resources.map((r) => r.name).sort()).toEqual(["demo-rally", "payments-jira"]);
    for (const r of state.resources) {
      expect(isSecret(r.inputs.params.issue_tracker_pass)).toBe(true);
      expect(isSecret(r.outputs.credentials)).toBe(true);
    }
    expect(plaintextOccurrences(state, ["example-jira-password", "rally_password", "sde-emulator-admin-token"])).toEqual([]);
    expect(statSync(stateOut).mode & 0o777).toBe(0o600);
  });

  test("a failing step exits non-zero with the error, once, under its resource", async () => {
    const { code, stdout, stderr } = await demo(["--program", "test/fixtures/programs/wrong-password", "--steps", "preview"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /Diagnostics:\n  pulumi:pulumi:Stack \(wrong-password-demo\):\n    error: preview failed\n\n  pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection \(wrong-password\):\n    error: property params: the connection test failed: Authentication to jira\.example\.com failed/,
    );
    expect(stdout.match(/Authentication to jira\.example\.com failed/g)).toHaveLength(1);
    expect(stderr).toMatch(/preview failed/);
    expect(stdout + stderr).not.toContain("not-the-password");
  });

  test("a failed create is shown as such, its error once, under its resource", async () => {
    const { code, stdout } = await demo(["--program", "test/fixtures/programs/missing-project", "--steps", "up"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /  pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection \(nowhere\):\n    error: creating connection "Nowhere Jira"[^\n]*project: Invalid pk "999"/,
    );
    expect(stdout.match(/Invalid pk "999"/g)).toHaveLength(1);
    expect(stdout).toMatch(/└─ pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection +nowhere +\*\*creating failed\*\* +1 error/);
  });

  test("a type error fails the program as `pulumi up` does (type-checked, not only transpiled), creating nothing", async () => {
    const { code, stdout, stderr } = await demo(["--program", "test/fixtures/programs/type-error", "--steps", "up"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /error: the program failed: ⨯ Unable to compile TypeScript:\n    .*index\.ts\(6,9\): error TS2322: Type 'string' is not assignable to type 'number'\./,
    );
    expect(stdout).not.toMatch(/typed|creating/);
    expect(stderr).toBe("up failed.\n");
    // What the CLI's PULUMI_NODEJS_TRANSPILE_ONLY=true allows, the runner allows too: then it runs.
    const transpiled = await demo(["--program", "test/fixtures/programs/type-error", "--steps", "up"], {
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    });
    expect(transpiled.code).toBe(0);
    expect(transpiled.stdout).toMatch(/typed +created/);
  });

  test("a program that throws: the run fails with its message once, and the demo exits on its own terms", async () => {
    const { code, stdout, stderr } = await demo(["--program", "test/fixtures/programs/throws", "--steps", "preview"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/pulumi:pulumi:Stack \(throws-program-demo\):\n    error: the program failed: the program gave up/);
    // Its Pulumi.yaml quotes the name; the project is the name without the quotes.
    expect(stdout).toContain("Previewing update (throws-program/demo)");
    // No second report of the same error (an unhandled rejection's stack trace).
    expect(stderr.trim()).toBe("preview failed.");
  });

  test("an up whose program fails deletes nothing it did not get to declare, as the engine does", async () => {
    const stateOut = join(dir, "state.json");
    const { code, stdout } = await demo([
      "--program",
      "test/fixtures/programs/fails-second-run",
      "--steps",
      "up,up",
      "--state-out",
      stateOut,
    ]);
    expect(code).toBe(1);
    const second = stdout.slice(stdout.lastIndexOf("Updating ("));
    expect(second).toMatch(/error: the program failed: the program gave up half way/);
    // The preview declared kept-b (its progress says so); the failed update neither shows nor deletes it.
    expect(second).toMatch(/kept-b previewing\.\.\./);
    expect(second.indexOf(" Type")).toBeGreaterThan(0);
    expect(second.slice(second.indexOf(" Type"))).not.toMatch(/kept-b|delete/);
    // The state as the failed step left it, written all the same.
    const state = JSON.parse(readFileSync(stateOut, "utf8")) as { resources: { name: string }[] };
    expect(state.resources.map((r) => r.name).sort()).toEqual(["kept-a", "kept-b"]);
  });

  test("--program is resolved from where the command was typed (INIT_CWD under npm run), and must be a directory", async () => {
    // A --secret-file's path too is relative to where the command was typed.
    writeFileSync(join(dir, "rally-password"), "rally_password\n", { mode: 0o600 });
    const fromExamples = await demo(
      [
        "--program",
        "basic",
        "--steps",
        "preview",
        "--secret-env",
        "jiraPassword=JIRA_PASSWORD",
        "--secret-file",
        `rallyPassword=${relative(join(ROOT, "examples"), join(dir, "rally-password"))}`,
      ],
      { INIT_CWD: join(ROOT, "examples"), npm_lifecycle_event: "demo", JIRA_PASSWORD: "example-jira-password" },
    );
    expect(fromExamples.stderr).toBe("");
    expect(fromExamples.code).toBe(0);
    // Another npm script's INIT_CWD is not the demo's: paths are then relative to the working directory.
    const otherScript = await demo(["--program", "basic", "--steps", "preview"], {
      INIT_CWD: join(ROOT, "examples"),
      npm_lifecycle_event: "test",
    });
    expect(otherScript.code).toBe(2);
    const missing = await demo(["--program", "no-such-program"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^--program no-such-program: no such directory \(.*no-such-program\): give a Pulumi program's directory/,
    );
    const file = await demo(["--program", "examples/basic/index.ts"]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/--program examples\/basic\/index\.ts: no such directory/);
  });

  test("no secret given through the environment, a file or standard input appears anywhere but inside a secret", async () => {
    const stateOut = join(dir, "state.json");
    const passwordFile = join(dir, "jira-password");
    writeFileSync(passwordFile, "example-jira-password\n", { mode: 0o600 });
    const values = ["example-jira-password", "rally_password"];
    const good = await demo(
      [
        "--program",
        "examples/basic",
        "--secret-file",
        `jiraPassword=${passwordFile}`,
        "--secret-stdin",
        "rallyPassword",
        "--state-out",
        stateOut,
      ],
      {},
      "rally_password\n",
    );
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/Destroying[\s\S]*- 3 deleted/);
    // The state view holds them only inside secret envelopes (after destroy it is empty: look at one
    // before the destroy too).
    const beforeDestroy = join(dir, "state-up.json");
    const up = await demo(
      [
        "--program",
        "examples/basic",
        "--steps",
        "up",
        "--secret-env",
        "jiraPassword=JP",
        "--secret-env",
        "rallyPassword=RP",
        "--state-out",
        beforeDestroy,
      ],
      { JP: values[0], RP: values[1] },
    );
    expect(up.code).toBe(0);
    const state = JSON.parse(readFileSync(beforeDestroy, "utf8")) as { resources: unknown[] };
    expect(state.resources).toHaveLength(2);
    expect(JSON.stringify(state)).toContain("example-jira-password");
    expect(plaintextOccurrences(state, values)).toEqual([]);
    // A wrong one fails the preview, in an error that names the param and not the value.
    const wrong = await demo(
      ["--program", "examples/basic", "--steps", "preview", "--secret-env", "jiraPassword=JP", "--secret-stdin", "rallyPassword"],
      { JP: "Demo-Canary-Wrong-Pass-6f" },
      "rally_password\n",
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(
      /\(payments-jira\):\n +error: property params: the connection test failed: Authentication to jira\.example\.com failed/,
    );
    for (const run of [good, up, wrong]) {
      for (const value of [...values, "Demo-Canary-Wrong-Pass-6f"]) expect(run.stdout + run.stderr).not.toContain(value);
    }
  }, 120_000);

  test.each([
    [
      "--secret KEY=VALUE",
      ["--secret", "jiraPassword=Demo-Canary-Cli-Pass-2a"],
      /^--secret would put a secret on the command line, where the process list, shell history and npm's debug log keep it: pass it with --secret-env KEY=VAR \(an environment variable\), --secret-file KEY=PATH or --secret-stdin KEY/,
    ],
    ["--secret=KEY=VALUE", ["--secret=jiraPassword=Demo-Canary-Cli-Pass-2a"], /^--secret would put a secret on the command line/],
    // Other spellings of an option carrying a secret: refused as such, with the same ways.
    ...["--password", "--api-token", "--apiToken", "--token", "--pass"].map((flag): [string, string[], RegExp] => [
      flag,
      [flag, "Demo-Canary-Cli-Pass-2a"],
      new RegExp(
        `^${flag} would put a secret on the command line, where the process list, shell history and npm's debug log keep it: pass it with --secret-env KEY=VAR \\(an environment variable\\), --secret-file KEY=PATH or --secret-stdin KEY`,
      ),
    ]),
    ["--token=VALUE", ["--token=Demo-Canary-Cli-Pass-2a"], /^--token would put a secret on the command line/],
    [
      "a secret as --config",
      ["--config", "jiraPassword=Demo-Canary-Cli-Pass-2a"],
      /^--config jiraPassword: its name says it is a secret, and --config would put its value on the command line \(and in plain config\): pass it with --secret-env jiraPassword=VAR/,
    ],
    [
      "a namespaced one",
      ["--config", "sdelements:apiToken=Demo-Canary-Cli-Pass-2a"],
      /^--config sdelements:apiToken: its name says it is a secret/,
    ],
    [
      "a value where a variable's name belongs",
      ["--secret-env", "jiraPassword=Demo-Canary-Cli-Pass-2a"],
      /^--secret-env jiraPassword takes the name of an environment variable/,
    ],
    [
      "a variable that is not set",
      ["--secret-env", "jiraPassword=DEMO_TEST_NOT_SET"],
      /^--secret-env jiraPassword: the environment variable it names is not set/,
    ],
    [
      "a file that is not there",
      ["--secret-file", "jiraPassword=/no/Demo-Canary-Cli-Pass-2a"],
      /^--secret-file jiraPassword: cannot read the file \(ENOENT\)/,
    ],
    ["two keys from standard input", ["--secret-stdin", "a", "--secret-stdin", "b"], /^--secret-stdin can be given once/],
    ["one key twice", ["--secret-env", "a=X", "--secret-stdin", "a"], /^a is given twice/],
  ])("%s is refused with the ways to pass a secret, exit 2, nothing started or written", async (_what, args, expected) => {
    const stateOut = join(dir, "state.json");
    const run = await demo(["--program", "examples/basic", ...args, "--state-out", stateOut], {}, "");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).toMatch(/usage: npm run demo/);
    expect(run.stdout).toBe("");
    expect(run.stdout + run.stderr).not.toContain("Demo-Canary-Cli-Pass-2a");
    expect(existsSync(stateOut)).toBe(false);
  });

  test("a bad command line exits 2 with the usage", async () => {
    const { code, stderr } = await demo(["--steps", "deploy"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--steps takes a comma-separated list of preview, up, refresh, destroy; not deploy/);
    expect(stderr).toMatch(/usage: npm run demo/);
  });
});

describe("--stack-dir: one stack across runs, as with `pulumi up` on a local backend", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "demo-stack-"));
    // A copy of examples/basic outside the repository, with this package and the SDK installed beside it.
    cpSync(join(ROOT, "examples", "basic"), join(dir, "program"), { recursive: true });
    mkdirSync(join(dir, "node_modules", "@pulumi"), { recursive: true });
    symlinkSync(ROOT, join(dir, "node_modules", "pulumi-sdelements"));
    symlinkSync(join(ROOT, "node_modules", "@pulumi", "pulumi"), join(dir, "node_modules", "@pulumi", "pulumi"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("create, edit the program, run again: ~ update of the same connection, with its diff; then destroy", async () => {
    const program = join(dir, "program");
    const run = (...more: string[]) =>
      demo(
        [
          "--program",
          program,
          "--stack-dir",
          join(dir, "stack"),
          "--secret-env",
          "jiraPassword=JIRA_PASSWORD",
          "--secret-env",
          "rallyPassword=RALLY_PASSWORD",
          ...more,
        ],
        {
          JIRA_PASSWORD: "example-jira-password",
          RALLY_PASSWORD: "rally_password",
        },
      );
    const first = await run();
    expect(first.code).toBe(0);
    // By default a kept stack is previewed and updated, not destroyed.
    expect(first.stdout).toMatch(/Resources:\n {4}\+ 3 to create\n[\s\S]*Resources:\n {4}\+ 3 created\n/);
    expect(first.stdout).not.toContain("Destroying");
    const id = /paymentsConnectionId *: (\d+)/.exec(first.stdout)![1];

    const source = join(program, "index.ts");
    writeFileSync(source, readFileSync(source, "utf8").replace('alias: "Payments Jira"', 'alias: "Payments EU Jira"'));
    const preview = await run("--steps", "preview", "--diff");
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(
      /~ pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection: \(update\)\n.*::payments-jira\]\n +~ alias: "Payments Jira" => "Payments EU Jira"\n/,
    );
    expect(preview.stdout).toMatch(/Resources:\n {4}~ 1 to update\n {4}2 unchanged\n/);

    const up = await run("--steps", "up,refresh");
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(
      /~   [├└]─ pulumi-nodejs:dynamic\/sdelements:IssueTrackerConnection +payments-jira +updated +\[diff: ~alias\]/,
    );
    expect(up.stdout).toMatch(/Resources:\n {4}~ 1 updated\n {4}2 unchanged\n/);
    // The same connection: its id did not change.
    expect(up.stdout).toMatch(new RegExp(`paymentsConnectionId *: ${id}\n`));
    expect(up.stdout.slice(up.stdout.indexOf("Refreshing"))).toMatch(/Resources:\n {4}3 unchanged\n/);

    // The stack's files: the state holds no secret in plain text.
    const state = readFileSync(join(dir, "stack", "state.json"), "utf8");
    expect(state).not.toContain("example-jira-password");
    expect(state).not.toContain("rally_password");
    expect(statSync(join(dir, "stack", "state.json")).mode & 0o777).toBe(0o600);

    // A refresh against a wrong URL: the provider host prints each error too; the runner shows it once.
    const unreachable = await run(
      "--steps",
      "refresh",
      "--config",
      "sdelements:url=http://127.0.0.1:9",
      "--config",
      "sdelements:maxAttempts=1",
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(/\(payments-jira\):\n    error: refreshing failed: reading connection \d+: GET /);
    expect(unreachable.stdout.match(/reading connection/g)).toHaveLength(2);
    expect(unreachable.stdout).not.toMatch(/Error: reading connection/);

    const destroy = await run("--steps", "destroy");
    expect(destroy.code).toBe(0);
    expect(destroy.stdout).toMatch(/Resources:\n {4}- 3 deleted\n/);
    const data = JSON.parse(readFileSync(join(dir, "stack", "emulator.json"), "utf8")) as { connections: { alias: string }[] };
    expect(data.connections.map((c) => c.alias)).toEqual(["Rally Integration"]);
    // Six runs of the demo, each starting an emulator and a provider host.
  }, 120_000);

  test("with --stack-dir the seed makes only a new stack's world: later runs keep the data, and say a seed is not used", async () => {
    const seed = structuredClone(DEFAULT_SEED);
    seed.projects!.push({ id: 12, name: "Payments", slug: "payments", application: 1, archived: false });
    writeFileSync(join(dir, "seed.json"), JSON.stringify(seed));
    writeFileSync(join(dir, "default-seed.json"), JSON.stringify(DEFAULT_SEED));
    writeFileSync(
      join(dir, "catalogue.yaml"),
      "defaults: { connector: 1, params: { issue_tracker_server: jira.example.com, issue_tracker_user: pulumi-bot }, credentials: { issue_tracker_pass: jiraPassword } }\nconnections:\n  - { project: 12, alias: Payments Jira, params: { issue_tracker_project: PAY } }\n",
    );
    const run = (...more: string[]) =>
      demo(
        [
          "--program",
          "examples/at-scale",
          "--stack-dir",
          join(dir, "stack"),
          "--config",
          `catalogue=${join(dir, "catalogue.yaml")}`,
          "--secret-env",
          "jiraPassword=JIRA_PASSWORD",
          ...more,
        ],
        { JIRA_PASSWORD: "example-jira-password" },
      );
    const first = await run("--steps", "up", "--seed", join(dir, "seed.json"));
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain("not used");
    expect(first.stdout).toMatch(/Resources:\n {4}\+ 3 created\n/);
    // The default world has no project 12: were it used, the connection and its project would be gone.
    const again = await run("--steps", "preview", "--seed", join(dir, "default-seed.json"));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `--seed ${join(dir, "default-seed.json")}: not used: ${join(dir, "stack", "emulator.json")} already holds the emulator's data (a seed starts a new --stack-dir; move that file away to start from the seed again)`,
    );
    expect(again.stdout).toMatch(/Resources:\n {4}3 unchanged\n/);
    const data = JSON.parse(readFileSync(join(dir, "stack", "emulator.json"), "utf8")) as { projects: { id: number }[] };
    expect(data.projects.map((p) => p.id)).toContain(12);
  }, 60_000);

  test("--seed gives the emulator the user's own world (here a project 12 the default lacks)", async () => {
    const seed = structuredClone(DEFAULT_SEED);
    seed.projects!.push({ id: 12, name: "Payments", slug: "payments", application: 1, archived: false });
    writeFileSync(join(dir, "seed.json"), JSON.stringify(seed));
    writeFileSync(
      join(dir, "catalogue.yaml"),
      "defaults: { connector: 1, params: { issue_tracker_server: jira.example.com, issue_tracker_user: pulumi-bot }, credentials: { issue_tracker_pass: jiraPassword } }\nconnections:\n  - { project: 12, alias: Payments Jira, params: { issue_tracker_project: PAY } }\n",
    );
    const args = [
      "--program",
      "examples/at-scale",
      "--steps",
      "up",
      "--config",
      `catalogue=${join(dir, "catalogue.yaml")}`,
      "--secret-env",
      "jiraPassword=JIRA_PASSWORD",
    ];
    const env = { JIRA_PASSWORD: "example-jira-password" };
    const withSeed = await demo([...args, "--seed", join(dir, "seed.json")], env);
    // The stack, the example's ConnectionTests and the one connection.
    expect(withSeed.stdout).toMatch(/Resources:\n {4}\+ 3 created\n/);
    expect(withSeed.code).toBe(0);
    const without = await demo(args, env);
    expect(without.code).toBe(1);
    const broken = await demo([...args, "--seed", join(dir, "catalogue.yaml")], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^seed file .*catalogue\.yaml is not valid JSON/);
  }, 60_000);
});
