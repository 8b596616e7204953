import { readFile } from "node:fs/promises";
import { parseOptions, UsageError } from "./command-line";
import { DEFAULT_TOKEN, parseSeed, READ_ONLY_TOKEN, startEmulator, type Emulator, type SeedData } from "../emulator";
import { headerTokenSchema } from "../emulator/seed-schema";

/**
 * `sde-emulator`: runs the SD Elements API emulator until SIGINT/SIGTERM.
 *
 * stdout carries exactly one line, `SD Elements emulator listening on http://HOST:PORT`, once it is ready,
 * so scripts can wait for it and read the URL. Errors are one line on stderr: exit 1 for a problem at
 * start (bad seed, port in use), exit 2 for a bad command line.
 */

const USAGE = "usage: sde-emulator [--port N] [--host H] [--token T] [--data FILE] [--seed FILE] [--control-token T] [--help]";

const HELP = `${USAGE}

A local emulator of the SD Elements v2 API (Issue Tracker connections, connectors, projects, jobs).

Options:
  --port N             port to listen on (default 0: a free port)
  --host H             address to listen on (default 127.0.0.1)
  --token T            the API token with full permissions, in place of the public admin token below
  --data FILE          keep the state in FILE: loaded if it exists, else created from the seed;
                       rewritten atomically after every change (default: in memory only)
  --seed FILE          JSON seed replacing the default data (ignored when --data FILE exists)
  --control-token T    enable the control surface under /_emulator/ for this token (default: off)
  --help               show this help

Seeded tokens (send as "Authorization: Token <token>"):
  ${DEFAULT_TOKEN}      full permissions
  ${READ_ONLY_TOKEN}  without 'Edit Issue Tracker connections'

Prints one line "SD Elements emulator listening on http://HOST:PORT" when ready; stops on SIGINT/SIGTERM.
`;


interface CliOptions {
  help: boolean;
  port: number;
  host: string;
  token: string | undefined;
  data: string | undefined;
  seed: string | undefined;
  controlToken: string | undefined;
}

function parseCommandLine(argv: readonly string[]): CliOptions {
  const values = parseOptions(argv, {
    port: { type: "string" },
    host: { type: "string" },
    token: { type: "string" },
    data: { type: "string" },
    seed: { type: "string" },
    "control-token": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  const port = values.port ?? "0";
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${port}"`);
  for (const [name, value] of [["--host", values.host], ["--token", values.token], ["--data", values.data], ["--seed", values.seed], ["--control-token", values["control-token"]]] as const) {
    if (value !== undefined && value.trim() === "") throw new UsageError(`${name} must not be empty`);
  }
  // A token is a command-line value like any other: one that no header could carry is a usage error.
  for (const [name, value] of [["--token", values.token], ["--control-token", values["control-token"]]] as const) {
    const checked = value === undefined ? undefined : headerTokenSchema.safeParse(value);
    if (checked && !checked.success) throw new UsageError(`${name} ${checked.error.issues[0]?.message ?? "is invalid"}`);
  }
  return {
    help: values.help ?? false,
    port: Number(port),
    host: values.host ?? "127.0.0.1",
    token: values.token,
    data: values.data,
    seed: values.seed,
    controlToken: values["control-token"],
  };
}

async function readSeedFile(file: string): Promise<SeedData> {
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
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`sde-emulator: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
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
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(options.controlToken !== undefined ? { controlToken: options.controlToken } : {}),
    });
  } catch (err) {
    process.stderr.write(`sde-emulator: ${describeStartError(err, options)}\n`);
    return 1;
  }

  // Stopped during start-up: never announce a server that is about to go away.
  if (!signalled) process.stdout.write(`SD Elements emulator listening on ${emulator.url}\n`);
  await stopRequested;
  await emulator.stop();
  return 0;
}

/** Entry point of bin/sde-emulator.js (and of `node lib/cli/emulator.js`). */
export function run(): void {
  const exit = (code: number) => {
    // Let stdout/stderr drain (they may be asynchronous pipes); the unref'd timer only fires if something
    // unexpected still holds the event loop.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2000).unref();
  };
  main().then(exit, (err: unknown) => {
    process.stderr.write(`sde-emulator: ${(err as Error).message ?? String(err)}\n`);
    exit(1);
  });
}

if (require.main === module) run();
