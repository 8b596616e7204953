import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { booleanSchema } from "../schema/boolean";
import { aliasSchema } from "../schema/connection";
import { frequencySchema, type Frequency } from "../schema/frequency";
import { idSchema } from "../schema/ids";
import { connectorReferenceSchema, projectReferenceSchema, type ConnectorReference, type ProjectReference } from "../lookups/references";
import { declaredParamsSchema } from "../schema/declared-params";
import type { ConnectionParams } from "../schema/params";
import { isSecretParamKey } from "../schema/secrets";
import { strictKeysError } from "../schema/unknown-keys";
import { describeKind, issuePath } from "../schema/validation";
import { resourceNameFor } from "./naming";

/**
 * A catalogue of Issue Tracker Connections in YAML: `defaults` shared by every entry, and one entry per
 * connection (typically one per SD Elements project). An entry's fields override the defaults; its params
 * and credentials are merged over the defaults' key by key.
 *
 * ```yaml
 * defaults:
 *   connector: Jira Connector          # or { system: jira }, or its id
 *   frequency: daily
 *   params: { issue_tracker_server: jira.example.com, issue_tracker_title_format: "$task_id $title" }
 *   credentials: { issue_tracker_pass: jiraPassword }     # param → stack config secret
 * connections:
 *   - project: Payments                # or { name: Payments, application: Finance App }, or its id
 *     alias: Payments Jira
 *     params: { issue_tracker_project: PAY }
 * ```
 *
 * Projects and connectors named rather than numbered are resolved to their ids by resolveCatalogue,
 * when the program runs: one listing of the projects for the whole catalogue, one lookup per distinct
 * connector.
 *
 * Credentials are never written in a catalogue: `credentials` names the stack config secret that holds
 * each (`pulumi config set --secret jiraPassword`). Every field is checked with the package's own schemas,
 * and a bad one is reported naming the entry and the field.
 */

const boolean = booleanSchema;

/** A stack config key in the program's own namespace. */
const configKeySchema = z
  .string({ error: "must be the name of a stack config secret, e.g. jiraPassword" })
  .regex(/^[A-Za-z0-9_.-]+$/, "must be a stack config key (letters, digits, '.', '-' and '_'; no namespace), e.g. jiraPassword");

const credentialsSchema = z
  .record(z.string(), configKeySchema, {
    error: (iss) =>
      `must map each credential param to the stack config secret holding it, e.g. { issue_tracker_pass: jiraPassword }, not ${describeKind(iss.input)}`,
  })
  .superRefine((credentials, ctx) => {
    for (const key of Object.keys(credentials).filter((k) => !isSecretParamKey(k))) {
      ctx.addIssue({ code: "custom", path: [key], message: "is not a credential: put it under params, with its value" });
    }
  });

/** Params with a value each; a credential's value in the file is refused before anything else is checked. */
const paramsSchema = z
  .record(z.string(), z.unknown(), {
    error: (iss) => `must be a map of param names to values, e.g. { issue_tracker_project: PAY }, not ${describeKind(iss.input)}`,
  })
  .superRefine((params, ctx) => {
    for (const key of Object.keys(params).filter(isSecretParamKey)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `is a credential: never write one in the catalogue. Under credentials, name the stack config secret holding it (credentials: { ${key}: <config key> }) and set it with \`pulumi config set --secret <config key>\``,
      });
    }
  })
  .pipe(declaredParamsSchema);

const SHARED_FIELDS = ["connector", "frequency", "debugMode", "testConnection", "params", "credentials"] as const;
const ENTRY_FIELDS = ["name", "alias", "project", "adoptId", ...SHARED_FIELDS] as const;

const sharedShape = {
  connector: connectorReferenceSchema.optional(),
  frequency: frequencySchema.optional(),
  debugMode: boolean.optional(),
  testConnection: boolean.optional(),
  params: paramsSchema.optional(),
  credentials: credentialsSchema.optional(),
};

/** The error of a map of fields: unknown ones named with the closest field and the fields it takes, or not a map at all. */
const unknownFields = (fields: readonly string[], what: string) =>
  strictKeysError(
    fields,
    { one: "field", many: "fields" },
    `use ${fields.join(", ")}`,
    (input) => `must be ${what}, not ${describeKind(input)}`,
  );

