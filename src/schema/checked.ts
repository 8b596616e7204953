import type { z } from "zod";

/**
 * Values known to pass a schema, so that what has been parsed once is not parsed again before it is sent.
 * The proof is the parse itself: only a parse with {@link checking}'s schema makes a `Checked` value, and
 * the one who sends it asks {@link isCheckedWith} at run time, so a value merely cast to the type is still
 * checked like any plain object.
 */

declare const checkedWith: unique symbol;

/**
 * A value a parse with schema `S` returned. Nominal (a plain object of the same shape is not one) and
 * read-only: a change after the parse would void it.
 */
export type Checked<S extends z.ZodType> = Readonly<z.output<S>> & { readonly [checkedWith]: S };

/** Each checked value, with the schema whose parse made it (weak: a value sent and dropped is forgotten). */
const madeBy = new WeakMap<object, z.ZodType>();

/**
 * `schema`, whose successful parse marks what it returns as checked with it: the same issues and messages
 * as `schema`, and a {@link Checked} result.
 */
export function checking<S extends z.ZodType<object>>(schema: S) {
  return schema.transform((value: z.output<S>) => {
    madeBy.set(value, schema);
    return value as Checked<S>;
  });
}

/** Whether `value` is what a parse with `schema` returned (through {@link checking}). */
export function isCheckedWith<S extends z.ZodType>(value: unknown, schema: S): value is Checked<S> {
  return typeof value === "object" && value !== null && madeBy.get(value) === schema;
}
