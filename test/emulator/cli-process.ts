import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/**
 * Runs the emulator CLI in a child process, from the current source: on a clean clone no build is needed,
 * and a stale lib/ cannot hide a change. The source is transpiled once per test file (as ts-node's
 * transpile-only mode would, but once instead of at every start: the kill -9 loop starts the CLI many
 * times). bin/sde-emulator.js itself is only a shim over the compiled lib/cli/emulator.js.
 */

const ROOT = resolve(__dirname, "../..");
/** All of src/: transpiling it is quick, and a list of the CLI's own imports would go stale. */
const SOURCES = ["src"];

function tsFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (full.endsWith(".ts")) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFiles(join(path, entry.name)) : entry.name.endsWith(".ts") ? [join(full, entry.name)] : [],
  );
}

/** Transpiles the CLI into a temporary directory; `cleanup` removes it. */
export function buildCli(): { script: string; cleanup: () => void } {
  const out = mkdtempSync(join(tmpdir(), "sde-emulator-cli-build-"));
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile).config, ts.sys, ROOT);
  for (const file of SOURCES.flatMap(tsFiles)) {
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { ...config.options, noEmit: false, sourceMap: false, declaration: false },
      fileName: file,
    });
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  // Dependencies (zod) resolve through the project's node_modules.
  symlinkSync(join(ROOT, "node_modules"), join(out, "node_modules"), "junction");
  return { script: join(out, "src/cli/emulator.js"), cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the URL once the "listening on" line is printed; rejects if the process exits first. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node <script> ...args` (`script`: from {@link buildCli}, or bin/sde-emulator.js), with `env` added
 * to the environment and `input` written to its standard input (else it has none).
 */
export function spawnCli(script: string, args: readonly string[], more: { env?: NodeJS.ProcessEnv; input?: string } = {}): CliProcess {
  // process.execPath is the Node that runs the tests (the project's pinned one under npx/npm).
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...more.env },
    stdio: [more.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (more.input !== undefined) child.stdin!.end(more.input);
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (out += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (err += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on("close", (code, signal) => resolveExit({ code, signal })),
  );
  const ready = new Promise<string>((resolveReady, reject) => {
    const check = () => {
      const match = /^SD Elements emulator listening on (http:\/\/\S+)\n/.exec(out);
      if (match) {
        child.stdout!.off("data", check);
        resolveReady(match[1]!);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(({ code, signal }) =>
      reject(new Error(`emulator exited (code ${code}, signal ${signal}) before it was ready: ${err}`)),
    );
  });
  ready.catch(() => undefined); // a test that never awaits `ready` must not see an unhandled rejection
  return { child, stdout: () => out, stderr: () => err, ready, exited };
}
