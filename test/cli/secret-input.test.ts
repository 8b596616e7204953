import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { UsageError } from "../../src/cli/command-line";
import {
  isSecretOptionName,
  keyedSecretSource,
  readSecret,
  refuseSecretsOnCommandLine,
  secretSourceOf,
  type SecretIo,
  type SecretSource,
} from "../../src/cli/secret-input";

// Where the commands' secrets come from: never the command line. Every message is checked for the
// secret (and for what was meant to lead to it).
const SECRET = "Input-Canary-Secret-4e2";
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "secret-input-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Standard input as a pipe (or a terminal), and what was written as a prompt. */
function ioWith(env: NodeJS.ProcessEnv, terminal = false) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  const raw: boolean[] = [];
  if (terminal) {
    stdin.isTTY = true;
    stdin.setRawMode = (on: boolean) => raw.push(on);
  }
  let prompted = "";
  const io: SecretIo = { env, stdin, prompt: (text) => (prompted += text) };
  return { io, stdin, raw, prompted: () => prompted };
}

const failure = async (attempt: Promise<unknown>) => {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).not.toContain(SECRET);
  return (error as Error).message;
};

test("from an environment variable", async () => {
  await expect(readSecret({ from: "env", variable: "MY_SECRET" }, "--x-env", "the x", ioWith({ MY_SECRET: SECRET }).io)).resolves.toBe(
    SECRET,
  );
  expect(await failure(readSecret({ from: "env", variable: "MY_SECRET" }, "--x-env", "the x", ioWith({}).io))).toBe(
    "--x-env: the environment variable it names is not set: export it first (e.g. `read -rs VAR && export VAR`), or check its name",
  );
  expect(await failure(readSecret({ from: "env", variable: "MY_SECRET" }, "--x-env", "the x", ioWith({ MY_SECRET: "" }).io))).toBe(
    "--x-env: the environment variable it names is empty: export the x in it",
  );
});

test("from a file, without the line break that ends it", async () => {
  const file = join(dir, "secret");
  writeFileSync(file, `${SECRET}\r\n`);
  await expect(readSecret({ from: "file", path: file }, "--x-file", "the x", ioWith({}).io)).resolves.toBe(SECRET);
  // The path is not repeated: it may be a value typed where a path belongs.
  const missing = await failure(readSecret({ from: "file", path: join(dir, SECRET) }, "--x-file", "the x", ioWith({}).io));
  expect(missing).toBe("--x-file: cannot read the file (ENOENT): give the path of a readable file holding the x");
});

test("from a pipe: the first line, nothing shown", async () => {
  const { io, stdin, prompted } = ioWith({});
  const read = readSecret({ from: "stdin" }, "--x-stdin", "the x", io);
  stdin.write(`${SECRET}\nthe next line is not read\n`);
  await expect(read).resolves.toBe(SECRET);
  expect(prompted()).toBe("");
  // A pipe that ends without a line break gives what it held; one that ends empty is a mistake.
  const last = ioWith({});
  const unterminated = readSecret({ from: "stdin" }, "--x-stdin", "the x", last.io);
  last.stdin.end(SECRET);
  await expect(unterminated).resolves.toBe(SECRET);
  const empty = ioWith({});
  const nothing = readSecret({ from: "stdin" }, "--x-stdin", "the x", empty.io);
  empty.stdin.end();
  expect(await failure(nothing)).toMatch(/^--x-stdin: standard input ended before a line: pipe the secret in/);
});

test("at a terminal: a prompt, raw mode (no echo) while typing, backspace works, raw mode off after", async () => {
  const { io, stdin, raw, prompted } = ioWith({}, true);
  const read = readSecret({ from: "stdin" }, "--x-stdin", "the x", io);
  stdin.write(`${SECRET}Q\u007f`);
  stdin.write("\r");
  await expect(read).resolves.toBe(SECRET);
  expect(raw).toEqual([true, false]);
  expect(prompted()).toBe("the x (not shown): \n");
  const cancelled = ioWith({}, true);
  const interrupted = readSecret({ from: "stdin" }, "--x-stdin", "the x", cancelled.io);
  cancelled.stdin.write(`${SECRET}\u0003`);
  expect(await failure(interrupted)).toBe("--x-stdin: cancelled");
  expect(cancelled.raw).toEqual([true, false]);
});

