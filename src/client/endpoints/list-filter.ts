import { z } from "zod";
import { listed, strictKeysError } from "../../schema/unknown-keys";
import { describeKind } from "../../schema/validation";
import { validateInput } from "../validate-input";

/** A name filter's value: the API matches names exactly, so a blank one would match nothing, silently. */
export const nameFilterSchema = z.string({ error: "must be a name (a string)" }).trim().min(1, "must not be blank");

/**
 * A list's filters, checked before anything is sent: a misspelt filter must not silently list everything
 * (the API ignores filters it does not know). `what` is the list (`a project list`), `example` a filter.
 */
export function checkedListFilter<S extends z.ZodRawShape>(
  shape: S,
  filter: unknown,
  what: string,
  example: string,
): z.output<z.ZodObject<S>> {
  const known = Object.keys(shape);
  const schema = z.strictObject(shape, {
    error: strictKeysError(
      known,
      { one: "filter", many: "filters" },
      `${what} takes ${listed(known)}`,
      (input) => `must be an object of filters, e.g. ${example}, not ${describeKind(input)}`,
    ),
  });
  return validateInput(schema, filter, `${what.replace(/^an? /, "")} filter`) as z.output<z.ZodObject<S>>;
}
