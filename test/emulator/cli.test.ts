import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_SEED, DEFAULT_TOKEN, READ_ONLY_TOKEN } from "../../src/emulator";
import { buildCli, spawnCli as spawnScript } from "./cli-process";

let dir: string;
let cli: ReturnType<typeof buildCli>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sde-emulator-cli-"));
  cli = buildCli();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cli.cleanup();
});
const spawnCli = (args: readonly string[], more: { env?: NodeJS.ProcessEnv; input?: string } = {}) => spawnScript(cli.script, args, more);

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Token ${token}` } });

describe("sde-emulator", () => {
  test("prints exactly one line when ready, serves, and exits 0 on SIGTERM", async () => {
    const proc = spawnCli(["--port", "0"]);
    const url = await proc.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${url}/api/v2/connections/issue-tracker/`, DEFAULT_TOKEN);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(1);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).toBe(`SD Elements emulator listening on ${url}\n`);
    expect(proc.stderr()).toBe("");
  });

  test("exits 0 on SIGINT", async () => {
    const proc = spawnCli([]);
    await proc.ready;
    proc.child.kill("SIGINT");
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stdout().split("\n")).toHaveLength(2); // one line and its newline
  });

  test("--help prints usage, defaults and the seeded tokens, and exits 0", async () => {
    const proc = spawnCli(["--help"]);
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const help = proc.stdout();
    expect(help).toMatch(/^usage: sde-emulator /);
    for (const text of [
      "--port",
      "--host",
      "--data",
      "--seed",
      "127.0.0.1",
      "default 0",
      DEFAULT_TOKEN,
      READ_ONLY_TOKEN,
      "--token-env VAR",
      "--token-file PATH",
      "--token-stdin",
      "--token-read-only",
      "--control-token-env VAR",
      "--control-token-file PATH",
      "--control-token-stdin",
      "--no-advanced-issue-tracker",
      "--inaccessible-connector ID",
      // An example of each mode.
      "sde-emulator --token-file token.txt --token-read-only",
      "sde-emulator --no-advanced-issue-tracker",
      "sde-emulator --inaccessible-connector 1",
    ]) {
      expect(help).toContain(text);
    }
    expect(proc.stderr()).toBe("");
  });

  // Each with a data file to write: a refused command line writes nothing. Secrets given are canaries,
  // never repeated.
  test.each<[string, string[], RegExp, { env?: NodeJS.ProcessEnv; input?: string }?]>([
    ["an unknown option", ["--nope"], /^unknown option --nope: this command takes --port, --host, --token-env, .* and --version$/],
    ["a misspelt option", ["--prot", "1"], /^unknown option --prot \(did you mean --port\?\): this command takes --port, /],
    ["a positional argument", ["serve"], /^unexpected argument \(not shown, in case it is a secret\): this command takes only --options$/],
    ["a port that is not a number", ["--port", "http"], /^--port must be a number from 0 to 65535, not "http"$/],
    ["a port out of range", ["--port", "70000"], /^--port must be a number from 0 to 65535, not "70000"$/],
    ["an option without its value", ["--seed"], /^--seed takes a value: give --seed VALUE \(--seed=VALUE for one that starts with -\)$/],
    ["a flag given a value", ["--token-read-only=yes"], /^--token-read-only takes no value: give --token-read-only alone$/],
    [
      "a token with a space",
      ["--token-env", "T"],
      /^--token-env: the token must be 1 to 512 characters of plain ASCII, without spaces$/,
      { env: { T: "Cli-Canary two words" } },
    ],
    ["a token with a quote", ["--token-stdin"], /^--token-stdin: the token must not contain quotes$/, { input: "Cli-Canary-it's\n" }],
    [
      "a control token no header can carry",
      ["--control-token-env", "T"],
      /^--control-token-env: the control-token must be 1 to 512 characters of plain ASCII, without spaces$/,
      { env: { T: "Cli-Canary-contrôle" } },
    ],
    [
      "a token from a variable that is not set",
      ["--token-env", "NOT_SET_ANYWHERE"],
      /^--token-env: the environment variable it names is not set: export it first \(e\.g\. `read -rs VAR && export VAR`\), or check its name$/,
    ],
    ["an empty token file", ["--token-file", "/dev/null"], /^--token-file: the file is empty: write the token in it \(one line\)$/],
    [
      "no line on standard input",
      ["--token-stdin"],
      /^--token-stdin: standard input ended before a line: pipe the secret in \(e\.g\. `printf '%s\\n' "\$VAR" \| \.\.\.`\) or run it at a terminal to be asked$/,
      { input: "" },
    ],
    [
      "two ways for one token",
      ["--token-env", "T", "--token-stdin"],
      /^--token-env and --token-stdin both give the token: give one$/,
      { env: { T: "Cli-Canary-t" } },
    ],
    [
      "both tokens from standard input",
      ["--token-stdin", "--control-token-stdin"],
      /^--token-stdin and --control-token-stdin both read standard input, which holds one value: give one of them with -env or -file$/,
      { input: "Cli-Canary-a\nCli-Canary-b\n" },
    ],
    [
      "a read-only token without a token",
      ["--token-read-only"],
      /^--token-read-only applies to the token given with --token-env, --token-file or --token-stdin: give it with --token-env VAR .*\(or use the seeded /,
    ],
    [
      "a connector id that is not one",
      ["--inaccessible-connector", "jira"],
      /^--inaccessible-connector takes a connector id \(a positive whole number\), not "jira"$/,
    ],
  ])("%s: exit 2, the flag and the fix on stderr with the usage line, no data file written", async (name, args, message, more = {}) => {
    const data = join(dir, `refused-${name.replace(/\W+/g, "-")}.json`);
    const proc = spawnCli(["--data", data, ...args], more);
    expect((await proc.exited).code).toBe(2);
    expect(proc.stdout()).toBe("");
    const lines = proc.stderr().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^sde-emulator: /);
    expect(lines[0]!.slice("sde-emulator: ".length)).toMatch(message);
    expect(lines[1]).toMatch(/^usage: sde-emulator /);
    expect(proc.stderr()).not.toContain("Cli-Canary");
    expect(proc.stderr()).not.toContain("serve");
    expect(existsSync(data)).toBe(false);
  });

  test("a seed with a bad field: exit 1 with one line naming the field", async () => {
    const seedFile = join(dir, "bad-seed.json");
    const seed = structuredClone(DEFAULT_SEED) as { connections: { connector: number }[] };
    seed.connections[0]!.connector = 42;
    writeFileSync(seedFile, JSON.stringify(seed));
    const proc = spawnCli(["--seed", seedFile]);
    expect((await proc.exited).code).toBe(1);
    expect(proc.stdout()).toBe("");
    const lines = proc.stderr().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sde-emulator: seed file .*connections\.0\.connector/);
    expect(lines[0]).toContain(seedFile);
  });

  test("a seed file that is not JSON, or missing: exit 1 with one line naming the file", async () => {
    const seedFile = join(dir, "not-json.json");
    writeFileSync(seedFile, "connections: []");
    for (const file of [seedFile, join(dir, "missing.json")]) {
      const proc = spawnCli(["--seed", file]);
      expect((await proc.exited).code).toBe(1);
      expect(proc.stderr().trimEnd().split("\n")).toEqual([expect.stringContaining(file)]);
    }
  });

  test("a port in use: exit 1 with one clear line", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    try {
      const { port } = blocker.address() as AddressInfo;
      const proc = spawnCli(["--port", String(port)]);
      expect((await proc.exited).code).toBe(1);
      expect(proc.stdout()).toBe("");
      expect(proc.stderr()).toBe(`sde-emulator: cannot listen on 127.0.0.1:${port}: the address is already in use\n`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  test.each([
    [
      "--token",
      ["--token", "Cli-Canary-Token-91x"],
      /^sde-emulator: --token would put a secret on the command line.*: give the token with --token-env VAR \(an environment variable\), --token-file PATH or --token-stdin/,
    ],
    ["--token=", ["--token=Cli-Canary-Token-91x"], /^sde-emulator: --token would put a secret on the command line/],
    ["--api-token", ["--api-token", "Cli-Canary-Token-91x"], /^sde-emulator: --api-token would put a secret on the command line/],
    ["--apiToken=", ["--apiToken=Cli-Canary-Token-91x"], /^sde-emulator: --apiToken would put a secret on the command line/],
    ["--password", ["--password", "Cli-Canary-Token-91x"], /^sde-emulator: --password would put a secret on the command line/],
    ["--secret=", ["--secret=Cli-Canary-Token-91x"], /^sde-emulator: --secret would put a secret on the command line/],
    [
      "--control-token",
      ["--control-token", "Cli-Canary-Token-91x"],
      /^sde-emulator: --control-token would put a secret on the command line.*--control-token-env VAR/,
    ],
  ])("a token on the command line (%s) is refused, naming the ways to give it, without repeating it", async (_name, args, expected) => {
    const data = join(dir, "secret-flag.json");
    const proc = spawnCli(["--data", data, ...args]);
    expect((await proc.exited).code).toBe(2);
    expect(proc.stdout()).toBe("");
    expect(proc.stderr()).toMatch(expected);
    // Whatever the spelling, both ways this command takes a secret.
    expect(proc.stderr()).toContain(
      ": give the token with --token-env VAR (an environment variable), --token-file PATH or --token-stdin (a prompt, or one line from a pipe); the control token with --control-token-env VAR (an environment variable), --control-token-file PATH or --control-token-stdin",
    );
    expect(proc.stderr()).not.toContain("Cli-Canary-Token-91x");
    expect(existsSync(data)).toBe(false);
  });

  test("--seed, a token from the environment and a control token from a file", async () => {
    const seedFile = join(dir, "seed.json");
    const seed = structuredClone(DEFAULT_SEED) as { connections: { alias: string }[] };
    seed.connections[0]!.alias = "From my seed";
    writeFileSync(seedFile, JSON.stringify(seed));
    const controlFile = join(dir, "control-token");
    writeFileSync(controlFile, "ctl\n", { mode: 0o600 });
    const proc = spawnCli(["--seed", seedFile, "--token-env", "MY_CI_TOKEN", "--control-token-file", controlFile], {
      env: { MY_CI_TOKEN: "ci-token" },
    });
    const url = await proc.ready;
    try {
      const res = await get(`${url}/api/v2/connections/issue-tracker/1/`, "ci-token");
      expect(res.status).toBe(200);
      expect(((await res.json()) as { alias: string; params?: unknown }).alias).toBe("From my seed");
      expect((await get(`${url}/_emulator/requests/`, "ctl")).status).toBe(200);
      expect((await get(`${url}/_emulator/requests/`, "ci-token")).status).toBe(404);
    } finally {
      proc.child.kill("SIGTERM");
      expect((await proc.exited).code).toBe(0);
    }
  });

  test("no token given through the environment, a file or standard input is printed, or written to the data file", async () => {
    const data = join(dir, "leak-check.json");
    const tokenFile = join(dir, "leak-token");
    writeFileSync(tokenFile, "Cli-Canary-File-Token-5b\n", { mode: 0o600 });
    const runs = [
      spawnCli(["--data", data, "--token-file", tokenFile, "--control-token-env", "CTL"], { env: { CTL: "Cli-Canary-Control-7c" } }),
    ];
    const url = await runs[0]!.ready;
    expect((await get(`${url}/api/v2/connections/issue-tracker/`, "Cli-Canary-File-Token-5b")).status).toBe(200);
    runs[0]!.child.kill("SIGTERM");
    await runs[0]!.exited;
    // A second start on the same data file, the token piped in.
    runs.push(spawnCli(["--data", data, "--token-stdin"], { input: "Cli-Canary-Stdin-Token-3d\n" }));
    const again = await runs[1]!.ready;
    expect((await get(`${again}/api/v2/connections/issue-tracker/`, "Cli-Canary-Stdin-Token-3d")).status).toBe(200);
    runs[1]!.child.kill("SIGTERM");
    await runs[1]!.exited;
    const everything = [...runs.flatMap((r) => [r.stdout(), r.stderr()]), readFileSync(data, "utf8")].join("\n");
    for (const token of ["Cli-Canary-File-Token-5b", "Cli-Canary-Control-7c", "Cli-Canary-Stdin-Token-3d"])
      expect(everything).not.toContain(token);
    expect(runs.map((r) => r.stdout())).toEqual([
      `SD Elements emulator listening on ${url}\n`,
      `SD Elements emulator listening on ${again}\n`,
    ]);
  });

  describe("modes of the organisation, each a flag", () => {
    const send = (url: string, method: string, path: string, token: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Token ${token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const connection = (frequency: string) => ({
      alias: `Mode ${frequency}`,
      connector: 1,
      project: 3,
      frequency,
      params: { issue_tracker_project: "Example Project" },
    });
    const run = async (args: string[], more: { env?: NodeJS.ProcessEnv; input?: string }, check: (url: string) => Promise<void>) => {
      const proc = spawnCli(args, more);
      const url = await proc.ready;
      try {
        await check(url);
      } finally {
        proc.child.kill("SIGTERM");
        expect((await proc.exited).code).toBe(0);
      }
    };

    test("--no-advanced-issue-tracker: every frequency but manually is refused, naming frequency", () =>
      run(["--no-advanced-issue-tracker"], {}, async (url) => {
        const daily = await send(url, "POST", "/api/v2/connections/issue-tracker/", DEFAULT_TOKEN, connection("daily"));
        expect(daily.status).toBe(400);
        expect(Object.keys((await daily.json()) as object)).toEqual(["frequency"]);
        expect((await send(url, "POST", "/api/v2/connections/issue-tracker/", DEFAULT_TOKEN, connection("manually"))).status).toBe(201);
      }));

    test("--inaccessible-connector 1: the connector is remote, so manually is refused on it", () =>
      run(["--inaccessible-connector", "1"], {}, async (url) => {
        const connector = (await (await send(url, "GET", "/api/v2/connectors/issue-tracker/1/", DEFAULT_TOKEN)).json()) as {
          inaccessible: boolean;
        };
        expect(connector.inaccessible).toBe(true);
        const manual = await send(url, "POST", "/api/v2/connections/issue-tracker/", DEFAULT_TOKEN, connection("manually"));
        expect(manual.status).toBe(400);
        expect(JSON.stringify(await manual.json())).toMatch(/"frequency":\[".*inaccessible \(remote\) connector/);
        expect((await send(url, "POST", "/api/v2/connections/issue-tracker/", DEFAULT_TOKEN, connection("daily"))).status).toBe(201);
      }));

    test("--token-read-only: the given token sees no params and may not write", () =>
      run(["--token-stdin", "--token-read-only"], { input: "my-read-only-token\n" }, async (url) => {
        const one = (await (await send(url, "GET", "/api/v2/connections/issue-tracker/1/", "my-read-only-token")).json()) as Record<
          string,
          unknown
        >;
        expect(one.alias).toBe("Rally Integration");
        expect(one).not.toHaveProperty("params");
        expect((await send(url, "POST", "/api/v2/connections/issue-tracker/", "my-read-only-token", connection("manually"))).status).toBe(
          403,
        );
      }));

    test("a connector that is not in the seed: exit 1, naming it", async () => {
      const proc = spawnCli(["--inaccessible-connector", "9"]);
      expect((await proc.exited).code).toBe(1);
      expect(proc.stderr()).toBe(
        "sde-emulator: inaccessibleConnectors (--inaccessible-connector): there is no connector 9: use one of 1, 2, 3\n",
      );
    });
  });

  // bin/sde-emulator.js runs the compiled CLI, which `npm ci` (prepare) and the test setup build into lib/.
  test("bin/sde-emulator.js runs the compiled CLI", async () => {
    const bin = spawnScript(resolve(__dirname, "../../bin/sde-emulator.js"), ["--help"]);
    expect(await bin.exited).toEqual({ code: 0, signal: null });
    expect(bin.stdout()).toMatch(/^usage: sde-emulator /);
  });
});
