import "./supported-node";
import { readFile } from "node:fs/promises";
import { parseOptions, UsageError, refuseBlank, type CommandOptions } from "./command-line";
import { readSecret, refuseSecretsOnCommandLine, secretOptions, secretSourceOf, secretWays, type SecretSource } from "./secret-input";
import { DEFAULT_TOKEN, parseSeed, READ_ONLY_TOKEN, startEmulator, type Emulator, type SeedData } from "../emulator";
import { headerTokenSchema } from "../emulator/seed-schema";
import { packageManifest } from "../package-manifest";
import { secretIoOf, type CommandIo } from "./command-io";
import { launch } from "./launch";

/**
 * `sde-emulator`: runs the SD Elements API emulator until SIGINT/SIGTERM.
 *
 * stdout carries exactly one line, `SD Elements emulator listening on http://HOST:PORT`, once it is ready,
 * so scripts can wait for it and read the URL. Errors are one line on stderr: exit 1 for a problem at
 * start (bad seed, port in use), exit 2 for a bad command line.
 */

const USAGE =
  "usage: sde-emulator [--port N] [--host H] [--token-env VAR | --token-file PATH | --token-stdin] [--token-read-only] [--data FILE] [--seed FILE] [--control-token-env VAR | --control-token-file PATH | --control-token-stdin] [--no-advanced-issue-tracker] [--inaccessible-connector ID ...] [--version] [--help]";

const HELP = `${USAGE}

A local emulator of the SD Elements v2 API (Issue Tracker connections, connectors, projects, jobs).

Options:
  --port N                      port to listen on (default 0: a free port)
  --host H                      address to listen on (default 127.0.0.1)
  --data FILE                   keep the state in FILE: loaded if it exists, else created from the seed;
                                rewritten atomically after every change (default: in memory only)
  --seed FILE                   JSON seed replacing the default data (ignored when --data FILE exists)
  --version                     print the version
  --help                        show this help

Tokens are secrets: never on the command line, where the process list shows them (--token T, and any
option named for a secret, such as --password or --api-token, is refused).
  --token-env VAR               the API token with full permissions, in place of the public admin token
                                below (which is then refused), from environment variable VAR
  --token-file PATH             ... from a file (one line)
  --token-stdin                 ... typed at a prompt that does not echo, or one line from a pipe
  --token-read-only             that token lacks 'Edit Issue Tracker connections': it sees
                                connections without params, and its writes get 403
  --control-token-env VAR       enable the control surface under /_emulator/ for this token (default:
                                off), from environment variable VAR
  --control-token-file PATH     ... from a file (one line)
  --control-token-stdin         ... typed at a prompt that does not echo, or one line from a pipe

Modes of the organisation (over the seed's or data file's settings):
  --no-advanced-issue-tracker   without the advanced Issue Tracker feature: any frequency but
                                "manually" is refused (400 naming frequency)
  --inaccessible-connector ID   connector ID is inaccessible (remote, synced by the Remote Integration
                                Client): no "manually" connections or manual syncs on it (repeatable)

Seeded tokens (send as "Authorization: Token <token>"):
  ${DEFAULT_TOKEN}      full permissions
  ${READ_ONLY_TOKEN}  without 'Edit Issue Tracker connections'

Examples:
  sde-emulator --token-env CI_TOKEN                       # a token of your own, from $CI_TOKEN
  sde-emulator --token-file token.txt --token-read-only   # a token without the edit permission: params hidden
  sde-emulator --no-advanced-issue-tracker                # an organisation where only "manually" is allowed
  sde-emulator --inaccessible-connector 1                 # connector 1 is remote: no "manually" on it

Prints one line "SD Elements emulator listening on http://HOST:PORT" when ready; stops on SIGINT/SIGTERM.
`;

interface CliOptions {
  help: boolean;
  version: boolean;
  port: number;
  host: string;
  /** Where the extra API token and the control token are: read once the command line is known good. */
  token: SecretSource | undefined;
  tokenReadOnly: boolean;
  controlToken: SecretSource | undefined;
  data: string | undefined;
  seed: string | undefined;
  advancedIssueTracker: boolean | undefined;
  inaccessibleConnectors: number[];
}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  ...secretOptions("token"),
  "token-read-only": { type: "boolean" },
  data: { type: "string" },
  seed: { type: "string" },
  ...secretOptions("control-token"),
  "no-advanced-issue-tracker": { type: "boolean" },
  "inaccessible-connector": { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} satisfies CommandOptions;

