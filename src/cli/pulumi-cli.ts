import { spawn } from "node:child_process";
import { accessSync, constants, createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { DemoStep } from "./demo-args";

/**
 * The demo's path for machines that have the Pulumi CLI: the real `pulumi` against a local backend (a
 * temporary one and a throwaway stack, or with --stack-dir one kept there), and the emulator. Deliberately
 * thin: the tests run without a Pulumi CLI, so this path is not covered by them (the README says so); the
 * local engine is what they cover.
 */
export function findPulumiCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, process.platform === "win32" ? "pulumi.exe" : "pulumi");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function runWithPulumiCli(
  cli: string,
  programDir: string,
  steps: readonly DemoStep[],
  config: Record<string, string>,
  secretKeys: readonly string[],
  stateOut?: string,
  more: { diff?: boolean; stackDir?: string | undefined } = {},
): Promise<void> {
  // With a stack directory the backend lives in it and the stack is kept; else both are thrown away.
  const kept = more.stackDir !== undefined;
  const backend = kept ? join(more.stackDir!, "pulumi-backend") : mkdtempSync(join(tmpdir(), "sdelements-demo-"));
  mkdirSync(backend, { recursive: true, mode: 0o700 });
  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "sdelements-demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  // `input` goes to the command's stdin (config values: never on a command line, where `ps` shows them);
  // with `output` the command's stdout is written to that file instead of the terminal.
  const run = (args: string[], input?: string, output?: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(cli, args, { cwd: programDir, env, stdio: ["pipe", output ? "pipe" : "inherit", "inherit"] });
      if (output) child.stdout!.pipe(createWriteStream(output, { mode: 0o600 }));
      child.stdin!.end(input ?? "");
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args.join(" ")} exited with ${code}`))));
    });
  const diff = more.diff ? ["--diff"] : [];
  try {
    await run(["stack", "select", "demo", "--create", "--non-interactive"]);
    for (const [key, value] of Object.entries(config)) {
      await run(["config", "set", ...(secretKeys.includes(key) ? ["--secret"] : []), "--", key], value);
    }
    for (const step of steps) {
      await run(
        step === "preview"
          ? ["preview", "--non-interactive", ...diff]
          : [step, "--yes", "--non-interactive", "--skip-preview", ...(step === "up" ? diff : [])],
      );
    }
    if (stateOut) await run(["stack", "export"], undefined, stateOut);
  } finally {
    if (!kept) {
      await run(["stack", "rm", "demo", "--yes", "--force", "--non-interactive"]).catch(() => undefined);
      rmSync(backend, { recursive: true, force: true });
    }
  }
}
