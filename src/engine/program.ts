import { resolve, sep } from "node:path";

/**
 * A Pulumi program: a function (`export = async () => { ... return outputs }`, which Pulumi's Node.js
 * runtime also accepts), or the directory of one. A directory whose module runs at load time instead of
 * exporting a function is loaded afresh for each run.
 */
export type Program = string | (() => unknown);

export async function loadProgram(program: Program): Promise<unknown> {
  if (typeof program === "function") return program();
  const dir = resolve(program);
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(dir + sep) && !file.includes(`${sep}node_modules${sep}`)) delete require.cache[file];
  }
  const loaded: unknown = require(dir);
  const main = typeof loaded === "function" ? loaded : (loaded as { default?: unknown } | null)?.default;
  return typeof main === "function" ? (main as () => unknown)() : loaded;
}
