import { readFileSync } from "node:fs";
import { isSecretParamKey } from "../schema/secrets";
import { UsageError } from "./command-line";

/**
 * Secrets for this package's commands (the demo's config secrets, the emulator's tokens, the exporter's
 * API token) come from an environment variable, a file or standard input, never from the command line:
 * the process list shows every argument to every user of the machine, shells keep them in their history,
 * and `npm run` writes them into its debug log on disk. Standard input works as `pulumi config set
 * --secret` does: a prompt that does not echo on a terminal, one line from a pipe.
 *
 * Nothing here ever repeats a secret, nor the variable name or path that was meant to lead to it (a value
 * typed where a name belongs would be shown otherwise): errors name the option and the fix.
 */
export type SecretSource = { from: "env"; variable: string } | { from: "file"; path: string } | { from: "stdin" };

/** What reading a secret needs: the environment, standard input and where a prompt goes. */
export interface SecretIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Where the terminal prompt goes (stderr: stdout may be a pipe the caller reads). */
  prompt(text: string): void;
}

/** Longest secret line read from standard input: a token or password, not a file piped by mistake. */
const MAX_STDIN_LINE = 64 * 1024;

/** The three ways to give the secret an option stands for: `--token-env VAR`, `--token-file PATH`, `--token-stdin`. */
export function secretWays(option: string, key?: string): string {
  return key === undefined
    ? `--${option}-env VAR (an environment variable), --${option}-file PATH or --${option}-stdin (a prompt, or one line from a pipe)`
    : `--${option}-env ${key}=VAR (an environment variable), --${option}-file ${key}=PATH or --${option}-stdin ${key} (a prompt, or one line from a pipe)`;
}

/**
 * Whether an option's name says it carries a secret: by the rule that tells a credential param by its key
 * (isSecretParamKey), so the commands and the params agree on what a secret is called. A word pass,
 * passwd, password, passphrase, token, secret, credential(s) or apikey, or an API/private/access key, in
 * any spelling: `--token`, `--api-token`, `--apiToken`, `--password`, `--pass`, `--client-secret`,
 * `--api-key`, `--sde-api-token`. `--bypass` and `--passes` are not (whole words only).
 */
export function isSecretOptionName(name: string): boolean {
  return isSecretParamKey(name);
}

/**
 * Refuses, before anything parses the command line, every option whose name says it carries a secret
 * (isSecretOptionName) and that this command does not take (`takes`: its parseArgs option names, such as
 * `token-file`), as `--NAME VALUE` or `--NAME=VALUE`. Refused before parsing so that the value is in no
 * message; the message names the option and `instead`, the ways this command does take its secrets.
 * Without it, `--password hunter2` would be an unknown option with no word of where a secret goes.
 */
export function refuseSecretsOnCommandLine(argv: readonly string[], takes: readonly string[], instead: string): void {
  for (const arg of argv) {
    if (arg === "--") return;
    if (!arg.startsWith("--")) continue;
    // The name only: what follows it (`=VALUE`, or `:VALUE` typed by mistake) may be the secret.
    const name = /^[A-Za-z0-9_-]*/.exec(arg.slice(2))![0];
    if (takes.includes(name) || !isSecretOptionName(name)) continue;
    throw new UsageError(
      `--${name} would put a secret on the command line, where the process list, shell history and npm's debug log keep it: ${instead}`,
    );
  }
}

/** The node:util parseArgs options for one secret: `--NAME-env VAR`, `--NAME-file PATH`, `--NAME-stdin`. */
export function secretOptions<N extends string>(name: N) {
  return {
    [`${name}-env`]: { type: "string" },
    [`${name}-file`]: { type: "string" },
    [`${name}-stdin`]: { type: "boolean" },
  } as Record<`${N}-env` | `${N}-file`, { type: "string" }> & Record<`${N}-stdin`, { type: "boolean" }>;
}

