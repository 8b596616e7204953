import { z } from "zod";
import { describeKind } from "./validation";

/**
 * A primary key as the API takes it: a positive integer. `what` names the object, so the message says
 * which id is wrong and what to give instead.
 */
export const idSchema = (what: string) => {
  // Built once per kind of id: a zod schema compiles itself on first use, which costs far more than a parse.
  let schema = cache.get(what);
  if (!schema) {
    schema = build(what);
    cache.set(what, schema);
  }
  return schema;
};

const cache = new Map<string, ReturnType<typeof build>>();

const build = (what: string) =>
  z
    .int({
      error: (iss) =>
        iss.input === undefined
          ? `is required: the id (a positive whole number) of the ${what}`
          : typeof iss.input === "string" && /^\s*\d+\s*$/.test(iss.input)
            ? // Never read as a number: what is stored and compared is what was written.
              `must be the id (a positive whole number) of the ${what}, not the string ${JSON.stringify(iss.input)}: write ${iss.input.trim()} without quotes`
            : typeof iss.input === "number" || typeof iss.input === "string"
              ? `must be the id (a positive whole number) of the ${what}, not ${JSON.stringify(iss.input)}`
              : `must be the id (a positive whole number) of the ${what}, not ${describeKind(iss.input)}`,
    })
    .positive(`must be the id (a positive whole number) of the ${what}`);
