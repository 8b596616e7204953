import "./supported-node";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { basename, dirname, join, resolve } from "node:path";
import { DEFAULT_TOKEN, startEmulator } from "../emulator";
import { DeploymentError, LocalEngine, type StepsResult } from "../engine";
import { parseDemoArgs, USAGE, UsageError, type DemoArgs, type DemoStep } from "./demo-args";
import { findPulumiCli, runWithPulumiCli } from "./pulumi-cli";
import { renderOutputs, renderSteps } from "./render";

/**
 * `npm run demo`: a Pulumi program against a fresh emulator, offline. By default examples/basic:
 * preview, up, a second up that changes nothing, destroy. With `--program DIR` any program and any steps
 * (`--steps`), config (`--config`, `--secret`) and the final state view written to `--state-out`.
 *
 * With a `pulumi` CLI on PATH it runs the real CLI (temporary local backend); without one it runs the
 * program through the local engine (src/engine), which drives @pulumi/pulumi's own dynamic-provider host.
 * Exits 0 when every step succeeded, 1 with the error otherwise, 2 for a bad command line; stops the
 * emulator and the provider host either way.
 */
const ROOT = resolve(__dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "basic");

// The example's passwords: the emulator's example trackers accept exactly these (src/emulator/seed.ts).
const DEMO_CONFIG = { "sdelements-basic:jiraPassword": "example-jira-password", "sdelements-basic:rallyPassword": "rally_password" };

async function main(argv: readonly string[]): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv, { program: EXAMPLE, steps: ["preview", "up", "up", "destroy"] as DemoStep[], config: DEMO_CONFIG, secretKeys: Object.keys(DEMO_CONFIG) });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  // `npm run demo` runs in the package's root; INIT_CWD is where the user typed it. npm also passes INIT_CWD
  // down to anything its other scripts start, so it counts only when this is the demo script.
  const here = (process.env.npm_lifecycle_event === "demo" ? process.env.INIT_CWD : undefined) ?? process.cwd();
  const programDir = resolve(here, args.program);
  if (!statSync(programDir, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`--program ${args.program}: no such directory (${programDir}): give a Pulumi program's directory, e.g. examples/basic\n${USAGE}`);
    return 2;
  }
  if (args.stateOut !== undefined) args = { ...args, stateOut: resolve(here, args.stateOut) };
  const project = projectName(programDir);
  const emulator = await startEmulator();
  console.log(`SD Elements emulator listening on ${emulator.url} (token: ${DEFAULT_TOKEN})`);
  const config = { "sdelements:url": emulator.url, "sdelements:apiToken": DEFAULT_TOKEN, ...namespaced(args.config, project) };
  const secretKeys = ["sdelements:apiToken", ...args.secretKeys.map((k) => namespacedKey(k, project))];
  try {
    const cli = findPulumiCli();
    if (cli) {
      console.log(`Running ${programDir} with the Pulumi CLI (${cli}) and a temporary local backend.`);
      await runWithPulumiCli(cli, programDir, args.steps, config, secretKeys, args.stateOut);
      return 0;
    }
    console.log(
      "No Pulumi CLI on PATH: running the program through this package's local engine, which drives @pulumi/pulumi's own dynamic-provider host over gRPC (not `pulumi up`).",
    );
    return await runLocally(programDir, project, args, config, secretKeys);
  } finally {
    await emulator.stop();
  }
}

async function runLocally(programDir: string, project: string, args: DemoArgs, config: Record<string, string>, secretKeys: string[]): Promise<number> {
  // TypeScript programs load through ts-node, as the Pulumi CLI loads them.
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
  const engine = new LocalEngine({
    program: programDir,
    project,
    stack: "demo",
    config,
    secretKeys,
    hostCwd: hostDirectory(programDir),
    onHostLog: (line) => console.log(`    (provider) ${line}`),
  });
  let seenUp = false;
  try {
    for (const step of args.steps) {
      const started = Date.now();
      const title = { preview: "Previewing update", up: seenUp ? "Updating again" : "Updating", refresh: "Refreshing", destroy: "Destroying" }[step];
      console.log(`\n${title} (${project}/demo):`);
      let result: StepsResult;
      try {
        result = await engine[step]();
      } catch (error) {
        if (!(error instanceof DeploymentError)) throw error;
        // Why it failed, and the state as the failure left it. (The steps are not listed: the engine
        // records a step as it starts it, so a failed run's list holds steps that never ran.)
        console.log(error.errors.map((e) => `  error: ${e}`).join("\n"));
        writeStateView(engine, args.stateOut);
        console.error(`\n${step} failed.`);
        return 1;
      }
      console.log(renderSteps(result.steps, step === "preview").join("\n"));
      if (step !== "refresh" && step !== "destroy") console.log(renderOutputs(result.outputs).join("\n"));
      console.log(`Duration: ${((Date.now() - started) / 1000).toFixed(1)}s`);
      if (step === "up") seenUp = true;
    }
    writeStateView(engine, args.stateOut);
    return 0;
  } finally {
    await engine.close();
  }
}

/** The state view, if asked for: secrets as the engine's envelopes, which hold their values (mode 0600). */
function writeStateView(engine: LocalEngine, file: string | undefined): void {
  if (!file) return;
  writeFileSync(file, JSON.stringify({ resources: engine.state }, null, 2) + "\n", { mode: 0o600 });
  // The mode above applies only to a new file; an existing one is narrowed too (the view holds secrets).
  chmodSync(file, 0o600);
  console.log(`\nState view (secrets as the engine's envelopes, values included) written to ${file}`);
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
