import { z } from "zod";
import { knownParamsShape, paramsMapSchema, priorityInRange } from "./params";

/**
 * Params as a program declares them: the resource's arguments, a catalogue's entries and the functions'
 * arguments. The API's rules, except that a number is a number: the API takes sde_min_priority as a
 * numeric string too (params.ts), but its connections document it as an integer
 * (reference/issue-tracker-connections.md: `"sde_min_priority": 7` in every example) and answer with one,
 * so `"8"` in a program is a number put in quotes by mistake, and the schemas never coerce (what is
 * stored is what was written). Values the server sends are still read with the API's schema: a string
 * in its answer or in an older state does not break a read.
 */
const declaredMinPrioritySchema = priorityInRange(
  z.int({
    error: (iss) =>
      typeof iss.input === "string" && /^\s*\d+\s*$/.test(iss.input)
        ? `must be a whole number from 1 to 10, not the string "${iss.input.trim()}": write ${iss.input.trim()} without quotes`
        : "must be a whole number from 1 to 10",
  }),
);

export const declaredParamsSchema = paramsMapSchema({ ...knownParamsShape, sde_min_priority: declaredMinPrioritySchema });
export type DeclaredParamsInput = z.input<typeof declaredParamsSchema>;
