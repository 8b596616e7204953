import { z } from "zod";
import { strictKeysError } from "../schema/unknown-keys";
import { describeKind } from "../schema/validation";
import { UNKNOWN } from "./unknowns";

/**
 * The arguments of a ConnectionTests resource, checked by its class (what the program gives, before
 * anything is registered) and again by its provider's Check (what an Output resolved to): one rule, so
 * both say the same thing.
 */

/** The arguments ConnectionTests takes: every other key is refused by name. */
const CONNECTION_TESTS_ARGUMENTS: readonly string[] = ["connections"];

const SHAPE = "{ connections: { <resource name>: <its IssueTrackerConnection arguments>, ... } }";

/**
 * One entry: a connection's arguments (each argument is then judged by the connection's own Check), or a
 * preview's unknown. A string, a number or a list would be skipped, untested, while it looks covered.
 */
function connectionEntrySchema() {
  return z.custom<Record<string, unknown>>(
    (value) => value === UNKNOWN || (value !== null && typeof value === "object" && !Array.isArray(value)),
    {
      error: (issue) =>
        `must be a connection's arguments, not ${describeKind(issue.input)}: give { alias, connector, project, params } as for IssueTrackerConnection`,
    },
  );
}

/**
 * `connections`: a map from resource name to connection arguments. Anything else is refused, not taken
 * for "not known yet": a list's items would be tested under the names "0", "1"..., and a string or a
 * number tests nothing at all while the catalogue looks covered. (A preview's unknown is not a value
 * and never reaches this schema: the class lets an Output through, the provider its placeholder.)
 */
export const connectionsSchema = z.record(z.string(), connectionEntrySchema(), {
  error: (issue) =>
    `${issue.input === undefined ? "is required" : `must not be ${describeKind(issue.input)}`}: it takes a map from resource name to connection arguments, e.g. { "payments-jira": { alias, connector, project, params } }`,
});

export const connectionTestsArgumentsSchema = z.strictObject(
  { connections: connectionsSchema },
  {
    error: strictKeysError(
      CONNECTION_TESTS_ARGUMENTS,
      { one: "argument", many: "arguments" },
      `ConnectionTests takes ${SHAPE}`,
      (input) => `the arguments must be ${SHAPE}, not ${describeKind(input)}`,
    ),
  },
);
