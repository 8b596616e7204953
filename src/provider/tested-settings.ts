/**
 * When the preview's connection test need not run again: the settings it depends on are the stored ones
 * (an unchanged connection), or the same tracker settings were tested already (testedSettingsText: by
 * another connection of this deployment, or in the preview before this update; see remembered-tests.ts).
 */

/**
 * The inputs the connection test depends on: a change to any of them re-runs the test in preview (with
 * `adoptId`, the test starts from that connection's own params).
 */
type TestedSettings = Partial<Record<"connector" | "project" | "params" | "adoptId", unknown>>;

/**
 * Whether two sets of inputs agree on everything the connection test depends on. Checked inputs hold
 * plain scalars in params, so a key-by-key comparison is exact (and far cheaper than serialising both).
 */
export function sameTestedSettings(a: TestedSettings, b: TestedSettings): boolean {
  if (a.connector !== b.connector || a.project !== b.project || a.adoptId !== b.adoptId) return false;
  const left = (a.params ?? {}) as Record<string, unknown>;
  const right = (b.params ?? {}) as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && left[key] === right[key]);
}

/**
 * What one connection test tells about a tracker, as one text (param keys sorted: equal settings, equal
 * text): the connector, the params (the tracker's server, the credentials, the tracker project...) and an
 * adopted connection's id (its own params are the test's base). Not the SD Elements project or the alias:
 * fifty connections of fifty projects to one tracker project with one account are one test. (The project
 * only adds its names to the params the test sees; that it exists is the create's to find.)
 */
export function testedSettingsText(inputs: TestedSettings): string {
  const params = (inputs.params ?? {}) as Record<string, unknown>;
  const sorted = Object.keys(params)
    .sort()
    .map((key) => [key, params[key]]);
  return JSON.stringify([inputs.connector, sorted, inputs.adoptId ?? null]);
}