function parseCommandLine(argv: readonly string[]): CliOptions {
  // `--token`, `--control-token`, `--password`, `--api-token`...: refused, with the ways it takes its two tokens.
  refuseSecretsOnCommandLine(
    argv,
    Object.keys(OPTIONS),
    `give the token with ${secretWays("token")}; the control token with ${secretWays("control-token")}`,
  );
  const values = parseOptions(argv, OPTIONS);
  const port = values.port ?? "0";
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${port}"`);
  refuseBlank(values, ["host", "data", "seed"]);
  const token = secretSourceOf(values, "token");
  const controlToken = secretSourceOf(values, "control-token");
  if (token?.from === "stdin" && controlToken?.from === "stdin") {
    throw new UsageError(
      "--token-stdin and --control-token-stdin both read standard input, which holds one value: give one of them with -env or -file",
    );
  }
  if (values["token-read-only"] && token === undefined) {
    throw new UsageError(
      `--token-read-only applies to the token given with --token-env, --token-file or --token-stdin: give it with ${secretWays("token")} (or use the seeded ${READ_ONLY_TOKEN})`,
    );
  }
  const inaccessibleConnectors = (values["inaccessible-connector"] ?? []).map((id) => {
    if (!/^[1-9]\d{0,14}$/.test(id.trim()))
      throw new UsageError(`--inaccessible-connector takes a connector id (a positive whole number), not ${JSON.stringify(id)}`);
    return Number(id.trim());
  });
  return {
    help: values.help ?? false,
    version: values.version ?? false,
    port: Number(port),
    host: values.host ?? "127.0.0.1",
    token,
    tokenReadOnly: values["token-read-only"] ?? false,
    controlToken,
    data: values.data,
    seed: values.seed,
    advancedIssueTracker: values["no-advanced-issue-tracker"] ? false : undefined,
    inaccessibleConnectors,
  };
}

/** A token from where the command line said, checked as a header must carry it; a bad one is a usage error. */
async function readToken(source: SecretSource | undefined, option: string, io: CommandIo): Promise<string | undefined> {
  if (source === undefined) return undefined;
  const flag = `--${option}-${source.from}`;
  const token = await readSecret(source, flag, `the ${option}`, secretIoOf(io));
  const checked = headerTokenSchema.safeParse(token);
  if (!checked.success) throw new UsageError(`${flag}: the ${option} ${checked.error.issues[0]?.message ?? "is invalid"}`);
  return token;
}

/** A seed file, read and checked: every problem is named with the file (also the demo's --seed). */
export async function readSeedFile(file: string): Promise<SeedData> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read seed file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let seed: SeedData;
  try {
    seed = JSON.parse(text) as SeedData;
  } catch (err) {
    throw new Error(`seed file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  // Checked here too, so the message names the file (and every bad field).
  parseSeed(seed, `seed file ${file}`);
  return seed;
}

function describeStartError(err: unknown, options: CliOptions): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "EADDRINUSE") return `cannot listen on ${options.host}:${options.port}: the address is already in use`;
  if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND") return `cannot listen on ${options.host}: no such local address`;
  if (e.code === "EACCES") return `cannot listen on ${options.host}:${options.port}: permission denied`;
  // Seed and data-file errors already name the file and the bad fields; keep them to one line.
  return (e.message ?? String(err)).replace(/\s*\n\s*/g, " ");
}

/** Runs the CLI; resolves with the exit code once the emulator has stopped (or failed to start). */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let options: CliOptions;
  let token: string | undefined;
  let controlToken: string | undefined;
  try {
    options = parseCommandLine(argv);
    if (options.help) {
      io.stdout(HELP);
      return 0;
    }
    if (options.version) {
      io.stdout(`${packageManifest().version}\n`);
      return 0;
    }
    token = await readToken(options.token, "token", io);
    controlToken = await readToken(options.controlToken, "control-token", io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`sde-emulator: ${err.message}\n${USAGE}\n`);
    return 2;
  }

  // Signal handlers go in before anything is announced: a supervisor that signals as soon as it reads the
  // "listening" line must find them installed. The first signal stops gracefully, a second one at once.
  let signalled = false;
  let onStopSignal: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (onStopSignal = resolve));
  const onSignal = () => {
    if (signalled) process.exit(1);
    signalled = true;
    onStopSignal();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let emulator: Emulator;
  try {
    const seed = options.seed !== undefined ? await readSeedFile(options.seed) : undefined;
    emulator = await startEmulator({
      host: options.host,
      port: options.port,
      ...(seed !== undefined ? { seed } : {}),
      ...(options.data !== undefined ? { dataFile: options.data } : {}),
      ...(token !== undefined ? { token, tokenReadOnly: options.tokenReadOnly } : {}),
      ...(controlToken !== undefined ? { controlToken } : {}),
      ...(options.advancedIssueTracker !== undefined ? { advancedIssueTracker: options.advancedIssueTracker } : {}),
      ...(options.inaccessibleConnectors.length > 0 ? { inaccessibleConnectors: options.inaccessibleConnectors } : {}),
    });
  } catch (err) {
    io.stderr(`sde-emulator: ${describeStartError(err, options)}\n`);
    return 1;
  }

  // Stopped during start-up: never announce a server that is about to go away.
  if (!signalled) io.stdout(`SD Elements emulator listening on ${emulator.url}\n`);
  await stopRequested;
  await emulator.stop();
  return 0;
}

// bin/sde-emulator.js launches it too.
if (require.main === module) launch(main, "sde-emulator");
