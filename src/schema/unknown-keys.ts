/**
 * Refusing keys a map does not take, with the known key a misspelt one was probably meant to be. A key
 * that is not refused is silently dropped somewhere (the resource class, a spread, the server), and the
 * setting it was meant to make never happens: `frequncy: "daily"` would sync manually for ever. Every
 * place that refuses unknown keys (the resource's arguments, the catalogue, the functions' and the
 * client's arguments, the emulator's options and seed, the command lines' options) says it this way.
 */

/**
 * Edit distance with adjacent swaps (optimal string alignment): `alais` is one step from `alias`, as a
 * typist would count it. Bounded inputs only (key names), so the quadratic table is small.
 */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** Case and word separators do not count: `debug_mode`, `DebugMode` and `debug-mode` all mean `debugMode`. */
const folded = (name: string) => name.toLowerCase().replace(/[_\-\s]/g, "");

/**
 * The known name `given` was most likely meant to be: the same name spelt with other case or
 * separators, or one within a third of its length in edits (at least one). Undefined when none is
 * that close: a wild guess would mislead more than no guess.
 */
export function closestName(given: string, known: readonly string[]): string | undefined {
  const target = folded(given);
  if (target === "" || given.length > 128) return undefined;
  const limit = Math.max(1, Math.floor(target.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    if (name === given) continue;
    const distance = editDistance(target, folded(name));
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** `frequncy (did you mean frequency?)`, or the key alone when no known one is close. */
export function withSuggestion(key: string, known: readonly string[], prefix = ""): string {
  const closest = closestName(key, known);
  return closest === undefined ? `${prefix}${key}` : `${prefix}${key} (did you mean ${prefix}${closest}?)`;
}

/** How a kind of map names its keys, for messages: `{ one: "argument", many: "arguments" }`. */
export interface KeyNoun {
  one: string;
  many: string;
}

/**
 * The message for keys a map does not take: `unknown argument frequncy (did you mean frequency?):
 * an IssueTrackerConnection takes alias, connector, ...`. `takes` lists what it does take.
 */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[], noun: KeyNoun, takes: string): string {
  const named = keys.map((key) => withSuggestion(key, known)).join(", ");
  return `unknown ${keys.length === 1 ? noun.one : noun.many} ${named}: ${takes}`;
}

/** `a, b and c`. */
export function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * A zod error callback for a strict object: unknown keys named with the closest known one, anything
 * else (not an object at all) `otherwise`.
 */
export function strictKeysError(
  known: readonly string[],
  noun: KeyNoun,
  takes: string,
  otherwise: string | ((input: unknown) => string),
): (issue: { code?: string; keys?: string[]; input?: unknown }) => string {
  return (issue) =>
    issue.code === "unrecognized_keys"
      ? unknownKeysMessage(issue.keys ?? [], known, noun, takes)
      : typeof otherwise === "string"
        ? otherwise
        : otherwise(issue.input);
}

/** The keys of `given` that are not in `known` (own, enumerable keys; `given` may be anything). */
export function unknownKeysOf(given: unknown, known: readonly string[]): string[] {
  if (given === null || typeof given !== "object") return [];
  return Object.keys(given).filter((key) => !known.includes(key));
}
