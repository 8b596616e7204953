import { z } from "zod";
import { strictKeysError } from "../schema/unknown-keys";
import { describeIssues, describeKind } from "../schema/validation";
import { aliasField, frequencyField } from "./rules/connection";
import { isPlainObject, type Field } from "./rules/fields";
import { connectorKeysAsConnection, judgeParams, type Params, type ParamsVerdict } from "./rules/params";
import { SYSTEM_IDS, systemById } from "./rules/systems";

/**
 * The emulator's whole world as one JSON-serialisable object: what `--seed FILE` gives and what the
 * data file holds (a data file is a valid seed, so a saved state can seed another emulator).
 * Field names of records follow the API (`business_unit`, `debug_mode`, ...); the top-level collections
 * are the emulator's own.
 */

/** The permission that shows `params` and allows every write (the product's 'Edit Issue Tracker connections'). */
export const EDIT_CONNECTIONS_PERMISSION = "edit_issue_tracker_connections";
export const PERMISSIONS = [EDIT_CONNECTIONS_PERMISSION] as const;

/**
 * A record of a seed: only the fields it has, a misspelt one named with the field it was meant to be
 * (`advancedIssueTracke (did you mean advancedIssueTracker?)`) rather than a bare "unrecognized key".
 */
function seedRecord<S extends z.core.$ZodLooseShape>(shape: S) {
  const fields = Object.keys(shape);
  return z.strictObject(shape, {
    error: strictKeysError(
      fields,
      { one: "field", many: "fields" },
      `use ${fields.join(", ")}`,
      (input) => `must be an object, not ${describeKind(input)}`,
    ),
  });
}

/**
 * A rule of the API (rules/) as a zod schema: a seeded record is judged as a request would be. Typed as the
 * value it keeps, as a seed is written as the API writes it.
 */
function ruled<T>(field: Field<T>) {
  return z.custom<T>().transform((value, ctx) => {
    const verdict = field(value);
    if (verdict.ok) return verdict.value;
    for (const message of verdict.messages) ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  });
}

/** Params problems as zod issues, under the params' own path. */
function reportParams(judged: Extract<ParamsVerdict, { ok: false }>, ctx: z.RefinementCtx, at: readonly (string | number)[] = []): void {
  const { errors } = judged;
  if (Array.isArray(errors)) for (const message of errors) ctx.addIssue({ code: "custom", path: [...at], message });
  else
    for (const [key, messages] of Object.entries(errors))
      for (const message of messages as string[]) ctx.addIssue({ code: "custom", path: [...at, key], message });
}

/** A connection's own params, judged as a request's are. */
const connectionParams = z.custom<Params>().transform((value, ctx) => {
  if (!isPlainObject(value)) {
    ctx.addIssue({
      code: "custom",
      message: `must be a map of param names to values, not ${describeKind(value)}: e.g. { issue_tracker_project: "KEY" }`,
    });
    return z.NEVER;
  }
  const judged = judgeParams(value);
  if (judged.ok) return judged.value;
  reportParams(judged, ctx);
  return z.NEVER;
});

const knownSystem = z
  .string()
  .refine((s) => systemById(s) !== undefined, { message: `is not a known system: use one of ${SYSTEM_IDS.join(", ")}` });

const id = z.int({ error: "must be a positive whole number" }).positive("must be a positive whole number");
const name = z.string({ error: "must be a string" }).min(1, "must not be empty").max(255, "is too long: at most 255 characters");

/**
 * A token as an Authorization header can carry it unambiguously: 1 to 512 visible ASCII characters, no
 * spaces, no quotes (the Token keyword may wrap its token in quotes). The rule for every token the
 * emulator takes: seeded, `--token`, the control token.
 */
