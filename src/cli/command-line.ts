import { parseArgs, type ParseArgsConfig } from "node:util";

/** A command-line mistake: the program exits 2 with its usage line. */
export class UsageError extends Error {}

/** node:util's parseArgs, strict, no positionals; its errors become UsageErrors. */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
