/**
 * Pulumi resource names and config keys for connections, derived from what identifies a connection to a
 * person (its project and alias). Deterministic, and as stable as that allows: a name follows its alias,
 * so renaming a connection in SD Elements renames its resource in the next export (see the README: a
 * re-export is for a new stack, not to be applied over one that already adopted the connections).
 */

/** Longest alias part of a name: Pulumi URNs stay readable, and aliases may be 255 characters long. */
const MAX_ALIAS_SLUG = 48;

/** What stands in for an alias with no letter or digit a name can use (an alias in another script). */
const FALLBACK_SLUG = "connection";

/**
 * A name part from free text: lower-case ASCII letters and digits, words joined by `-`. Accents are dropped
 * rather than the letters ("Équipe" → "equipe"). Never contains `_`, which {@link assignResourceNames}
 * keeps for its id suffix.
 */
export function slug(text: string): string {
  const ascii = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const words = ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return words.slice(0, MAX_ALIAS_SLUG).replace(/-+$/, "") || FALLBACK_SLUG;
}

/**
 * The resource name of a connection: its project id and its alias, e.g. `p12-payments-jira`. The project's
 * id rather than its name, because a name can be renamed in SD Elements, and a resource whose name
 * changes is deleted and created again by Pulumi. A catalogue entry that names its project rather than
 * numbering it gets the name it wrote (`payments-payments-jira`): what the file says, not what a server
 * answers, so the name changes only when the file does.
 */
export function resourceNameFor(project: number | { name: string }, alias: string): string {
  return typeof project === "number" ? `p${project}-${slug(alias)}` : `${slug(project.name)}-${slug(alias)}`;
}

export interface NamedConnection {
  id: number;
  project: number;
  alias: string;
}

/**
 * A unique resource name for every connection, by id. Where derived names collide (two aliases that differ
 * only in case or punctuation, or the same alias twice in a project), the oldest connection (lowest id)
 * keeps the plain name and the others get their id appended after `_`: a newer look-alike never renames
 * the resource of the one that was there first. Derived names never contain `_` and ids are unique, so a
 * suffixed name collides with nothing.
 */
export function assignResourceNames(connections: readonly NamedConnection[]): Map<number, string> {
  const byName = new Map<string, NamedConnection[]>();
  for (const connection of connections) {
    const name = resourceNameFor(connection.project, connection.alias);
    byName.set(name, [...(byName.get(name) ?? []), connection]);
  }
  const names = new Map<number, string>();
  for (const [name, group] of byName) {
    const oldest = Math.min(...group.map((c) => c.id));
    for (const connection of group) names.set(connection.id, connection.id === oldest ? name : `${name}_${connection.id}`);
  }
  return names;
}

/**
 * The stack config key that holds one credential of one resource: `<resource name>.<param>`, e.g.
 * `p12-payments-jira.issue_tracker_pass`. One key per connection and credential, so rotating one
 * connection's password touches no other, and the export reveals nothing about which connections share
 * a password. Resource names contain no `.`, so two resources never share a key.
 */
export function credentialConfigKey(resourceName: string, param: string): string {
  return `${resourceName}.${param}`;
}

/** Orders connections as every export lists them: by project, then alias (by code unit, not locale), then id. */
export function compareConnections(a: NamedConnection, b: NamedConnection): number {
  if (a.project !== b.project) return a.project - b.project;
  if (a.alias !== b.alias) return a.alias < b.alias ? -1 : 1;
  return a.id - b.id;
}