export const headerTokenSchema = z
  .string({ error: "must be a string" })
  .regex(/^[\x21-\x7e]{1,512}$/, "must be 1 to 512 characters of plain ASCII, without spaces")
  .refine((t) => !/["']/.test(t), "must not contain quotes");

export const tokenRecordSchema = seedRecord({
  token: headerTokenSchema,
  user: id,
  permissions: z.array(z.enum(PERMISSIONS, { error: `is not a permission: use ${PERMISSIONS.join(", ")}` })).default([]),
});

const businessUnitSchema = seedRecord({ id, name });
const applicationSchema = seedRecord({ id, name, business_unit: id });
const projectRecordSchema = seedRecord({
  id,
  name,
  slug: z.string().optional(),
  application: id,
  archived: z.boolean().default(false),
});

const connectorRecordSchema = seedRecord({
  id,
  name,
  system: knownSystem,
  inaccessible: z.boolean().default(false),
  // Stored as the connectors endpoint shows them (e.g. `sde_min_priority: "7"`, `title_format`); they are
  // checked below as a connection would use them.
  params: z
    .record(
      z.string(),
      z.union([z.string(), z.number(), z.boolean(), z.null()], {
        error: "must be a string, number, boolean or null (params hold plain values, not lists or objects)",
      }),
    )
    .default({}),
});

const connectionRecordSchema = seedRecord({
  id,
  alias: ruled(aliasField),
  connector: id,
  project: id,
  frequency: ruled(frequencyField).default("manually"),
  debug_mode: z.boolean().default(false),
  /** The connection's own params only: the rest is derived when a response is built. */
  params: connectionParams.default({}),
});

const jobRecordSchema = seedRecord({
  id,
  connection: id,
  succeeded: z.boolean(),
  ready: z.boolean(),
  automatic: z.boolean(),
  last_run: z.string().nullable(),
  result_message: z.string().nullable(),
  user: id.nullable().default(null),
  triggered_by: id.nullable().default(null),
});

const trackerSchema = seedRecord({
  system: knownSystem,
  server: name,
  method: z.enum(["http", "https"]).default("https"),
  users: z.array(seedRecord({ user: z.string(), pass: z.string() })).default([]),
  apiTokens: z.array(z.string()).default([]),
  projects: z.array(z.string()).default([]),
});

export const seedSchema = seedRecord({
  settings: seedRecord({ advancedIssueTracker: z.boolean() }).default({ advancedIssueTracker: true }),
  tokens: z.array(tokenRecordSchema).default([]),
  businessUnits: z.array(businessUnitSchema).default([]),
  applications: z.array(applicationSchema).default([]),
  projects: z.array(projectRecordSchema).default([]),
  connectors: z.array(connectorRecordSchema).default([]),
  connections: z.array(connectionRecordSchema).default([]),
  jobs: z.array(jobRecordSchema).default([]),
  trackers: z.array(trackerSchema).default([]),
  /** Ids the next created records get. Ids are never reused, as a database sequence would not. */
  nextIds: seedRecord({ connection: id.optional(), job: id.optional() }).default({}),
}).superRefine((seed, ctx) => {
  const unique = (collection: string, records: readonly { id: number }[]) => {
    const seen = new Set<number>();
    records.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: "custom", path: [collection, i, "id"], message: `duplicate id ${r.id}` });
      seen.add(r.id);
    });
    return seen;
  };
  const refs = <T>(collection: string, records: readonly T[], field: keyof T & string, targets: Set<number>, what: string) =>
    records.forEach((r, i) => {
      const value = r[field];
      if (typeof value === "number" && !targets.has(value)) {
        ctx.addIssue({ code: "custom", path: [collection, i, field], message: `Invalid pk "${value}" - no ${what} has this id` });
      }
    });
  const bus = unique("businessUnits", seed.businessUnits);
  const apps = unique("applications", seed.applications);
  const projects = unique("projects", seed.projects);
  const connectors = unique("connectors", seed.connectors);
  const connections = unique("connections", seed.connections);
  unique("jobs", seed.jobs);
  refs("applications", seed.applications, "business_unit", bus, "business unit");
  refs("projects", seed.projects, "application", apps, "application");
  refs("connections", seed.connections, "connector", connectors, "connector");
  refs("connections", seed.connections, "project", projects, "project");
  refs("jobs", seed.jobs, "connection", connections, "connection");

  const tokens = new Set<string>();
  seed.tokens.forEach((t, i) => {
    if (tokens.has(t.token)) ctx.addIssue({ code: "custom", path: ["tokens", i, "token"], message: "duplicate token" });
    tokens.add(t.token);
  });

  // A connector's params must be usable as a connection's: the same rules judge both.
  seed.connectors.forEach((connector, i) => {
    const judged = judgeParams(connectorKeysAsConnection(connector.params));
    if (!judged.ok) reportParams(judged, ctx, ["connectors", i, "params"]);
  });
});

/** A seed as written (defaults may be left out). */
export type SeedData = z.input<typeof seedSchema>;
type ParsedSeed = z.output<typeof seedSchema>;

export type TokenRecord = ParsedSeed["tokens"][number];
export type BusinessUnitRecord = ParsedSeed["businessUnits"][number];
export type ApplicationRecord = ParsedSeed["applications"][number];
export type ProjectRecord = ParsedSeed["projects"][number];
export type ConnectorRecord = ParsedSeed["connectors"][number];
export type ConnectionRecord = ParsedSeed["connections"][number];
export type JobRecord = ParsedSeed["jobs"][number];
export type TrackerRecord = ParsedSeed["trackers"][number];

/** The emulator's state: a parsed seed whose next ids are known. */
export interface State extends Omit<ParsedSeed, "nextIds"> {
  nextIds: { connection: number; job: number };
}

/** Thrown for a seed or data file that does not fit {@link seedSchema}; the message names every bad field. */
export class InvalidSeedError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid emulator seed: ${problems.join("; ")}`);
    this.name = "InvalidSeedError";
  }
}

/**
 * Validates a seed and turns it into a fresh state (no object shared with `input`). `source` names the
 * input in error messages ("seed file x.json", "data file y.json").
 */
export function parseSeed(input: unknown, source: string): State {
  const parsed = seedSchema.safeParse(input);
  if (!parsed.success) throw new InvalidSeedError(source, describeIssues(parsed.error));
  const seed = structuredClone(parsed.data);
  const nextAfter = (records: readonly { id: number }[]) => records.reduce((max, r) => Math.max(max, r.id), 0) + 1;
  return {
    ...seed,
    // A stale or missing next id is raised past the records, so a created record never takes a used id.
    nextIds: {
      connection: Math.max(seed.nextIds.connection ?? 1, nextAfter(seed.connections)),
      job: Math.max(seed.nextIds.job ?? 1, nextAfter(seed.jobs)),
    },
  };
}
