import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SdeClient } from "../../src/client";
import { DEFAULT_SEED, DEFAULT_TOKEN, READ_ONLY_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import { filesIn, PROJECT_ROOT, sdePulumi, secretKeysOf, type CliRun } from "./harness";

// `sde-pulumi export` as a user runs it: the installed bin (lib/, built by the test setup) in a child
// process for the command line itself, and in-process against the emulator for the exports.

/** bin/sde-pulumi.js with exactly `env` (plus the PATH to this Node), as a user's shell would run it. */
function bin(args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "bin", "sde-pulumi.js"), ...args], {
      cwd: work,
      env,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("exit", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Distinctive credentials: the connectors' and the connections' own, so a scan cannot miss one. */
const CONNECTOR_SECRETS = {
  jira: "Connector-Canary-Jira-5e1f",
  rally: "Connector-Canary-Rally-8a2b",
  github: "Connector-Canary-GitHub-3c4d",
};
const OWN_SECRETS = ["Own-Canary-Pass-1a", "Own-Canary-Pass-2b", "Own-Canary-Token-3c"];

let emulator: Emulator;
let work: string;

beforeAll(async () => {
  const seed = structuredClone(DEFAULT_SEED);
  // A project with no connection at all.
  seed.projects!.push({ id: 4, name: "Empty Project", slug: "empty-project", application: 1, archived: false });
  for (const connector of seed.connectors ?? []) {
    const params = connector.params as Record<string, unknown>;
    if ("issue_tracker_pass" in params) params.issue_tracker_pass = connector.id === 1 ? CONNECTOR_SECRETS.jira : CONNECTOR_SECRETS.rally;
    if ("issue_tracker_api_token" in params) params.issue_tracker_api_token = CONNECTOR_SECRETS.github;
  }
  emulator = await startEmulator({ seed });
  const client = new SdeClient({ url: emulator.url, token: DEFAULT_TOKEN }, {});
  const jira = (alias: string, project: number, pass?: string) => ({
    alias,
    connector: 1,
    project,
    params: { issue_tracker_project: alias.toUpperCase().slice(0, 3), ...(pass ? { issue_tracker_pass: pass } : {}) },
  });
  for (const body of [
    jira("Payments Jira", 1, OWN_SECRETS[0]),
    jira("Ops Jira", 1, CONNECTOR_SECRETS.jira), // the connector's own password: inherited, not managed
    jira("Ops Jira", 3, OWN_SECRETS[1]),
    jira("Audit Jira", 3),
    {
      alias: "Repo",
      connector: 3,
      project: 1,
      frequency: "weekly" as const,
      debug_mode: true,
      params: { issue_tracker_project: "repo", issue_tracker_api_token: OWN_SECRETS[2] as string },
    },
  ]) {
    await client.connections.create(body);
  }
  await client.close();
  work = mkdtempSync(join(tmpdir(), "sde-pulumi-cli-"));
});

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const ENV = () => ({ SDE_API_TOKEN: DEFAULT_TOKEN });

describe("the command line", () => {
  test("--help prints the usage and the options, exit 0", async () => {
    const top = await bin(["--help"]);
    expect(top).toMatchObject({ code: 0, stderr: "" });
    expect(top.stdout).toMatch(/^usage: sde-pulumi export/);
    const help = await bin(["export", "--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(
      /^usage: sde-pulumi export \[--url URL\] \(--project ID \.\.\. \| --all\) \[--out DIR\] \[--format ts\|yaml\]/,
    );
    expect(help.stdout).toMatch(/The API token \(never taken from the command line, where the process list shows it\): from SDE_API_TOKEN/);
    expect(help.stdout).toMatch(
      /--token-env VAR +another environment variable\n +--token-file PATH +a file \(one line\)\n +--token-stdin +a prompt that does not echo, or one line from a pipe/,
    );
  });

  test.each([
    [["export", "--all", "--format", "json"], /--format must be ts or yaml, not "json"/],
    [["export", "--url", "http://127.0.0.1:1"], /say what to export: --project ID \(repeatable\) or --all/],
    [["export", "--all", "--project", "1"], /give either --all or --project IDs, not both/],
    [["export", "--project", "one"], /--project takes a project id \(a positive whole number\), not "one"/],
    [["export", "--all", "--name", "has space"], /--name must be a Pulumi project name/],
    [["export", "--all", "--name", ".."], /--name must be a Pulumi project name \(a letter or digit, then/],
    [["export", "--all", "--package", " "], /--package must not be empty/],
    [["export", "--all", "--bogus"], /unknown option --bogus/],
    [["export", "--all", "--froce"], /unknown option --froce \(did you mean --force\?\)/],
    [
      ["export", "--all", "--token", "tok-pasted-0123456789"],
      /--token would put a secret on the command line, .*: the API token is read from SDE_API_TOKEN, or from --token-env VAR \(an environment variable\), --token-file PATH or --token-stdin/,
    ],
    [["export", "--all", "--api-token=tok-pasted-0123456789"], /--api-token would put a secret on the command line/],
    ...["--password", "--apiToken", "--secret", "--api-key"].map((flag): [string[], RegExp] => [
      ["export", "--all", flag, "tok-pasted-0123456789"],
      new RegExp(
        `^sde-pulumi export: ${flag} would put a secret on the command line, .*: the API token is read from SDE_API_TOKEN, or from --token-env VAR`,
      ),
    ]),
    [["export", "--all", "--secret=tok-pasted-0123456789"], /--secret would put a secret on the command line/],
    [["export", "--all", "--token=tok-pasted-0123456789"], /--token would put a secret on the command line/],
    [["export", "--all", "--token-env", "tok-pasted-0123456789!"], /--token-env takes the name of an environment variable/],
    [["export", "--all", "--token-env", "T", "--token-stdin"], /--token-env and --token-stdin both give the token: give one/],
    [["export", "--all", "--url", "sde.example.com"], /--url must be an http\(s\) URL such as https:\/\/sde\.example\.com/],
    [["export", "--all", "tok-pasted-0123456789"], /unexpected argument \(not shown, in case it is a secret\)/],
    [["export", "--all", "--url", "tok-pasted-0123456789"], /--url must be an http\(s\) URL .*not shown/],
    [["export", "--all"], /no server: pass --url https:\/\/sde\.example\.com or set SDE_URL/],
    [["deploy"], /unknown command "deploy"/],
    [[], /name a command/],
  ])("%j exits 2 with the reason and the usage", async (args, reason) => {
    const run = await bin(args, { SDE_API_TOKEN: DEFAULT_TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toMatch(/usage: sde-pulumi/);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toContain("tok-pasted-0123456789");
  });

  test("--out naming a file, or a directory already holding the files, is refused before any request", async () => {
    const file = join(work, "a-file");
    writeFileSync(file, "");
    emulator.clearRequestLog();
    const run = await bin(["export", "--url", emulator.url, "--all", "--out", file], ENV());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--out .*a-file is a file, not a directory: choose another --out/);
    expect(emulator.requestLog).toEqual([]);
  });

  test("a project that does not exist is an error (exit 1, nothing written); one with no connection is warned about", async () => {
    const missing = await bin(
      ["export", "--url", emulator.url, "--project", "1", "--project", "99", "--out", join(work, "missing")],
      ENV(),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^sde-pulumi export: --project 99: there is no project 99 \(or this API token cannot see it\): check the project id; nothing was written$/m,
    );
    expect(missing.stdout).toBe("");
    expect(existsSync(join(work, "missing"))).toBe(false);
    const empty = await bin(["export", "--url", emulator.url, "--project", "4", "--out", join(work, "empty")], ENV());
    expect(empty.code).toBe(0);
    expect(empty.stderr).toMatch(/warning: project 4 has no connection this token can see/);
  });

  test("without SDE_API_TOKEN: a clear error, exit 1, nothing written or requested", async () => {
    emulator.clearRequestLog();
    const out = join(work, "no-token");
    const run = await bin(["export", "--url", emulator.url, "--all", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^sde-pulumi export: SDE_API_TOKEN is not set: set it to an SD Elements API token with the 'Edit Issue Tracker connections' permission/,
    );
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(emulator.requestLog).toEqual([]);
  });

  test("the token from another variable, a file or standard input; never in any output or file", async () => {
    const tokenFile = join(work, "token");
    writeFileSync(tokenFile, `${DEFAULT_TOKEN}\n`, { mode: 0o600 });
    const runs = [
      await bin(["export", "--url", emulator.url, "--project", "1", "--out", join(work, "via-env"), "--token-env", "MY_SDE_TOKEN"], {
        MY_SDE_TOKEN: DEFAULT_TOKEN,
      }),
      await bin(["export", "--url", emulator.url, "--project", "1", "--out", join(work, "via-file"), "--token-file", tokenFile]),
      await bin(
        ["export", "--url", emulator.url, "--project", "1", "--out", join(work, "via-stdin"), "--token-stdin"],
        {},
        `${DEFAULT_TOKEN}\n`,
      ),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    for (const run of runs)
      expect(run.stdout).toBe(
        "pulumi config set --secret p1-payments-jira.issue_tracker_pass\npulumi config set --secret p1-repo.issue_tracker_api_token\n",
      );
    const everything = [
      ...runs.flatMap((r) => [r.stdout, r.stderr]),
      ...["via-env", "via-file", "via-stdin"].flatMap((d) => Object.values(filesIn(join(work, d)))),
    ].join("\n");
    expect(everything).not.toContain(DEFAULT_TOKEN);
    // One that cannot be read: exit 2, naming the option, before any request.
    emulator.clearRequestLog();
    const unset = await bin(["export", "--url", emulator.url, "--all", "--out", join(work, "unset"), "--token-env", "NOT_SET_HERE"]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/^sde-pulumi export: --token-env: the environment variable it names is not set/);
    expect(emulator.requestLog).toEqual([]);
  });

  test("the installed command exports: files written, config commands on stdout, progress on stderr", async () => {
    const out = join(work, "via-bin");
    const run = await bin(["export", "--url", emulator.url, "--project", "1", "--out", out], ENV());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "pulumi config set --secret p1-payments-jira.issue_tracker_pass\npulumi config set --secret p1-repo.issue_tracker_api_token\n",
    );
    expect(run.stderr).toMatch(/project 1: 3 connections \(1 of 1 projects\)/);
    expect(run.stderr).toMatch(/wrote 3 connections to .*via-bin \(index\.ts, Pulumi\.yaml, package\.json, tsconfig\.json, README\.md\)/);
    // From this checkout, the program depends on it by a relative path, and says so.
    expect(run.stderr).toMatch(
      /package\.json depends on pulumi-sdelements file:\.\.\/.* \(this checkout of the package\): --package names another/,
    );
  });
});

describe("exports", () => {
  test("two exports of the same server are byte-identical, in both formats", async () => {
    for (const format of ["ts", "yaml"]) {
      const [a, b] = [join(work, `same-${format}-a`), join(work, `same-${format}-b`)];
      const first = await sdePulumi(["export", "--url", emulator.url, "--all", "--format", format, "--out", a], ENV());
      const second = await sdePulumi(["export", "--url", emulator.url, "--all", "--format", format, "--out", b], ENV());
      expect([first.code, second.code]).toEqual([0, 0]);
      expect(second.stdout).toBe(first.stdout);
      const files = (dir: string) => Object.fromEntries(Object.entries(filesIn(dir)).map(([path, text]) => [path.slice(dir.length), text]));
      expect(files(b)).toEqual(files(a));
    }
  });

  test("no credential (the connections' own or the connectors') is in any file, stdout or stderr", async () => {
    for (const format of ["ts", "yaml"]) {
      const out = join(work, `scan-${format}`);
      const run = await sdePulumi(["export", "--url", emulator.url, "--all", "--format", format, "--out", out], ENV());
      expect(run.code).toBe(0);
      // Three own credentials: three secrets; the connection repeating its connector's password inherits it.
      expect(secretKeysOf(run.stdout)).toEqual([
        "p1-payments-jira.issue_tracker_pass",
        "p1-repo.issue_tracker_api_token",
        "p3-ops-jira.issue_tracker_pass",
      ]);
      const everything = [...Object.values(filesIn(out)), run.stdout, run.stderr].join("\n");
      for (const secret of [...OWN_SECRETS, ...Object.values(CONNECTOR_SECRETS), DEFAULT_TOKEN]) expect(everything).not.toContain(secret);
    }
  });

  test("--project selects projects (each once); the program names the server's settings exactly", async () => {
    const out = join(work, "project-3");
    const run = await sdePulumi(
      ["export", "--url", emulator.url, "--project", "3", "--project", "3", "--out", out, "--name", "team-three"],
      ENV(),
    );
    expect(run.code).toBe(0);
    const index = readFileSync(join(out, "index.ts"), "utf8");
    expect([...index.matchAll(/new IssueTrackerConnection\("([^"]+)"/g)].map((m) => m[1])).toEqual(["p3-audit-jira", "p3-ops-jira"]);
    expect(index).toContain('issue_tracker_pass: config.requireSecret("p3-ops-jira.issue_tracker_pass"),');
    expect(readFileSync(join(out, "Pulumi.yaml"), "utf8")).toMatch(/^name: "team-three"\n/);
    // The package is not on the npm registry: the program depends on this very package by path.
    const spec: string = JSON.parse(readFileSync(join(out, "package.json"), "utf8")).dependencies["pulumi-sdelements"];
    expect(spec).toMatch(/^file:/);
    const target = resolve(out, spec.slice("file:".length));
    expect(target).toBe(PROJECT_ROOT);
    expect(JSON.parse(readFileSync(join(target, "package.json"), "utf8")).name).toBe("pulumi-sdelements");
  });

  test("--package names the dependency as given (a registry version, a tarball)", async () => {
    const out = join(work, "with-package");
    const run = await sdePulumi(
      ["export", "--url", emulator.url, "--project", "3", "--out", out, "--package", "https://npm.example.com/pulumi-sdelements-0.1.0.tgz"],
      ENV(),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "package.json"), "utf8")).dependencies["pulumi-sdelements"]).toBe(
      "https://npm.example.com/pulumi-sdelements-0.1.0.tgz",
    );
  });

  test("files already in the output directory are kept unless --force", async () => {
    const out = join(work, "existing");
    await sdePulumi(["export", "--url", emulator.url, "--all", "--out", out], ENV());
    writeFileSync(join(out, "index.ts"), "// someone's program\n");
    const refused = await sdePulumi(["export", "--url", emulator.url, "--all", "--out", out], ENV());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /already has index\.ts, Pulumi\.yaml, package\.json, tsconfig\.json, README\.md: pass --force to replace them, or choose another --out/,
    );
    expect(refused.stdout).toBe("");
    expect(readFileSync(join(out, "index.ts"), "utf8")).toBe("// someone's program\n");
    expect((await sdePulumi(["export", "--url", emulator.url, "--all", "--out", out, "--force"], ENV())).code).toBe(0);
    expect(readFileSync(join(out, "index.ts"), "utf8")).toMatch(/^\/\/ Generated by `sde-pulumi export`/);
  });

  test("a token without the edit permission, a wrong token, a bad URL, an unreachable server: exit 1, said plainly", async () => {
    const readOnly = await sdePulumi(["export", "--url", emulator.url, "--all", "--out", join(work, "ro")], {
      SDE_API_TOKEN: READ_ONLY_TOKEN,
    });
    expect(readOnly).toMatchObject({ code: 1, stdout: "" });
    expect(readOnly.stderr).toMatch(/came without its params: the API token lacks the 'Edit Issue Tracker connections' permission/);
    const wrong = await sdePulumi(["export", "--url", emulator.url, "--all", "--out", join(work, "wrong")], {
      SDE_API_TOKEN: "not-a-real-token",
    });
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.stderr).toMatch(/401.*The API token is wrong or expired: set SDE_API_TOKEN to a current token/);
    expect(wrong.stderr).not.toContain("not-a-real-token");
    const badUrl = await sdePulumi(["export", "--url", "ftp://sde.example.com", "--all"], ENV());
    // A bad --url is a command-line mistake (exit 2), named as the flag; one from SDE_URL is a setting.
    expect(badUrl).toMatchObject({ code: 2 });
    expect(badUrl.stderr).toMatch(/--url must be an http\(s\) URL .*not a ftp: URL/);
    const badEnvUrl = await sdePulumi(["export", "--all"], { ...ENV(), SDE_URL: "ftp://sde.example.com" });
    expect(badEnvUrl).toMatchObject({ code: 1 });
    expect(badEnvUrl.stderr).toMatch(/url \(--url, SDE_URL\): must be an http\(s\) URL/);
    const gone = await startEmulator();
    await gone.stop();
    const unreachable = await sdePulumi(["export", "--url", gone.url, "--all", "--out", join(work, "gone")], { ...ENV() });
    expect(unreachable).toMatchObject({ code: 1 });
    expect(unreachable.stderr).toMatch(/could not reach the server.*Check --url \(or SDE_URL\)/);
    // Every piece of advice names a setting the export reads, never the provider's stack config.
    for (const run of [readOnly, wrong, badEnvUrl, unreachable]) expect(run.stderr).not.toContain("sdelements:");
    expect(existsSync(join(work, "ro")) || existsSync(join(work, "wrong")) || existsSync(join(work, "gone"))).toBe(false);
  });
});
