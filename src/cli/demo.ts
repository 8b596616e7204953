import "./supported-node";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { basename, dirname, join, resolve } from "node:path";
import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../emulator";
import { DeploymentError, LocalEngine, type EngineEvent, type StepsResult } from "../engine";
import { urnOf } from "../engine/recording-monitor";
import { packageManifest } from "../package-manifest";
import { parseDemoArgs, HELP, USAGE, UsageError, type DemoArgs, type DemoStep } from "./demo-args";
import { readSeedFile } from "./emulator";
import { findPulumiCli, runWithPulumiCli } from "./pulumi-cli";
import { readSecret } from "./secret-input";
import { secretIoOf, type CommandIo } from "./command-io";
import { launch } from "./launch";
import { progressLine, renderOperation, wantsColor, type OperationKind, type RenderOptions } from "./render";

/**
 * `npm run demo`: a Pulumi program against the emulator, offline. By default examples/basic: preview, up,
 * a second up that changes nothing, destroy. With `--program DIR` any program and any steps (`--steps`),
 * config (`--config`; secrets with `--secret-env`, `--secret-file`, `--secret-stdin`, never on the command
 * line) and the final state view written to `--state-out`; with `--stack-dir` the emulator's data and the
 * stack's state live on between runs, so an edit of the program shows as a change.
 *
 * With a `pulumi` CLI on PATH it runs the real CLI (temporary local backend); without one it runs the
 * program through the local engine (src/engine), which drives @pulumi/pulumi's own dynamic-provider host,
 * and prints what the CLI would. Exits 0 when every step succeeded, 1 with the error otherwise, 2 for a bad
 * command line; stops the emulator and the provider host either way.
 *
 * This runner is part of the repository, not of the npm package (it needs ts-node, a devDependency, and
 * examples/): a user's own tests use the engine, `pulumi-sdelements/engine`, as the README shows.
 */
const ROOT = resolve(__dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "basic");
const STACK = "demo";

// The example's passwords: the emulator's example trackers accept exactly these (src/emulator/seed.ts).
const DEMO_CONFIG = { "sdelements-basic:jiraPassword": "example-jira-password", "sdelements-basic:rallyPassword": "rally_password" };

