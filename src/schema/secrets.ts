/**
 * Which params hold credentials. The API returns them in clear to holders of the
 * 'Edit Issue Tracker connections' permission, so everything that stores, prints or logs params
 * asks this one function which values to hide.
 */

// Words that mark a credential when they are a whole `_`-separated segment of the key. Whole segments,
// so `bypass_cert_validation` (which contains "pass") is not a secret while `issue_tracker_pass` is.
const SECRET_SEGMENTS = new Set(["pass", "passwd", "password", "passphrase", "token", "secret", "credential", "credentials", "apikey"]);
// Two-segment names that are credentials although neither word is on its own.
const SECRET_PAIRS = new Set(["api_key", "private_key", "access_key"]);
// Words run together (`apitoken`, `clientsecret`, `jirapassword`) end in one of these.
const SECRET_ENDINGS = [
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "apikey",
  "privatekey",
  "accesskey",
  "secretkey",
  "credential",
  "credentials",
];

export function isSecretParamKey(key: string): boolean {
  let secret = decided.get(key);
  if (secret === undefined) {
    // camelCase counts as separate words too: `issue_tracker_accessToken` is `access` + `token`.
    const segments = key
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    secret = segments.some(
      (segment, i) =>
        SECRET_SEGMENTS.has(segment) ||
        SECRET_ENDINGS.some((ending) => segment.endsWith(ending)) ||
        (i > 0 && SECRET_PAIRS.has(`${segments[i - 1]}_${segment}`)),
    );
    // Param keys are few and asked about on every operation; remember the answer (bounded, in case of
    // a program that makes up keys).
    if (decided.size < 10_000) decided.set(key, secret);
  }
  return secret;
}

const decided = new Map<string, boolean>();

/** The values of a params map's credential keys (numbers as text too), for redaction. */
export function secretParamValues(params: unknown): string[] {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return [];
  // A plain loop: this runs for every request that carries params, and usually finds one value or none.
  const values: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if ((typeof value === "string" || typeof value === "number") && isSecretParamKey(key)) {
      const text = String(value);
      if (text.length > 0) values.push(text);
    }
  }
  return values;
}

/** What stands in for a hidden value in every message and log line of this package. */
export const REDACTED = "[redacted]";

/**
 * The forms a credential can come back in from a server, a proxy or a log, each hidden like the value
 * itself: as sent; trimmed (DRF trims strings before it judges them); JSON-escaped (a request body echoed
 * as raw JSON text shows `"` and `\` escaped, and non-ASCII as \u escapes with Python's default
 * encoder); URL-encoded (a query, a form, a URL path, with upper- or lower-case hex); HTML-escaped (an error
 * page). A value used as a field-error key is covered by {@link redactDeep}, which redacts keys too.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const value of new Set([secret, secret.trim()])) {
    if (value === "") continue;
    const json = JSON.stringify(value).slice(1, -1);
    forms
      .add(value)
      .add(json)
      .add(json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    forms.add(encodeURIComponent(value)).add(new URLSearchParams({ v: value }).toString().slice(2));
    // What a URL parser does to a path: only these printable characters are escaped there.
    forms.add(value.replace(/[ "<>`{}]/g, percentEncoded));
    forms.add(value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c));
  }
  for (const form of [...forms]) {
    if (/%[0-9A-F]{2}/.test(form)) forms.add(form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  }
  return [...forms];
}

const percentEncoded = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

/**
 * `text` with every occurrence of each secret, in each of its {@link secretForms}, replaced by
 * {@link REDACTED}, longest first so a secret that contains another is hidden whole. A short secret (the
 * API page's own example password is "id") is replaced where it stands alone, not inside longer words, so
 * "Invalid" stays readable while `"id"` does not.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const forms = new Set<string>();
  for (const secret of secrets) if (secret) for (const form of secretForms(secret)) forms.add(form);
  for (const secret of [...forms].sort((a, b) => b.length - a.length)) {
    if (secret.length >= SHORT_SECRET) {
      out = out.split(secret).join(REDACTED);
    } else {
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      // `_` counts as part of a word: the example password "id" must not turn `$task_id` into nonsense.
      out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, "g"), REDACTED);
    }
  }
  return out;
}

const SHORT_SECRET = 6;

/**
 * `value` with {@link redact} applied to every string inside it, keys included (a server may use a value it
 * refuses as the key of its field error); objects and arrays are copied.
 */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secrets), redactDeep(v, secrets)])) as T;
  }
  return value;
}