/** A Pulumi resource name: also the first part of config keys the exporter writes, so no `.` or `:`. */
const resourceNameSchema = z
  .string({ error: "must be a resource name, e.g. payments-jira" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "must be a resource name of letters, digits, '-' and '_' (at most 100), e.g. payments-jira");

export const catalogueEntrySchema = z.strictObject(
  {
    name: resourceNameSchema.optional(),
    alias: aliasSchema,
    project: projectReferenceSchema,
    adoptId: idSchema("existing connection to bring under management").optional(),
    ...sharedShape,
  },
  { error: unknownFields(ENTRY_FIELDS, "a map of fields, at least alias and project") },
);

export const catalogueSchema = z.strictObject(
  {
    defaults: z
      .strictObject(sharedShape, {
        error: unknownFields(SHARED_FIELDS, `a map of fields shared by every entry (${SHARED_FIELDS.join(", ")})`),
      })
      .optional(),
    connections: z.array(catalogueEntrySchema, {
      error: (iss) =>
        `${iss.input === undefined ? "is required: a list" : "must be a list"} of connections, each with at least alias and project`,
    }),
  },
  { error: unknownFields(["defaults", "connections"], "a map with connections (a list) and, optionally, defaults") },
);

/** A catalogue as written in the file (what the exporter produces). */
export type CatalogueFile = z.input<typeof catalogueSchema>;

/**
 * One connection of a catalogue, defaults applied: the arguments of one IssueTrackerConnection, its
 * project and connector by id or by name (see resolveCatalogue).
 */
export interface CatalogueConnection<Project = ProjectReference, Connector = ConnectorReference> {
  /**
   * The resource name: the entry's `name`, else derived from project and alias (`p12-payments-jira`, or
   * for a project named, `payments-payments-jira`): never from what the server answers.
   */
  name: string;
  alias: string;
  connector: Connector;
  project: Project;
  frequency?: Frequency | undefined;
  debugMode?: boolean | undefined;
  testConnection?: boolean | undefined;
  adoptId?: number | undefined;
  /** Plain params (never a credential). */
  params: ConnectionParams;
  /** Credential param → stack config secret key. */
  credentials: Record<string, string>;
}

/**
 * The connections resolveCatalogue takes: what loadCatalogue and parseCatalogue return, or a list a
 * program builds in that shape. Checked with the entries' own rules (a credential in params, a misspelt
 * field, a name that is no resource name), so a list made by hand is told what a file would be.
 */
const present = <S extends z.ZodType>(schema: S, what: string) => schema.optional().nonoptional({ error: `is required: ${what}` });
const catalogueConnectionSchema = catalogueEntrySchema.extend({
  name: present(resourceNameSchema, "the resource name, e.g. payments-jira"),
  connector: present(connectorReferenceSchema, 'the connector\'s id or name, e.g. 1 or "Jira Connector"'),
  params: present(paramsSchema, "a map of param names to values ({} for none)"),
  credentials: present(credentialsSchema, "a map of credential params to stack config secrets ({} for none)"),
});
const catalogueConnectionsSchema = z.array(catalogueConnectionSchema, {
  error: (issue) =>
    `must be a list of connections, as loadCatalogue and parseCatalogue return them (each with name, alias, project, connector, params and credentials), not ${describeKind(issue.input)}`,
});

/** `connections` checked, each problem naming the entry and the field; `CatalogueError` (from `source`) if any. */
export function checkedCatalogueConnections(connections: unknown, source: string): CatalogueConnection[] {
  const parsed = catalogueConnectionsSchema.safeParse(connections);
  if (parsed.success) return parsed.data as CatalogueConnection[];
  const raw = { connections };
  throw new CatalogueError(
    source,
    parsed.error.issues.map((issue) => `${where(["connections", ...issue.path], raw)}${issue.message}`),
  );
}

/** A catalogue that cannot be used: every problem, each naming the entry and the field. */
export class CatalogueError extends Error {
  override readonly name = "CatalogueError";
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`}`,
    );
  }
}

/** Reads and checks a catalogue file; `CatalogueError` if it cannot be read or used. */
export function loadCatalogue(path: string): CatalogueConnection[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CatalogueError(path, [`cannot read the catalogue (${code}): create it, or point the program's "catalogue" config at it`]);
  }
  return parseCatalogue(text, path);
}

