import { Document } from "yaml";
import type { Frequency } from "../schema/frequency";
import type { Params } from "../schema/params";
import type { AdoptedConnection, AdoptionPlan } from "./adoption-plan";
import type { CatalogueFile } from "./catalogue";
import { generatedBy, NO_TEST_REASON } from "./generated-notes";
import { commentText } from "./source-text";

/** The file name of an exported catalogue. */
export const CATALOGUE_FILE = "catalogue.yaml";

type Entry = CatalogueFile["connections"][number];
type Defaults = NonNullable<CatalogueFile["defaults"]>;

/**
 * The plan as a catalogue (see catalogue.ts) for examples/at-scale: one entry per connection with its
 * name, id and exact settings. What every entry shares (a param with one value everywhere, one connector,
 * frequency or debug mode) moves to `defaults`, which gives each entry back exactly what it had.
 */
export function catalogueYaml(plan: AdoptionPlan, server: string): string {
  const { defaults, hoisted } = sharedDefaults(plan.connections);
  const connections = plan.connections.map((c) => entry(c, hoisted));
  const file: CatalogueFile = { defaults, connections };
  const document = new Document(file);
  document.commentBefore = [
    ...generatedBy(server, plan.connections.length),
    "",
    ...NO_TEST_REASON,
    "testConnection: true on an entry, or under defaults for all.",
  ]
    .map((l) => ` ${commentText(l)}`.trimEnd())
    .join("\n");
  // No line folding: a long alias or param stays on one line, as it is on the server.
  return document.toString({ lineWidth: 0 });
}

/** What moved to `defaults`: the field names, and the params with their one shared value. */
interface Hoisted {
  fields: Set<"connector" | "frequency" | "debugMode">;
  params: Params;
}

function sharedDefaults(connections: readonly AdoptedConnection[]): { defaults: Defaults; hoisted: Hoisted } {
  const defaults: Defaults = { testConnection: false };
  const hoisted: Hoisted = { fields: new Set(), params: {} };
  // One connection has nothing to share, and its entry reads better whole.
  if (connections.length < 2) return { defaults, hoisted };
  const [first, ...rest] = connections as [AdoptedConnection, ...AdoptedConnection[]];
  for (const field of ["connector", "frequency", "debugMode"] as const) {
    if (rest.every((c) => c[field] === first[field])) hoisted.fields.add(field);
  }
  if (hoisted.fields.has("connector")) defaults.connector = first.connector;
  if (hoisted.fields.has("frequency")) defaults.frequency = first.frequency as Frequency;
  if (hoisted.fields.has("debugMode")) defaults.debugMode = first.debugMode;
  for (const [key, value] of Object.entries(first.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (rest.every((c) => key in c.params && c.params[key] === value)) hoisted.params[key] = value;
  }
  if (Object.keys(hoisted.params).length > 0) defaults.params = hoisted.params as Defaults["params"];
  return { defaults, hoisted };
}

function entry(c: AdoptedConnection, hoisted: Hoisted): Entry {
  const params = Object.fromEntries(Object.entries(c.params).filter(([key]) => !(key in hoisted.params)));
  return {
    name: c.name,
    alias: c.alias,
    project: c.project,
    adoptId: c.id,
    ...(hoisted.fields.has("connector") ? {} : { connector: c.connector }),
    // Server data: a value the schema refuses is listed among the export's problems.
    ...(hoisted.fields.has("frequency") ? {} : { frequency: c.frequency as Frequency }),
    ...(hoisted.fields.has("debugMode") ? {} : { debugMode: c.debugMode }),
    ...(Object.keys(params).length > 0 ? { params: params as Entry["params"] } : {}),
    ...(Object.keys(c.credentials).length > 0 ? { credentials: c.credentials } : {}),
  };
}