/** Runs the demo; resolves with the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const say = (line: string) => io.stdout(`${line}\n`);
  const complain = (line: string) => io.stderr(`${line}\n`);
  // `npm run demo` runs in the package's root; INIT_CWD is where the user typed it. npm also passes INIT_CWD
  // down to anything its other scripts start, so it counts only when this is the demo script.
  const here = (io.env.npm_lifecycle_event === "demo" ? io.env.INIT_CWD : undefined) ?? process.cwd();
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv, {
      program: EXAMPLE,
      steps: ["preview", "up", "up", "destroy"] as DemoStep[],
      config: DEMO_CONFIG,
      secretKeys: Object.keys(DEMO_CONFIG),
    });
    if (args.help) {
      io.stdout(HELP);
      return 0;
    }
    if (args.version) {
      say(packageManifest().version);
      return 0;
    }
    // Read before anything starts: a secret that cannot be read is a command-line mistake.
    for (const { key, source, flag } of args.secrets) {
      // A file is where the user typed the command, as --program is.
      const from = source.from === "file" ? { ...source, path: resolve(here, source.path) } : source;
      args.config[key] = await readSecret(from, flag, `the value of ${key}`, secretIoOf(io));
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    complain(`${error.message}\n${USAGE}`);
    return 2;
  }
  const programDir = resolve(here, args.program);
  if (!statSync(programDir, { throwIfNoEntry: false })?.isDirectory()) {
    complain(
      `--program ${args.program}: no such directory (${programDir}): give a Pulumi program's directory, e.g. examples/basic\n${USAGE}`,
    );
    return 2;
  }
  if (args.stateOut !== undefined) args = { ...args, stateOut: resolve(here, args.stateOut) };
  const stackDir = args.stackDir === undefined ? undefined : resolve(here, args.stackDir);
  if (stackDir !== undefined && existsSync(stackDir) && !statSync(stackDir).isDirectory()) {
    complain(
      `--stack-dir ${args.stackDir}: is a file, not a directory (${stackDir}): give a directory (it is created if missing)\n${USAGE}`,
    );
    return 2;
  }
  const project = projectName(programDir);
  let emulator: Emulator;
  try {
    const seed = args.seed === undefined ? undefined : await readSeedFile(resolve(here, args.seed));
    const dataFile = stackDir === undefined ? undefined : join(stackDir, "emulator.json");
    // The emulator starts from its data file when there is one; a seed only starts a new stack's world.
    if (seed && dataFile !== undefined && existsSync(dataFile))
      say(
        `--seed ${args.seed}: not used: ${dataFile} already holds the emulator's data (a seed starts a new --stack-dir; move that file away to start from the seed again)`,
      );
    if (stackDir !== undefined) mkdirSync(stackDir, { recursive: true, mode: 0o700 });
    emulator = await startEmulator({ ...(seed ? { seed } : {}), ...(dataFile !== undefined ? { dataFile } : {}) });
  } catch (error) {
    complain((error as Error).message.replace(/\s*\n\s*/g, " "));
    return 1;
  }
  say(
    `SD Elements emulator listening on ${emulator.url} (token: ${DEFAULT_TOKEN})${stackDir !== undefined ? `, its data in ${join(stackDir, "emulator.json")}` : ""}`,
  );
  const config = { "sdelements:url": emulator.url, "sdelements:apiToken": DEFAULT_TOKEN, ...namespaced(args.config, project) };
  const secretKeys = ["sdelements:apiToken", ...args.secretKeys.map((k) => namespacedKey(k, project))];
  try {
    const cli = findPulumiCli(io.env);
    if (cli) {
      say(
        `Running ${programDir} with the Pulumi CLI (${cli}) and a ${stackDir !== undefined ? `local backend in ${stackDir}` : "temporary local backend"}.`,
      );
      await runWithPulumiCli(cli, programDir, args.steps, config, secretKeys, args.stateOut, { diff: args.diff, stackDir });
      return 0;
    }
    say(
      "No Pulumi CLI on PATH: running the program through this package's local engine, which drives @pulumi/pulumi's own dynamic-provider host over gRPC (not `pulumi up`).",
    );
    return await runLocally(programDir, project, args, config, secretKeys, stackDir, io);
  } finally {
    await emulator.stop();
  }
}

const KIND: Record<DemoStep, OperationKind> = { preview: "preview", up: "update", refresh: "refresh", destroy: "destroy" };
const TITLE: Record<DemoStep, string> = { preview: "Previewing update", up: "Updating", refresh: "Refreshing", destroy: "Destroying" };

async function runLocally(
  programDir: string,
  project: string,
  args: DemoArgs,
  config: Record<string, string>,
  secretKeys: string[],
  stackDir: string | undefined,
  io: CommandIo,
): Promise<number> {
  const say = (line: string) => io.stdout(`${line}\n`);
  registerTypeScript(programDir, io.env);
  const color = wantsColor(io.terminal ?? {}, io.env);
  let events: EngineEvent[] = [];
  let options: RenderOptions | undefined;
  const progress = new Progress(io);
  let engine: LocalEngine;
  try {
    engine = new LocalEngine({
      program: programDir,
      project,
      stack: STACK,
      config,
      secretKeys,
      hostCwd: hostDirectory(programDir),
      ...(stackDir !== undefined ? { stateDir: stackDir } : {}),
      onEvent: (event) => {
        events.push(event);
        const line = options && progressLine(event, options);
        if (line) progress.show(line);
      },
    });
  } catch (error) {
    // A stack directory that is another program's, or whose key does not fit: nothing was run.
    io.stderr(`--stack-dir: ${(error as Error).message}\n`);
    return 1;
  }
  let titled = false;
  try {
    for (const step of args.steps) {
      events = [];
      options = {
        kind: KIND[step],
        color,
        diff: args.diff,
        stackUrn: urnOf(STACK, project, undefined, "pulumi:pulumi:Stack", `${project}-${STACK}`),
      };
      // A blank line before the first title; every operation's output ends with one.
      say(`${titled ? "" : "\n"}${TITLE[step]} (${project}/${STACK}):\n`);
      titled = true;
      const started = Date.now();
      let result: StepsResult | undefined;
      try {
        result = await engine[step]();
      } catch (error) {
        if (!(error instanceof DeploymentError)) throw error;
      }
      progress.clear();
      say(
        renderOperation({ events, outputs: result?.outputs, failed: result === undefined, durationMs: Date.now() - started }, options).join(
          "\n",
        ),
      );
      if (!result) {
        // The state as the failure left it.
        writeStateView(engine, args.stateOut, say);
        io.stderr(`${step} failed.\n`);
        return 1;
      }
    }
    writeStateView(engine, args.stateOut, say);
    return 0;
  } finally {
    progress.clear();
    await engine.close();
  }
}