test("the value itself on the command line is refused, without repeating it", () => {
  const refuse = (argv: string[]) => () => refuseSecretsOnCommandLine(argv, ["token-env"], "use --token-env VAR");
  for (const argv of [["--token", SECRET], [`--token=${SECRET}`]]) {
    expect(refuse(argv)).toThrow(UsageError);
    expect(refuse(argv)).toThrow(
      "--token would put a secret on the command line, where the process list, shell history and npm's debug log keep it: use --token-env VAR",
    );
  }
  expect(refuse(["--token-env", "VAR"])).not.toThrow();
  expect(refuse(["--", "--token"])).not.toThrow();
});

test.each([
  ["--api-token", [`--api-token`, SECRET]],
  ["--apiToken", [`--apiToken=${SECRET}`]],
  ["--password", ["--password", SECRET]],
  ["--pass", [`--pass=${SECRET}`]],
  ["--passwd", ["--passwd", SECRET]],
  ["--secret", [`--secret=KEY=${SECRET}`]],
  ["--client-secret", ["--client-secret", SECRET]],
  ["--api-key", [`--api-key=${SECRET}`]],
  ["--apikey", ["--apikey", SECRET]],
  ["--sde_api_token", ["--sde_api_token", SECRET]],
  ["--token", [`--token:${SECRET}`]],
])("any option whose name says it carries a secret is refused as such: %s, the value never shown", (flag, argv) => {
  const attempt = () =>
    refuseSecretsOnCommandLine(["--port", "0", ...argv], ["port", "token-file", "secret-env"], "give it with --token-file PATH");
  expect(attempt).toThrow(UsageError);
  expect(attempt).toThrow(
    `${flag} would put a secret on the command line, where the process list, shell history and npm's debug log keep it: give it with --token-file PATH`,
  );
  let message = "";
  try {
    attempt();
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).not.toContain(SECRET);
});

test("the rule is the params' own: whole words, and the command's own options are not refused", () => {
  for (const name of ["token", "api-token", "apiToken", "password", "pass", "secret", "api-key", "apikey", "private-key", "accessToken"])
    expect(isSecretOptionName(name)).toBe(true);
  for (const name of ["bypass", "passes", "port", "data", "compass", "stack-dir", "config"]) expect(isSecretOptionName(name)).toBe(false);
  // --bypass is not taken: it passes only because its name carries no secret.
  const takes = ["token-env", "token-file", "token-stdin", "token-read-only", "secret-env", "secret-file", "secret-stdin"];
  expect(() =>
    refuseSecretsOnCommandLine(
      [
        "--token-env",
        "T",
        "--token-file=f",
        "--token-stdin",
        "--token-read-only",
        "--secret-env",
        "k=V",
        "--secret-stdin",
        "k",
        "--bypass",
      ],
      takes,
      "-",
    ),
  ).not.toThrow();
});

test("the ways are named one at a time, and a value given where a name belongs is not repeated", () => {
  const source = (values: Record<string, unknown>): SecretSource | undefined => secretSourceOf(values, "token");
  expect(source({ "token-env": "CI_TOKEN" })).toEqual({ from: "env", variable: "CI_TOKEN" });
  expect(source({ "token-stdin": true })).toEqual({ from: "stdin" });
  expect(source({})).toBeUndefined();
  expect(() => source({ "token-env": "A", "token-file": "b" })).toThrow("--token-env and --token-file both give the token: give one");
  expect(() => source({ "token-env": "x y" })).toThrow(
    /^--token-env takes the name of an environment variable \(letters, digits and _\), not a value/,
  );
  expect(keyedSecretSource("jiraPassword=JIRA_PASSWORD", "env", "--secret-env")).toEqual({
    key: "jiraPassword",
    source: { from: "env", variable: "JIRA_PASSWORD" },
  });
  expect(() => keyedSecretSource(`jiraPassword=${SECRET}-with-dashes`, "env", "--secret-env")).toThrow(
    /^--secret-env jiraPassword takes the name of an environment variable/,
  );
  expect(() => keyedSecretSource(`${SECRET}`, "file", "--secret-file")).toThrow(
    "--secret-file takes KEY=PATH (the config key, then where its value is)",
  );
});
