import { parseArgs, type ParseArgsConfig } from "node:util";
import { listed, withSuggestion } from "../schema/unknown-keys";

/** A command-line mistake: the program exits 2 with its usage line. */
export class UsageError extends Error {}

/** A command's options, as node:util's parseArgs takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

/** node:util's parseArgs, strict, no positionals; its errors become UsageErrors naming the option and the fix. */
export function parseOptions<O extends CommandOptions>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(usageProblem(error as Error & { code?: string }, options));
  }
}

/** A parseArgs error said as this package says a mistake: the option, then what to do. */
function usageProblem(error: Error & { code?: string }, options: CommandOptions): string {
  const names = Object.keys(options);
  const takes = `this command takes ${listed(names.map((name) => `--${name}`))}`;
  // node:util quotes the stray argument; it may be a token pasted in the wrong place, which must not
  // reach a CI log.
  if (error.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return "unexpected argument (not shown, in case it is a secret): this command takes only --options";
  }
  // node:util names the option alone (never a value given with `=`); say which one was meant. A name
  // that is not plain letters, digits and dashes may have a value run into it (`--token-env:abc`).
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const unknown = /'(--?[^'=]+)'/.exec(error.message)?.[1];
    const bare = unknown?.replace(/^--?/, "");
    const shown =
      unknown !== undefined && bare !== undefined && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(bare)
        ? unknown.startsWith("--")
          ? withSuggestion(bare, names, "--")
          : unknown
        : "(not shown, in case it holds a secret)";
    return `unknown option ${shown}: ${takes}`;
  }
  // `--data` with no value, or `--help=x`: node:util's words are about its own syntax.
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const name = /--([A-Za-z0-9_-]+)/.exec(error.message)?.[1];
    const option = name === undefined ? undefined : options[name];
    if (option?.type === "string") return `--${name} takes a value: give --${name} VALUE (--${name}=VALUE for one that starts with -)`;
    if (option?.type === "boolean") return `--${name} takes no value: give --${name} alone`;
  }
  return error.message.split("\n")[0]!;
}

/** Refuses each of these options given a blank value, in this order: `--out ""` is a mistake, not "none". */
export function refuseBlank(values: Readonly<Record<string, unknown>>, names: readonly string[]): void {
  for (const name of names) {
    const value = values[name];
    if (typeof value === "string" && value.trim() === "") throw new UsageError(`--${name} must not be empty`);
  }
}