/**
 * Progress while steps are in flight: on a terminal one line, rewritten in place; elsewhere (a CI log, a
 * pipe) a line for each step as it starts.
 */
class Progress {
  private showing = false;
  private wrote = false;
  constructor(private readonly io: CommandIo) {}

  show(line: string): void {
    if (!this.io.terminal?.isTTY) {
      this.io.stdout(`${line}\n`);
      this.wrote = true;
      return;
    }
    const width = this.io.terminal.columns || 100;
    this.io.stdout(`\r\u001b[K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
    this.showing = true;
  }

  /** Ends the progress of an operation: the line goes (a terminal), or a blank line follows the lines. */
  clear(): void {
    if (this.showing) this.io.stdout("\r\u001b[K");
    if (this.wrote) this.io.stdout("\n");
    this.showing = false;
    this.wrote = false;
  }
}

/**
 * TypeScript programs load through ts-node, type-checked as the Pulumi CLI loads them (a type error fails
 * the step, as it fails `pulumi up`): with the program's tsconfig.json when it has one (its settings win
 * over the CLI's defaults below), and without type-checking only when PULUMI_NODEJS_TRANSPILE_ONLY=true.
 */
function registerTypeScript(programDir: string, env: NodeJS.ProcessEnv): void {
  const tsconfig = join(programDir, "tsconfig.json");
  const ts = require("typescript") as typeof import("typescript");
  const own = existsSync(tsconfig)
    ? (((ts.readConfigFile(tsconfig, ts.sys.readFile).config ?? {}) as { compilerOptions?: Record<string, unknown> }).compilerOptions ?? {})
    : {};
  require("ts-node").register({
    transpileOnly: env.PULUMI_NODEJS_TRANSPILE_ONLY === "true",
    ...(existsSync(tsconfig) ? { project: tsconfig } : { skipProject: true }),
    compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node", sourceMap: true, ...own },
  });
}

/** The state view, if asked for: secrets as the engine's envelopes, which hold their values (mode 0600). */
function writeStateView(engine: LocalEngine, file: string | undefined, say: (line: string) => void): void {
  if (!file) return;
  writeFileSync(file, JSON.stringify({ resources: engine.state }, null, 2) + "\n", { mode: 0o600 });
  // The mode above applies only to a new file; an existing one is narrowed too (the view holds secrets).
  chmodSync(file, 0o600);
  say(`State view (secrets as the engine's envelopes, values included) written to ${file}`);
}

/** The Pulumi project name: from the program's Pulumi.yaml, else its directory's name. */
function projectName(dir: string): string {
  const file = join(dir, "Pulumi.yaml");
  if (!existsSync(file)) return basename(dir);
  // Parsed as YAML: a quoted name is a name without its quotes.
  const name = (parseYaml(readFileSync(file, "utf8")) as { name?: unknown } | null)?.name;
  return typeof name === "string" && name.trim() !== "" ? name.trim() : basename(dir);
}

/** Config keys without a namespace belong to the project, as with `pulumi config set`. */
function namespacedKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function namespaced(config: Record<string, string>, project: string): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [namespacedKey(k, project), v]));
}

/**
 * Where the provider host runs: the program's directory when this package is installed there (as in any
 * program that uses it), else this package's own root, so a program elsewhere still finds it. Looked up
 * as a directory: resolving the package by name from here would always succeed (a package can import
 * itself), wherever the program is.
 */
function hostDirectory(programDir: string): string {
  for (let dir = programDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", "pulumi-sdelements", "package.json"))) return programDir;
    if (dirname(dir) === dir) return ROOT;
  }
}

if (require.main === module) launch(main);
