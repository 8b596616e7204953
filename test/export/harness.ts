import { readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/sde-pulumi";
import type { Emulator } from "../../src/emulator";
import { LocalEngine } from "../../src/engine";
import { loadProgram } from "../../src/engine/program";

/** Helpers the export tests share: the CLI in-process, a program directory runnable by the engine, counts. */

export const PROJECT_ROOT = resolve(__dirname, "..", "..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sde-pulumi ARGS` in this process, with exactly `env` as its environment. */
export async function sdePulumi(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** The config keys of the `pulumi config set --secret KEY` lines on stdout. */
export function secretKeysOf(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const match = /^pulumi config set --secret (\S+)$/.exec(line);
      if (!match) throw new Error(`unexpected stdout line: ${line}`);
      return match[1] as string;
    });
}

/**
 * Makes an exported program's directory resolve `pulumi-sdelements` and `@pulumi/pulumi` as a user's
 * would after `npm install`: a node_modules link to this project's (whose self-link is the package).
 */
export function installDependencies(dir: string): void {
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "junction");
}

/** Every file under `dir` (node_modules aside), as text. */
export function filesIn(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name !== "node_modules")
      .flatMap((e) =>
        e.isDirectory() ? Object.entries(filesIn(join(dir, e.name))) : [[join(dir, e.name), readFileSync(join(dir, e.name), "utf8")]],
      ),
  );
}

/**
 * A LocalEngine running the program in whichever directory `programDir()` names at each run (a test can
 * switch to an edited copy), with the SD Elements settings pointing at the emulator and the given secrets.
 */
export function engineFor(
  programDir: () => string,
  project: string,
  emulator: Emulator,
  token: string,
  secrets: Record<string, string>,
  config: Record<string, string> = {},
): LocalEngine {
  return new LocalEngine({
    program: () => loadProgram(programDir()),
    project,
    stack: "dev",
    config: { "sdelements:url": emulator.url, "sdelements:apiToken": token, ...config, ...secrets },
    secretKeys: ["sdelements:apiToken", ...Object.keys(secrets)],
    hostCwd: PROJECT_ROOT,
  });
}

/** The API requests the emulator saw that change something (every method but GET). */
export function writes(emulator: Emulator): string[] {
  return emulator.requestLog.filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path}`);
}

/** How many steps of each kind, e.g. `{ create: 500 }`. */
export function countSteps(steps: readonly { op: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of steps) counts[step.op] = (counts[step.op] ?? 0) + 1;
  return counts;
}
