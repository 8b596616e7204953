/**
 * Server data written into generated source: every value goes through these, so no alias, project name
 * or param can break out of its string or comment, whatever characters the server holds.
 */

/** A TypeScript string literal (JSON's escaping is valid TypeScript). */
export function tsString(value: string): string {
  return JSON.stringify(value);
}

/** A TypeScript literal for a param value: string, number, boolean or null. */
export function tsLiteral(value: string | number | boolean | null): string {
  return typeof value === "string" ? tsString(value) : String(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An object literal key. `__proto__` is written computed, since a plain `__proto__:` in an object literal
 * sets the prototype instead of a property.
 */
export function tsKey(key: string): string {
  if (key === "__proto__") return `[${tsString(key)}]`;
  return IDENTIFIER.test(key) ? key : tsString(key);
}

/** Text for a `//` comment: one line, with no control or line-separator character. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}
