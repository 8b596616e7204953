import { resolve } from "node:path";
import { SdeClient } from "../client/client";
import { isSdeApiError } from "../client/errors";
import { configSetSecretCommand } from "../export/config-commands";
import { ExportError } from "../export/export-error";
import { exportConnections, exportFileNames } from "../export/export-connections";
import { checkOutputDirectory, writeOutputFiles } from "../export/output-files";
import { defaultPackageSpec } from "../export/package-spec";
import { listProgress } from "../export/read-connections";
import { UsageError } from "./command-line";
import { EXPORT_HELP, EXPORT_USAGE, parseExportArgs, type ExportArgs } from "./export-args";
import { secretIoOf, type CommandIo } from "./command-io";
import { readSecret } from "./secret-input";
import { EDIT_PERMISSION, SKIP_TEST } from "../client/messages";

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
  let token: string | undefined;
  try {
    const source = args.token;
    token =
      source === undefined ? io.env.SDE_API_TOKEN : await readSecret(source, `--token-${source.from}`, "the API token", secretIoOf(io));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`sde-pulumi export: ${error.message}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  if (token === undefined || token.trim() === "") {
    io.stderr(
      `sde-pulumi export: SDE_API_TOKEN is not set: set it to an SD Elements API token with ${EDIT_PERMISSION} (SD Elements → your name → API Settings), e.g. \`read -s SDE_API_TOKEN && export SDE_API_TOKEN\`\n`,
    );
    return 1;
  }
  let client: SdeClient | undefined;
  try {
    // Before reading anything: a large export must not fail only when it comes to writing.
    checkOutputDirectory(resolve(args.out), exportFileNames(args.format), { force: args.force });
    client = new SdeClient({ url, token, logger: listProgress(say) }, io.env);
    const packageSpec =
      args.packageSpec !== undefined ? { spec: args.packageSpec, source: "--package" } : defaultPackageSpec(resolve(args.out));
    const { plan, files } = await exportConnections({
      client,
      server: url.trim(),
      selection: args.selection,
      format: args.format,
      project: args.name,
      packageSpec: packageSpec.spec,
      report: say,
    });
    const dir = resolve(args.out);
    writeOutputFiles(dir, files, { force: args.force });
    for (const problem of plan.problems) say(`warning: ${problem}`);
    say(
      `wrote ${plan.connections.length} connection${plan.connections.length === 1 ? "" : "s"} to ${dir} (${files.map((f) => f.name).join(", ")})`,
    );
    if (args.format === "ts" && args.packageSpec === undefined)
      say(`package.json depends on pulumi-sdelements ${packageSpec.spec} (${packageSpec.source}): --package names another`);
    if (plan.secrets.length > 0) {
      say(
        `${plan.secrets.length} credential${plan.secrets.length === 1 ? "" : "s"} to set as config secrets: run the commands on stdout (each asks for its value)`,
      );
    }
    for (const secret of plan.secrets) io.stdout(`${configSetSecretCommand(secret)}\n`);
    return 0;
  } catch (error) {
    // Client errors are redacted of the token and credentials; export errors never hold either.
    if (isSdeApiError(error) || error instanceof ExportError) {
      io.stderr(`sde-pulumi export: ${inExportTerms(error.message)}\n`);
      return 1;
    }
    throw error;
  } finally {
    await client?.close();
  }
}

/**
 * The client's advice names the provider's settings (sdelements:url, sdelements:apiToken...) and a few
 * options of its own (maxResponseBytes); the export reads its own (--url, SDE_URL, SDE_API_TOKEN,
 * SDE_CA_FILE, SDE_INSECURE_SKIP_VERIFY, the proxy variables, export-args.ts) and has no retry, timeout,
 * size or paging settings at all, reads in pages already, and tests no connection, so its messages say
 * those instead, or nothing. test/cli/export-command.test.ts runs every message of the client through this.
 */
const EXPORT_SETTINGS: readonly (readonly [RegExp, string])[] = [
  [/raise sdelements:maxAttempts or sdelements:retryTimeout, or (run with less parallelism|try again later)/g, "try again later"],
  [/, or raise sdelements:timeout/g, ""],
  [/, or raise the retry budget/g, ""],
  [/ \(sdelements:timeout \+ sdelements:retryTimeout\)/g, ""],
  [/ \(maxResponseBytes\)/g, ""],
  [/; a list of many thousands of connections can be read in pages \(pageSize\)/g, ""],
  [new RegExp(`(, or )?${SKIP_TEST}`, "g"), ""],
  [/sdelements:url, SDE_URL/g, "--url, SDE_URL"],
  [/sdelements:url \(or SDE_URL\)|sdelements:url/g, "--url (or SDE_URL)"],
  [
    /sdelements:apiToken \(secret\) or SDE_API_TOKEN|sdelements:apiToken \(or SDE_API_TOKEN\)|sdelements:apiToken, SDE_API_TOKEN|sdelements:apiToken \(secret\)|sdelements:apiToken/g,
    "SDE_API_TOKEN",
  ],
  [/sdelements:caFile \(SDE_CA_FILE\)|sdelements:caFile, SDE_CA_FILE|sdelements:caFile/g, "SDE_CA_FILE"],
  [/sdelements:insecureSkipVerify: true|sdelements:insecureSkipVerify/g, "SDE_INSECURE_SKIP_VERIFY=true"],
];

export function inExportTerms(message: string): string {
  return EXPORT_SETTINGS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message);
}
