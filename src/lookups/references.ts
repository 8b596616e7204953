import { z } from "zod";
import { idSchema } from "../schema/ids";
import { connectorFieldLookupSchema, projectFieldLookupSchema, type ConnectorLookup, type ProjectLookup } from "./arguments";

/**
 * A project or connector as a catalogue names it: its id, its name (a string), or a lookup with the
 * arguments of getProjectId / getConnectorId. Names are resolved against the server when the program
 * runs (resolveCatalogue), ids are used as they are.
 */
export type ProjectReference = number | ProjectLookup;
export type ConnectorReference = number | ConnectorLookup;

/**
 * The schema for one of these references, dispatched on the input's kind so each kind's own message is
 * the one shown (a union's error would list every alternative's). A string of digits is refused, as an id
 * in quotes always is: it is an id written wrongly far more often than the name of a project.
 */
function reference<L>(noun: string, what: string, lookup: z.ZodType<L>, nameExample: string) {
  const id = idSchema(what);
  return z.unknown().transform((input, ctx): number | L => {
    const digits = typeof input === "string" && /^\s*\d+\s*$/.test(input);
    const [schema, value] =
      typeof input === "string" && !digits
        ? [lookup, { name: input }]
        : typeof input === "object" && input !== null && !Array.isArray(input)
          ? [lookup, input]
          : [id, input];
    const parsed = (schema as z.ZodType<number | L>).safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const message =
        schema === id && input !== undefined && !digits
          ? `${issue.message}, or its name, e.g. ${nameExample}`
          : digits
            ? `${issue.message} (or, for a ${noun} of that name, { name: ${JSON.stringify(String(input).trim())} })`
            : issue.message;
      // A name given as a string has no `name` field to point at.
      ctx.addIssue({ code: "custom", message, path: typeof input === "string" ? [] : issue.path });
    }
    return z.NEVER;
  });
}

export const projectReferenceSchema = reference<ProjectLookup>(
  "project",
  "SD Elements project the connection belongs to",
  projectFieldLookupSchema,
  '"Payments" or { name: "Payments", application: "Finance App" }',
);
export const connectorReferenceSchema = reference<ConnectorLookup>(
  "connector",
  "issue-tracker connector the connection uses",
  connectorFieldLookupSchema,
  '"Jira Connector" or { system: jira }',
);
