import "./supported-node";
import { packageManifest } from "../package-manifest";
import { runExport, type CommandIo } from "./export-command";

/**
 * `sde-pulumi`: the package's command for Pulumi users. One command so far, `export`, which writes a
 * program adopting existing connections (see export-command.ts).
 */

export const USAGE = "usage: sde-pulumi export [options]   (sde-pulumi export --help for the options)";

const HELP = `${USAGE}

Commands:
  export   write a Pulumi program (or YAML catalogue) that adopts existing Issue Tracker Connections
           with zero changes; credentials become config secrets

Options:
  --version   print the version
  --help      show this help
`;

/** Runs the command line; resolves with the exit status (2 for a bad command line). */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "export") return runExport(rest, io);
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(HELP);
    return 0;
  }
  if (command === "--version") {
    io.stdout(`${packageManifest().version}\n`);
    return 0;
  }
  io.stderr(`sde-pulumi: ${command === undefined ? "name a command" : `unknown command ${JSON.stringify(command)}`}\n${USAGE}\n`);
  return 2;
}

/** Entry point of bin/sde-pulumi.js (and of `node lib/cli/sde-pulumi.js`). */
export function run(): void {
  const io: CommandIo = {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  const exit = (code: number) => {
    // Let stdout/stderr drain (they may be pipes) before leaving.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2000).unref();
  };
  main(process.argv.slice(2), io).then(exit, (error: unknown) => {
    process.stderr.write(`sde-pulumi: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(1);
  });
}

if (require.main === module) run();
