import "./supported-node";
import { packageManifest } from "../package-manifest";
import type { CommandIo } from "./command-io";
import { runExport } from "./export-command";
import { launch } from "./launch";

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
  io.stderr(`sde-pulumi: ${command === undefined ? "name a command" : `unknown command ${shownCommand(command)}`}\n${USAGE}\n`);
  return 2;
}

/**
 * An unknown command as it may be shown: a word of lower-case letters and dashes (or such an --option),
 * as commands are spelt; anything else (a token pasted first, `--token=…`) is not shown, for it may be
 * the secret, and stderr lands in CI logs.
 */
function shownCommand(command: string): string {
  return /^(--?)?[a-z][a-z-]{0,39}$/.test(command) ? JSON.stringify(command) : "(not shown, in case it holds a secret)";
}

// bin/sde-pulumi.js launches it too.
if (require.main === module) launch(main, "sde-pulumi");
