import { describeKind } from "../../schema/validation";
import type { FieldErrors } from "../http";

export type { FieldErrors };
// How messages name a value they must not repeat (it may be a password): "a list", "null", "a string"...
export { describeKind };

/**
 * The building blocks of the emulator's own request rules (this folder), modelled on the fields of a
 * Django REST Framework serializer, which the real server is built with (reference/sde-api.md §1.1): a
 * field takes what a request sent and answers the value the server keeps, or every message that applies
 * to it. They are written apart from the client's zod schemas (src/schema/) on purpose: the emulator is
 * the server the client is tested against, and a rule both shared would be wrong on both sides at once.
 */

/**
 * What a field makes of a value. `wrongKind` marks a value of the wrong kind altogether (a wrong type, not
 * one of the choices): as in DRF, the checks of the whole map around it (params-wide, body-wide) only run
 * once every field has a value of its kind.
 */
export type Verdict<T> = { ok: true; value: T } | { ok: false; messages: string[]; wrongKind: boolean };
export type Field<T = unknown> = (value: unknown) => Verdict<T>;

/** A check of a value already of its kind: a message when it fails, else undefined. */
export type Check<T> = (value: T) => string | undefined;

/** What a value that is not of a field's kind is told, by what it is. */
export type KindMessage = (value: unknown) => string;

export const accepted = <T>(value: T): Verdict<T> => ({ ok: true, value });
export const ofWrongKind = (message: string): Verdict<never> => ({ ok: false, messages: [message], wrongKind: true });

/** `value`, unless one of the checks fails: every check runs, so a value hears all that is wrong at once. */
function checked<T>(value: T, checks: readonly Check<T>[]): Verdict<T> {
  let messages: string[] | undefined;
  for (const check of checks) {
    const message = check(value);
    if (message !== undefined) (messages ??= []).push(message);
  }
  return messages === undefined ? { ok: true, value } : { ok: false, messages, wrongKind: false };
}

/** A string field (DRF's CharField without its coercion: a number is not taken for its digits). */
export const text =
  (notText: KindMessage, ...checks: Check<string>[]): Field<string> =>
  (value) =>
    typeof value === "string" ? checked(value, checks) : ofWrongKind(notText(value));

export const maxLength =
  (max: number): Check<string> =>
  (s) =>
    s.length > max ? `is too long: at most ${max} characters` : undefined;

export const notBlank =
  (message: string): Check<string> =>
  (s) =>
    s.trim() === "" ? message : undefined;

/** One of a fixed set of strings, spelt exactly (DRF's ChoiceField). */
export const choice =
  <T extends string>(allowed: readonly T[], notAChoice: KindMessage): Field<T> =>
  (value) =>
    (allowed as readonly unknown[]).includes(value) ? accepted(value as T) : ofWrongKind(notAChoice(value));

/** The message of a value outside `allowed`: the value itself when it is a string, else its kind. */
export const choicesMessage =
  (allowed: readonly string[]): KindMessage =>
  (value) =>
    typeof value === "string"
      ? `${JSON.stringify(value)} is not a valid choice: use one of ${allowed.join(", ")}`
      : `must be one of ${allowed.join(", ")}, not ${describeKind(value)}`;

/**
 * JSON's true or false. DRF's BooleanField would also take "true", "yes" or 1; the emulator refuses them
 * (emulator README), so what is stored is what was written.
 */
export const boolean =
  (notBoolean: KindMessage): Field<boolean> =>
  (value) =>
    typeof value === "boolean" ? accepted(value) : ofWrongKind(notBoolean(value));

/** The usual message of a boolean field, with the fix when the value is a boolean in quotes. */
export const booleanMessage: KindMessage = (value) =>
  typeof value === "string" && /^(true|false)$/i.test(value.trim())
    ? `must be true or false without quotes (a boolean, not the string "${value.trim()}")`
    : `must be true or false, not ${describeKind(value)}`;

/**
 * A whole number. Not one at all (a string, a fraction) is of the wrong kind; one past what a double
 * holds exactly, or outside the range `inRange` allows, fails a check.
 */
export const wholeNumber =
  (notWhole: KindMessage, ...checks: Check<number>[]): Field<number> =>
  (value) => {
    if (typeof value !== "number" || !Number.isInteger(value)) return ofWrongKind(notWhole(value));
    return Number.isSafeInteger(value) ? checked(value, checks) : { ok: false, messages: [notWhole(value)], wrongKind: false };
  };

/**
 * A primary key (DRF's PrimaryKeyRelatedField, before it looks the object up): a positive whole number.
 * `what` names the object, so the message says which id is wrong and how to write it.
 */
export function primaryKey(what: string): Field<number> {
  const invalid = `must be the id (a positive whole number) of the ${what}`;
  return wholeNumber(
    (value) =>
      value === undefined
        ? `is required: the id (a positive whole number) of the ${what}`
        : typeof value === "string" && /^\s*\d+\s*$/.test(value)
          ? `${invalid}, not the string ${JSON.stringify(value)}: write ${value.trim()} without quotes`
          : typeof value === "number" || typeof value === "string"
            ? `${invalid}, not ${JSON.stringify(value)}`
            : `${invalid}, not ${describeKind(value)}`,
    (id) => (id > 0 ? undefined : invalid),
  );
}

/** DRF's PrimaryKeyRelatedField message for an id that names nothing. */
export function invalidPk(value: number): string {
  return `Invalid pk "${value}" - object does not exist.`;
}

/** A field that may be left out: absent (undefined) is accepted as absent. */
export const optional =
  <T>(field: Field<T>): Field<T | undefined> =>
  (value) =>
    value === undefined ? accepted(undefined) : field(value);

/** A request body as a rule reads it: the values the server takes, or its DRF 400 body. */
export type BodyVerdict<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The JSON kinds as a generic validator names them ("expected string, received number"). */
function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The generic message for a value of the wrong JSON kind, where a field has no wording of its own. */
export const expected =
  (kind: "string" | "object"): KindMessage =>
  (value) =>
    `Invalid input: expected ${kind}, received ${jsonKind(value)}`;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
