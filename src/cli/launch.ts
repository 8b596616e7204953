import type { CommandIo, CommandMain } from "./command-io";

/** The process's own environment and standard streams. */
export function processIo(): CommandIo {
  return {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    terminal: process.stdout,
  };
}

/**
 * Runs a command as the process: its `main` with the process's arguments and streams, then exits with the
 * status it resolved with (1, with the error's message on stderr, if it threw). `name` prefixes that message.
 * The launchers (bin/*.js, and each command module run as `node lib/cli/....js`) are all that call this, so
 * importing a command module runs nothing.
 */
export function launch(main: CommandMain, name?: string): void {
  main(process.argv.slice(2), processIo()).then(exit, (error: unknown) => {
    process.stderr.write(`${name === undefined ? "" : `${name}: `}${error instanceof Error ? error.message : String(error)}\n`);
    exit(1);
  });
}

/**
 * Exits once stdout and stderr have taken everything written (they may be pipes): whatever else still holds
 * the event loop (a provider host's socket, a timer) does not keep the command running. Should a stream
 * never call back, the exit status is set, and the unref'd timer leaves at the latest after two seconds.
 */
function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
