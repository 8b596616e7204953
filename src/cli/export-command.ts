import { relative, resolve, sep } from "node:path";
import { SdeClient } from "../client/client";
import { isSdeApiError } from "../client/errors";
import { configSetSecretCommand } from "../export/config-commands";
import { ExportError } from "../export/export-error";
import { exportConnections, exportFileNames } from "../export/export-connections";
import { checkOutputDirectory, writeOutputFiles } from "../export/output-files";
import { PACKAGE_ROOT } from "../package-manifest";
import { listProgress } from "../export/read-connections";
import { UsageError } from "./command-line";
import { EXPORT_HELP, EXPORT_USAGE, parseExportArgs, type ExportArgs } from "./export-args";

/** Where a command reads its environment and writes its output (the process's, or a test's). */
export interface CommandIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `sde-pulumi export`: reads the connections, writes the program or catalogue, prints the config commands
 * on stdout and everything else on stderr. Resolves with the exit status: 0 done, 1 failed, 2 bad usage.
 */
export async function runExport(argv: readonly string[], io: CommandIo): Promise<number> {
  const say = (line: string) => io.stderr(`sde-pulumi: ${line}\n`);
  let args: ExportArgs;
  try {
    args = parseExportArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`sde-pulumi export: ${error.message}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(EXPORT_HELP);
    return 0;
  }
  const url = args.url ?? io.env.SDE_URL;
  if (url === undefined || url.trim() === "") {
    io.stderr(`sde-pulumi export: no server: pass --url https://sde.example.com or set SDE_URL\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const token = io.env.SDE_API_TOKEN;
  if (token === undefined || token.trim() === "") {
    io.stderr(
      "sde-pulumi export: SDE_API_TOKEN is not set: set it to an SD Elements API token with the 'Edit Issue Tracker connections' permission (SD Elements → your name → API Settings), e.g. `read -s SDE_API_TOKEN && export SDE_API_TOKEN`\n",
    );
    return 1;
  }
  let client: SdeClient | undefined;
  try {
    // Before reading anything: a large export must not fail only when it comes to writing.
    checkOutputDirectory(resolve(args.out), exportFileNames(args.format), { force: args.force });
    client = new SdeClient({ url, token, logger: listProgress(say) }, io.env);
    const { plan, files } = await exportConnections({
      client,
      server: url.trim(),
      selection: args.selection,
      format: args.format,
      project: args.name,
      packageSpec: args.packageSpec ?? localPackageSpec(resolve(args.out)),
      report: say,
    });
    const dir = resolve(args.out);
    writeOutputFiles(dir, files, { force: args.force });
    for (const problem of plan.problems) say(`warning: ${problem}`);
    say(`wrote ${plan.connections.length} connection${plan.connections.length === 1 ? "" : "s"} to ${dir} (${files.map((f) => f.name).join(", ")})`);
    if (plan.secrets.length > 0) {
      say(`${plan.secrets.length} credential${plan.secrets.length === 1 ? "" : "s"} to set as config secrets: run the commands on stdout (each asks for its value)`);
    }
    for (const secret of plan.secrets) io.stdout(`${configSetSecretCommand(secret)}\n`);
    return 0;
  } catch (error) {
    // Client errors are redacted of the token and credentials; export errors never hold either.
    if (isSdeApiError(error) || error instanceof ExportError) {
      io.stderr(`sde-pulumi export: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await client?.close();
  }
}

/**
 * This package as a `file:` dependency of a program in `dir`: the package is not on the npm registry, so
 * a version range would not install. Relative, so the two can move together (a repository holding both).
 */
export function localPackageSpec(dir: string): string {
  return `file:${relative(dir, PACKAGE_ROOT).split(sep).join("/") || "."}`;
}
