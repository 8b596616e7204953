/** At most this many candidates are named in a message: a server can have thousands of projects. */
export const MAX_CANDIDATES = 20;

/** One collator for every sort: `localeCompare` would set one up per comparison. */
const byName = new Intl.Collator();

/**
 * The names to offer for a name that matched nothing: distinct, those that look like it (containing it or
 * contained in it, ignoring case: a typo of case, a partial name) first, then the rest by name.
 */
export function candidateNames(names: readonly string[], given: string | undefined): string[] {
  const distinct = [...new Set(names)].sort(byName.compare);
  if (given === undefined) return distinct;
  const g = given.toLowerCase();
  const alike = (n: string) => n.toLowerCase().includes(g) || g.includes(n.toLowerCase());
  return [...distinct.filter(alike), ...distinct.filter((n) => !alike(n))];
}

/** `"A", "B" and 3 more`, quoted, capped at MAX_CANDIDATES; `none` for an empty list. */
export function quotedList(names: readonly string[]): string {
  return names.length === 0 ? "none" : offeredList(names.map((n) => JSON.stringify(n)));
}

/** Items (already formatted) joined by commas, capped at MAX_CANDIDATES: `a, b and 3 more`. */
export function offeredList(items: readonly string[]): string {
  const shown = items.slice(0, MAX_CANDIDATES);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/** Descriptions (already formatted) joined, capped at MAX_CANDIDATES. */
export function describedList(items: readonly string[]): string {
  const shown = items.slice(0, MAX_CANDIDATES);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join("; ")}; and ${more} more` : shown.join("; ");
}
