import { parseArgs, type ParseArgsConfig } from "node:util";
import { withSuggestion } from "../schema/unknown-keys";

/** A command-line mistake: the program exits 2 with its usage line. */
export class UsageError extends Error {}

/** node:util's parseArgs, strict, no positionals; its errors become UsageErrors. */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    // node:util quotes the stray argument; it may be a token pasted in the wrong place, which must not
    // reach a CI log.
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw new UsageError("unexpected argument (not shown, in case it is a secret): this command takes only --options");
    }
    // node:util names the option alone (never a value given with `=`); say which one was meant.
    const unknown =
      (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? /'--([^'=]+)'/.exec((error as Error).message)?.[1]
        : undefined;
    if (unknown !== undefined) throw new UsageError(`unknown option ${withSuggestion(unknown, Object.keys(options), "--")}`);
    throw new UsageError((error as Error).message);
  }
}

/** Refuses each of these options given a blank value, in this order: `--out ""` is a mistake, not "none". */
export function refuseBlank(values: Readonly<Record<string, unknown>>, names: readonly string[]): void {
  for (const name of names) {
    const value = values[name];
    if (typeof value === "string" && value.trim() === "") throw new UsageError(`--${name} must not be empty`);
  }
}
