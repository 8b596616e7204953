/**
 * During preview, inputs that depend on resources not yet created arrive as this placeholder string
 * (`pulumi.runtime.unknownValue`), at top level or nested. It is not data: never validate it, compare it
 * or send it to the API. Defined here rather than imported so the provider's host-side code stays light;
 * a test keeps it equal to the SDK's.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether `value` is, or contains, an unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * `value` with every unknown removed (object keys dropped, list items kept as undefined), and the dotted
 * paths where they were, so validation can skip what is not known yet.
 */
export function withoutUnknowns(value: unknown, path = ""): { known: unknown; unknownPaths: string[] } {
  // Outside previews there are none: a read-only walk then spares copying every object.
  return containsUnknown(value) ? splitUnknowns(value, path) : { known: value, unknownPaths: [] };
}

function splitUnknowns(value: unknown, path: string): { known: unknown; unknownPaths: string[] } {
  if (value === UNKNOWN) return { known: undefined, unknownPaths: [path] };
  if (value === null || typeof value !== "object") return { known: value, unknownPaths: [] };
  const unknownPaths: string[] = [];
  const visit = (v: unknown, p: string) => {
    const inner = splitUnknowns(v, p);
    unknownPaths.push(...inner.unknownPaths);
    return inner.known;
  };
  const child = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) return { known: value.map((v, i) => visit(v, child(i))), unknownPaths };
  const known: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === UNKNOWN) unknownPaths.push(child(key));
    else known[key] = visit(v, child(key));
  }
  return { known, unknownPaths };
}