/** Where the one secret `name` comes from, if the command line names a way; two ways at once are a mistake. */
export function secretSourceOf(values: Readonly<Record<string, unknown>>, name: string): SecretSource | undefined {
  const env = values[`${name}-env`];
  const file = values[`${name}-file`];
  const stdin = values[`${name}-stdin`] === true;
  const given = [env !== undefined && `--${name}-env`, file !== undefined && `--${name}-file`, stdin && `--${name}-stdin`].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} both give the ${name}: give one`);
  if (typeof env === "string") return { from: "env", variable: checkedVariable(env, `--${name}-env`) };
  if (typeof file === "string") return { from: "file", path: checkedPath(file, `--${name}-file`) };
  return stdin ? { from: "stdin" } : undefined;
}

/** `KEY=VAR` of `--secret-env` and `KEY=PATH` of `--secret-file`: the key, and where its value is. */
export function keyedSecretSource(pair: string, option: "env" | "file", flag: string): { key: string; source: SecretSource } {
  const at = pair.indexOf("=");
  // The pair is not repeated: a KEY=VALUE typed here by habit would carry the secret.
  if (at <= 0 || at === pair.length - 1)
    throw new UsageError(`${flag} takes KEY=${option === "env" ? "VAR" : "PATH"} (the config key, then where its value is)`);
  const key = pair.slice(0, at);
  const where = pair.slice(at + 1);
  return option === "env"
    ? { key, source: { from: "env", variable: checkedVariable(where, `${flag} ${key}`) } }
    : { key, source: { from: "file", path: checkedPath(where, `${flag} ${key}`) } };
}

function checkedVariable(name: string, flag: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(
      `${flag} takes the name of an environment variable (letters, digits and _), not a value: export the secret in a variable and name it here`,
    );
  }
  return name;
}

function checkedPath(path: string, flag: string): string {
  if (path.trim() === "") throw new UsageError(`${flag} takes the path of a file holding the secret`);
  return path;
}

/**
 * Reads a secret. `what` names it in messages and the prompt (`--secret-file jiraPassword`,
 * `the API token`); a secret that cannot be read, or is empty, is a UsageError naming `flag`.
 */
export async function readSecret(source: SecretSource, flag: string, what: string, io: SecretIo): Promise<string> {
  let value: string;
  if (source.from === "env") {
    const found = io.env[source.variable];
    if (found === undefined) {
      throw new UsageError(
        `${flag}: the environment variable it names is not set: export it first (e.g. \`read -rs VAR && export VAR\`), or check its name`,
      );
    }
    value = found;
  } else if (source.from === "file") {
    try {
      value = readFileSync(source.path, "utf8");
    } catch (error) {
      throw new UsageError(
        `${flag}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): give the path of a readable file holding ${what}`,
      );
    }
    // Editors and `echo` end a file with a line break; it is not part of the secret.
    value = value.replace(/\r?\n$/, "");
  } else {
    value = await readStdinLine(`${what} (not shown): `, flag, io);
  }
  if (value === "") {
    const fix =
      source.from === "env"
        ? `the environment variable it names is empty: export ${what} in it`
        : source.from === "file"
          ? `the file is empty: write ${what} in it (one line)`
          : `the line read is empty: type or pipe ${what}`;
    throw new UsageError(`${flag}: ${fix}`);
  }
  return value;
}

/**
 * One line of standard input: typed at a prompt that does not echo when it is a terminal, else the first
 * line of the pipe (a pipe that ends without a line break gives what it held).
 */
async function readStdinLine(prompt: string, flag: string, io: SecretIo): Promise<string> {
  const stdin = io.stdin;
  const terminal = stdin.isTTY === true && typeof stdin.setRawMode === "function";
  if (terminal) io.prompt(prompt);
  stdin.setEncoding("utf8");
  return new Promise<string>((resolve, reject) => {
    let line = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onError);
      if (terminal) {
        stdin.setRawMode!(false);
        io.prompt("\n");
      }
      stdin.pause();
      // Nothing else reads it: a stream left open would keep the process alive.
      (stdin as { destroy?: () => void }).destroy?.();
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === "\n" || (terminal && ch === "\r")) return finish();
        if (terminal && ch === "\u0003") return finish(new UsageError(`${flag}: cancelled`));
        if (terminal && ch === "\u0004") return finish(line === "" ? new UsageError(`${flag}: no value typed`) : undefined);
        if (terminal && (ch === "\u007f" || ch === "\b")) {
          line = [...line].slice(0, -1).join("");
          continue;
        }
        line += ch;
        if (line.length > MAX_STDIN_LINE)
          return finish(
            new UsageError(
              `${flag}: the line on standard input is longer than ${MAX_STDIN_LINE} characters: give the secret alone, on one line`,
            ),
          );
      }
    };
    const onEnd = () => {
      if (line === "")
        finish(
          new UsageError(
            `${flag}: standard input ended before a line: pipe the secret in (e.g. \`printf '%s\\n' "$VAR" | ...\`) or run it at a terminal to be asked`,
          ),
        );
      else finish();
    };
    const onError = (error: Error) =>
      finish(new UsageError(`${flag}: cannot read standard input (${(error as NodeJS.ErrnoException).code ?? error.name})`));
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.on("error", onError);
    if (terminal) stdin.setRawMode!(true);
    stdin.resume();
  }).then((read) => read.replace(/\r$/, ""));
}
