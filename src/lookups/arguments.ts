import { z } from "zod";
import { validateInput } from "../client/validate-input";
import { listed, strictKeysError } from "../schema/unknown-keys";
import { describeKind } from "../schema/validation";

/** A name to look up: matched exactly, as the API's filters match, so a blank one is a mistake. */
const lookupName = (what: string) =>
  z
    .string({ error: `must be the ${what}'s name (a string)` })
    .trim()
    .min(1, `must not be blank: give the ${what}'s name`);

/**
 * A lookup's arguments, strict: a misspelt `aplication` must not silently widen the search to every
 * application (and pick a project of the wrong one, or fail with a puzzling ambiguity).
 */
function lookupArguments<S extends z.ZodRawShape>(fn: string, shape: S, example: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: strictKeysError(
      known,
      { one: "argument", many: "arguments" },
      `${fn} takes ${listed(known)}`,
      (input) => `must be an object of arguments, e.g. ${example}, not ${describeKind(input)}`,
    ),
  });
}

/** The project lookup's arguments; `taker` names what takes them in the message for an unknown one. */
const projectLookupOf = (taker: string) =>
  lookupArguments(
    taker,
    {
      name: lookupName("project"),
      application: lookupName("application").optional(),
      businessUnit: lookupName("business unit").optional(),
    },
    '{ name: "Payments", application: "Finance App" }',
  );
const projectLookupSchema = projectLookupOf("getProjectId");
/** As a catalogue entry's `project` (the same arguments, said of the field). */
export const projectFieldLookupSchema = projectLookupOf("a project by name");

/** Which project: its name, and to tell apart projects of the same name, its application's and business unit's. */
export interface ProjectLookup {
  /** The project's name (exact). */
  name: string;
  /** Its application's name (exact). */
  application?: string;
  /** Its business unit's name (exact). */
  businessUnit?: string;
}

const connectorLookupOf = (taker: string) =>
  lookupArguments(
    taker,
    {
      name: lookupName("connector").optional(),
      system: z
        .string({ error: 'must be the system\'s id (a string such as "jira")' })
        .trim()
        .min(1, 'must not be blank: give the system\'s id, e.g. "jira"')
        .optional(),
    },
    '{ name: "Jira Connector" } or { system: "jira" }',
  ).refine((a) => a.name !== undefined || a.system !== undefined, {
    message: 'give the connector\'s name, its system or both, e.g. { name: "Jira Connector" } or { system: "jira" }',
  });
const connectorLookupSchema = connectorLookupOf("getConnectorId");
/** As a catalogue's `connector`. */
export const connectorFieldLookupSchema = connectorLookupOf("a connector by name");

/** Which connector: its name, its system (`jira`, `github`...), or both. */
export interface ConnectorLookup {
  /** The connector's name (exact). */
  name?: string;
  /** Its system's id: `jira`, `github`, `rally`... */
  system?: string;
}

export function checkedProjectLookup(input: unknown): ProjectLookup {
  return validateInput(projectLookupSchema, input, "project lookup");
}

/**
 * getProjectIds' one argument: a list of lookups, each with getProjectId's rules. Anything but a list is
 * refused as such, before any item is looked at (a string's characters are no lookups).
 */
const projectLookupsSchema = z.array(projectLookupOf("each project lookup of getProjectIds"), {
  error: (issue) =>
    `getProjectIds takes a list of project lookups, e.g. [{ name: "Payments" }, { name: "Checkout", application: "Finance App" }], not ${describeKind(issue.input)}`,
});

export function checkedProjectLookups(input: unknown): ProjectLookup[] {
  return validateInput(projectLookupsSchema, input, "project lookups");
}

export function checkedConnectorLookup(input: unknown): ConnectorLookup {
  return validateInput(connectorLookupSchema, input, "connector lookup");
}
