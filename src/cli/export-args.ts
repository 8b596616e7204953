import { EXPORT_FORMATS, type ExportFormat } from "../export/export-connections";
import type { ProjectSelection } from "../export/read-connections";
import { clientOptionsSchema } from "../client/options";
import { parseOptions, UsageError, refuseBlank, type CommandOptions } from "./command-line";
import { refuseSecretsOnCommandLine, secretOptions, secretSourceOf, secretWays, type SecretSource } from "./secret-input";

export const EXPORT_USAGE =
  "usage: sde-pulumi export [--url URL] (--project ID ... | --all) [--out DIR] [--format ts|yaml] [--name NAME] [--package SPEC] [--force] [--token-env VAR | --token-file PATH | --token-stdin]";

/** Default Pulumi project name of an exported program (and default output directory). */
export const DEFAULT_PROJECT_NAME = "sdelements-adopted";

export const EXPORT_HELP = `${EXPORT_USAGE}

Writes a Pulumi program (or a YAML catalogue for examples/at-scale) that adopts existing SD Elements
Issue Tracker Connections by id with exactly their current settings: the first \`pulumi up\` reads each
connection once and writes nothing. Credentials are never written: each becomes a stack config secret,
and the \`pulumi config set --secret\` commands to run (without values) are printed on stdout.

Options:
  --url URL        the SD Elements server (default: SDE_URL), e.g. https://sde.example.com
  --project ID     export the connections of this project (repeat for more)
  --all            export every connection the token can see
  --out DIR        where to write the files (default: ./${DEFAULT_PROJECT_NAME}, or ./NAME)
  --format ts      index.ts, Pulumi.yaml, package.json and README.md (the default)
  --format yaml    catalogue.yaml, for examples/at-scale
  --name NAME      Pulumi project name of the program (default: ${DEFAULT_PROJECT_NAME})
  --package SPEC   how the program's package.json names pulumi-sdelements, as npm takes it: a
                   version, a tarball or a path (default: file:<the path of this package>, since the
                   package is not on the npm registry)
  --force          replace files already in DIR
  --help           show this help

The API token (never taken from the command line, where the process list shows it): from SDE_API_TOKEN,
or from
  --token-env VAR     another environment variable
  --token-file PATH   a file (one line)
  --token-stdin       a prompt that does not echo, or one line from a pipe
--token T, --password and any other option named for a secret are refused. It needs the 'Edit Issue Tracker connections' permission, without which the API hides params.

Environment:
  SDE_API_TOKEN    the API token (unless one of the --token- options says otherwise)
  SDE_URL, SDE_CA_FILE, SDE_INSECURE_SKIP_VERIFY, HTTPS_PROXY, NO_PROXY   as for the provider

stdout carries only the config commands; progress and warnings go to stderr. Exit status: 0 done,
1 the export failed (the message says why), 2 a bad command line.
`;

export interface ExportArgs {
  url: string | undefined;
  selection: ProjectSelection;
  out: string;
  format: ExportFormat;
  name: string;
  /** The dependency spec for pulumi-sdelements; undefined: a file: path to this package. */
  packageSpec: string | undefined;
  force: boolean;
  help: boolean;
  /** Where the API token is, when not in SDE_API_TOKEN. */
  token: SecretSource | undefined;
}

const OPTIONS = {
  ...secretOptions("token"),
  url: { type: "string" },
  project: { type: "string", multiple: true },
  all: { type: "boolean" },
  out: { type: "string" },
  format: { type: "string" },
  name: { type: "string" },
  package: { type: "string" },
  force: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies CommandOptions;

export function parseExportArgs(argv: readonly string[]): ExportArgs {
  // `--token`, `--api-token`, `--apiToken`, `--password`...: refused, with the ways the token is read.
  refuseSecretsOnCommandLine(argv, Object.keys(OPTIONS), `the API token is read from SDE_API_TOKEN, or from ${secretWays("token")}`);
  const values = parseOptions(argv, OPTIONS);
  const help = values.help ?? false;
  const name = values.name ?? DEFAULT_PROJECT_NAME;
  // A letter or digit first: `..` or `.x` would also name a directory outside or hidden (the default --out).
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name)) {
    throw new UsageError(
      `--name must be a Pulumi project name (a letter or digit, then letters, digits, '-', '_' and '.'), not ${JSON.stringify(name)}`,
    );
  }
  const format = values.format ?? "ts";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be ${EXPORT_FORMATS.join(" or ")}, not ${JSON.stringify(format)}`);
  }
  refuseBlank(values, ["url", "out", "package"]);
  // Checked with the client's own rule, so a bad --url is a command-line mistake named as the flag.
  const url = values.url === undefined ? undefined : clientOptionsSchema.shape.url.safeParse(values.url);
  if (url && !url.success) throw new UsageError(`--url ${url.error.issues.map((i) => i.message).join("; ")}`);
  return {
    url: values.url,
    selection: help ? [] : selectionOf(values.project, values.all ?? false),
    out: values.out ?? name,
    format: format as ExportFormat,
    name,
    packageSpec: values.package?.trim(),
    force: values.force ?? false,
    help,
    token: secretSourceOf(values, "token"),
  };
}

function selectionOf(projects: readonly string[] | undefined, all: boolean): ProjectSelection {
  if (all && projects !== undefined) throw new UsageError("--all exports every project: give either --all or --project IDs, not both");
  if (all) return "all";
  if (projects === undefined) throw new UsageError("say what to export: --project ID (repeatable) or --all");
  const ids = projects.map((p) => {
    if (!/^[1-9]\d{0,14}$/.test(p.trim()))
      throw new UsageError(`--project takes a project id (a positive whole number), not ${JSON.stringify(p)}`);
    return Number(p.trim());
  });
  return [...new Set(ids)];
}
