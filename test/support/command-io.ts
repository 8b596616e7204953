import { Readable } from "node:stream";
import type { CommandIo, CommandMain } from "../../src/cli/command-io";

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A command's `main` in the test's own process: exactly `env` as its environment, `input` on its standard
 * input (a pipe that ends at once without it), and what it wrote to stdout and stderr.
 */
export async function runCommand(
  main: CommandMain,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<CommandRun> {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: Readable.from(input === undefined ? [] : [input]),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
