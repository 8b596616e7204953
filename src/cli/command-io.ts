import type { SecretIo } from "./secret-input";

/**
 * Where a command reads its environment and input and writes its output: the process's (src/cli/launch.ts),
 * or a test's, which calls the command's `main(argv, io)` in its own process.
 */
export interface CommandIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, for a secret read from it (default: the process's). */
  stdin?: SecretIo["stdin"];
  /** What stdout is, when it may be a terminal (colour, a progress line rewritten in place); default: not one. */
  terminal?: { readonly isTTY?: boolean; readonly columns?: number };
}

/** A command's entry point: resolves with its exit status. */
export type CommandMain = (argv: readonly string[], io: CommandIo) => Promise<number>;

/** What reading a secret needs, from the command's io: a prompt goes to stderr (stdout may be a pipe the caller reads). */
export function secretIoOf(io: CommandIo): SecretIo {
  return { env: io.env, stdin: io.stdin ?? process.stdin, prompt: io.stderr };
}
