import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { main as bench } from "../../src/cli/bench";
import { main as demo } from "../../src/cli/demo";
import { main as emulator } from "../../src/cli/emulator";
import { main as sdePulumi } from "../../src/cli/sde-pulumi";
import { runCommand } from "../support/command-io";

// Every command is a `main(argv, io)` that runs only when launched (its bin, or `node lib/cli/X.js`):
// importing it runs nothing, and a test can call it in-process with its own environment and streams.
const ROOT = resolve(__dirname, "..", "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

const COMMANDS = [
  ["sde-emulator", emulator, /^sde-emulator: unknown option --no-such-option: this command takes --port, .*\nusage: sde-emulator /],
  ["sde-pulumi", sdePulumi, /^sde-pulumi: unknown command "--no-such-option"\nusage: sde-pulumi /],
  ["the demo", demo, /^unknown option --no-such-option: this command takes --program, .*\nusage: npm run demo /],
  ["the bench", bench, /^unknown option --no-such-option: this command takes --scenario, .*\nusage: npm run bench /],
] as const;

test("requiring a command's compiled module runs nothing (the demo and the bench included)", () => {
  const modules = ["emulator", "sde-pulumi", "demo", "bench"].map((name) => join(ROOT, "lib", "cli", `${name}.js`));
  const run = spawnSync(process.execPath, ["-e", `for (const m of ${JSON.stringify(modules)}) console.log(typeof require(m).main)`], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: "function\n".repeat(4), stderr: "" });
});

describe.each(COMMANDS)("%s in-process", (_name, main, badUsage) => {
  test("--version and --help write to the io's stdout", async () => {
    expect(await runCommand(main, ["--version"])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    const help = await runCommand(main, ["--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^usage: /);
  });

  test("a bad command line: exit 2, the usage on the io's stderr, nothing on stdout", async () => {
    const run = await runCommand(main, ["--no-such-option"]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toMatch(badUsage);
  });
});

// A token pasted where a command or option belongs, or run into a secret-looking option, never reaches
// stderr (which CI keeps); each command says what it takes instead.
describe.each(COMMANDS)("%s with a secret on its command line", (_name, main) => {
  const TOKEN = "Pasted-Canary-Token-5e1";
  test.each([[[`--token=${TOKEN}`]], [[`--password=${TOKEN}`]], [[TOKEN]], [["--api-token", TOKEN]]])(
    "%j: exit 2, the value not shown",
    async (argv) => {
      const run = await runCommand(main, argv);
      expect(run).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr).not.toContain("Canary");
    },
  );
});

test("the bench refuses a secret-looking option by name: it takes no secret", async () => {
  const run = await runCommand(bench, ["--password", "hunter2-canary"]);
  expect(run).toMatchObject({ code: 2, stdout: "" });
  expect(run.stderr).toMatch(/^--password would put a secret on the command line, .*the bench takes no secret/);
  expect(run.stderr).not.toContain("hunter2");
});

test("the demo reads secrets from the io's environment and standard input, before anything starts", async () => {
  const secret = "Entry-Canary-Secret-8c";
  const unset = await runCommand(demo, ["--program", "no-such-program", "--secret-env", "jiraPassword=JIRA_PASSWORD"]);
  expect(unset.code).toBe(2);
  expect(unset.stderr).toMatch(/^--secret-env jiraPassword: the environment variable it names is not set/);
  // Read from the io's environment and stdin: then the next check (the program's directory) fails.
  const read = await runCommand(
    demo,
    ["--program", "no-such-program", "--secret-env", "jiraPassword=JIRA_PASSWORD", "--secret-stdin", "rallyPassword"],
    { JIRA_PASSWORD: secret },
    `${secret}\n`,
  );
  expect(read).toMatchObject({ code: 2, stdout: "" });
  expect(read.stderr).toMatch(/^--program no-such-program: no such directory/);
  const ended = await runCommand(demo, ["--secret-stdin", "rallyPassword"], {}, "");
  expect(ended.code).toBe(2);
  expect(ended.stderr).toMatch(/^--secret-stdin rallyPassword: standard input ended before a line/);
  for (const run of [unset, read, ended]) expect(run.stdout + run.stderr).not.toContain(secret);
});

test("the emulator reads its token from the io's environment and standard input, and checks it before starting", async () => {
  const unset = await runCommand(emulator, ["--token-env", "CI_TOKEN"]);
  expect(unset.code).toBe(2);
  expect(unset.stderr).toMatch(/^sde-emulator: --token-env: the environment variable it names is not set/);
  const spaced = await runCommand(emulator, ["--token-stdin"], {}, "two words\n");
  expect(spaced).toMatchObject({ code: 2, stdout: "" });
  expect(spaced.stderr).toMatch(/^sde-emulator: --token-stdin: the token must be 1 to 512 characters of plain ASCII, without spaces\n/);
});