/** The connections a catalogue declares, defaults applied; `source` names the file in errors. */
export function parseCatalogue(text: string, source: string): CatalogueConnection[] {
  // prettyErrors off: a pretty error quotes the offending line, which may hold a pasted password. The
  // position comes from a line counter instead.
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    throw new CatalogueError(
      source,
      document.errors.map((e) => {
        const at = lines.linePos(e.pos[0]);
        return `line ${at.line}, column ${at.col}: ${e.message.split("\n")[0]}`;
      }),
    );
  }
  const raw: unknown = document.toJS({ maxAliasCount: 100 });
  const parsed = catalogueSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new CatalogueError(
      source,
      parsed.error.issues.map((issue) => `${where(issue.path, raw)}${issue.message}`),
    );
  }
  const connections = parsed.data.connections.map((entry) => withDefaults(entry, parsed.data.defaults ?? {}));
  const problems = crossEntryProblems(connections, parsed.data.connections, raw);
  if (problems.length > 0) throw new CatalogueError(source, problems);
  return connections;
}

type Entry = z.output<typeof catalogueEntrySchema>;
type Defaults = NonNullable<z.output<typeof catalogueSchema>["defaults"]>;

function withDefaults(entry: Entry, defaults: Defaults): CatalogueConnection {
  return {
    name: entry.name ?? resourceNameFor(entry.project, entry.alias),
    alias: entry.alias,
    // Checked by crossEntryProblems: an entry without a connector of its own or a default is reported.
    connector: (entry.connector ?? defaults.connector) as ConnectorReference,
    project: entry.project,
    frequency: entry.frequency ?? defaults.frequency,
    debugMode: entry.debugMode ?? defaults.debugMode,
    testConnection: entry.testConnection ?? defaults.testConnection,
    adoptId: entry.adoptId,
    params: { ...defaults.params, ...entry.params },
    credentials: { ...defaults.credentials, ...entry.credentials },
  };
}

/** What only the whole catalogue shows: a missing connector, two entries with one name or one adoptId. */
function crossEntryProblems(connections: readonly CatalogueConnection[], entries: readonly Entry[], raw: unknown): string[] {
  const problems: string[] = [];
  const byName = new Map<string, number>();
  const byAdoptId = new Map<number, number>();
  connections.forEach((c, i) => {
    const at = where(["connections", i], raw);
    if (c.connector === undefined) problems.push(`${at}connector: is required: set it on the entry or under defaults`);
    const sameName = byName.get(c.name);
    if (sameName !== undefined) {
      const how =
        entries[i]?.name === undefined
          ? ` (derived from project and alias; give one of them a distinct "name")`
          : `: give it a distinct "name"`;
      problems.push(`${at}name: "${c.name}" is also the name of ${label(sameName, raw)}${how}`);
    } else {
      byName.set(c.name, i);
    }
    if (c.adoptId !== undefined) {
      const sameId = byAdoptId.get(c.adoptId);
      if (sameId !== undefined)
        problems.push(`${at}adoptId: connection ${c.adoptId} is already adopted by ${label(sameId, raw)}: one connection, one entry`);
      else byAdoptId.set(c.adoptId, i);
    }
  });
  return problems;
}

/** `connections[3] ("Payments Jira", project 12): params.x: ` for an entry's field, `defaults: params.x: `. */
function where(path: readonly PropertyKey[], raw: unknown): string {
  const [section, index] = path;
  const [owner, rest] =
    section === "connections" && typeof index === "number"
      ? [label(index, raw), path.slice(2)]
      : section === "defaults" && path.length > 1
        ? ["defaults", path.slice(1)]
        : [undefined, path];
  return [owner, rest.length > 0 ? issuePath(rest) : undefined]
    .filter((part) => part !== undefined)
    .map((part) => `${part}: `)
    .join("");
}

function label(index: number, raw: unknown): string {
  const entry = (raw as { connections?: unknown[] } | null)?.connections?.[index] as Record<string, unknown> | undefined;
  const alias = typeof entry?.alias === "string" ? JSON.stringify(entry.alias) : undefined;
  const project =
    typeof entry?.project === "number"
      ? `project ${entry.project}`
      : typeof entry?.project === "string"
        ? `project ${JSON.stringify(entry.project)}`
        : typeof (entry?.project as { name?: unknown } | undefined)?.name === "string"
          ? `project ${JSON.stringify((entry!.project as { name: string }).name)}`
          : undefined;
  const about = [alias, project].filter(Boolean).join(", ");
  return `connections[${index}]${about ? ` (${about})` : ""}`;
}
