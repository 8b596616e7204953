import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  CONNECTION_ARGUMENTS,
  connectionInputsSchema,
  PROVIDER_KEY,
  unknownArgumentsMessage,
  type ConnectionInputs,
} from "../model/inputs";
import { withoutUnknowns } from "../model/unknowns";
import { redactDeep, secretParamValues } from "../schema/secrets";
import { issuePath } from "../schema/validation";

type Bag = Record<string, unknown>;

/** What check makes of a program's arguments, before any API call. */
export type ArgumentCheck =
  /** Refused: one failure per argument, under its own name. */
  | { outcome: "refused"; failures: dynamic.CheckFailure[] }
  /** Every problem is with a value the preview does not know yet: nothing to say until it is. */
  | { outcome: "pending" }
  /**
   * Valid: defaults filled in, values in the API's types, preview unknowns where the program had them;
   * `complete` when none is unknown (only then can the connection be tested).
   */
  | { outcome: "checked"; inputs: Bag; complete: ConnectionInputs | undefined };

/**
 * Validates the program's arguments, fills defaults and normalises values to the API's types. Preview
 * unknowns are neither validated nor compared: an argument not known yet is not missing, and a problem
 * inside one is not reported.
 */
export function checkArguments(news: Bag): ArgumentCheck {
  const { [PROVIDER_KEY]: _provider, ...given } = news;
  // An argument this resource does not take is refused by name whatever its value, known or not yet:
  // taken silently, a misspelt `frequncy` would leave the connection syncing manually for ever.
  const strangers = Object.keys(given).filter((key) => !CONNECTION_ARGUMENTS.includes(key));
  const declared = strangers.length === 0 ? given : Object.fromEntries(Object.entries(given).filter(([key]) => !strangers.includes(key)));
  const { known, unknownPaths } = withoutUnknowns(declared);
  const parsed = schemaAllowing(unknownPaths).safeParse(known);
  if (!parsed.success || strangers.length > 0) {
    const isUnknownAt = (path: string) => unknownPaths.some((u) => u === path || path.startsWith(`${u}.`) || u.startsWith(`${path}.`));
    const secrets = secretParamValues((known as Bag).params);
    const failures = [
      ...strangers.map((key) => ({ property: key, reason: unknownArgumentsMessage([key]) })),
      ...(parsed.error?.issues ?? [])
        .map((issue) => ({ property: issuePath(issue.path), reason: issue.message }))
        .filter((f) => !isUnknownAt(f.property))
        .map((f) => redactDeep(f, secrets)),
    ];
    return failures.length > 0 ? { outcome: "refused", failures } : { outcome: "pending" };
  }
  // Complete when nothing is unknown: then the schema was the whole one, and its result is whole inputs.
  const complete = unknownPaths.length === 0 ? (parsed.data as ConnectionInputs) : undefined;
  return { outcome: "checked", inputs: mergeUnknowns(parsed.data, declared, unknownPaths), complete };
}

/** The inputs' schema, with the arguments not known yet optional: a required one pending is not missing. */
function schemaAllowing(unknownPaths: readonly string[]) {
  if (unknownPaths.length === 0) return connectionInputsSchema;
  const pending = unknownPaths.filter((path): path is keyof ConnectionInputs => path in connectionInputsSchema.shape);
  const mask = Object.fromEntries(pending.map((k) => [k, true])) as Partial<Record<keyof ConnectionInputs, true>>;
  return pending.length > 0 ? connectionInputsSchema.partial(mask) : connectionInputsSchema;
}

/** Checked inputs, with the preview unknowns put back where the program had them. */
function mergeUnknowns(checked: Bag, declared: Bag, unknownPaths: readonly string[]): Bag {
  if (unknownPaths.length === 0) return checked;
  const out: Bag = structuredClone(checked);
  for (const path of unknownPaths) {
    const keys = path.split(".");
    let source: unknown = declared;
    let target: Bag = out;
    keys.forEach((key, i) => {
      source = (source as Bag)[key];
      if (i === keys.length - 1) target[key] = source;
      else target = (target[key] ??= {}) as Bag;
    });
  }
  return out;
}
