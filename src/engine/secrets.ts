/**
 * Secrets on the wire, as the Pulumi engine encodes them between programs, providers and the state:
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": ...}`.
 * This local engine keeps its state view in that form, so a test can see exactly what would be stored
 * encrypted and what in plain text.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Envelope = { [SIG_KEY]: typeof SECRET_SIG; value: unknown };

export function isSecret(value: unknown): value is Envelope {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function makeSecret(value: unknown): unknown {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/**
 * The plain values a provider that does not accept secrets receives (this host answers Configure with
 * acceptSecrets=false, so the engine unwraps every envelope before calling it).
 */
export function stripSecrets(value: unknown): unknown {
  return mapSecrets(value, (envelope) => stripSecrets(envelope.value));
}

/** `value` with every secret envelope (any object with the secret signature) replaced by `replace`'s result. */
export function mapSecrets(value: unknown, replace: (envelope: Record<string, unknown>) => unknown): unknown {
  if (isSecret(value)) return replace(value as Record<string, unknown>);
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, replace));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, replace)]));
  }
  return value;
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

/**
 * The engine's `annotateSecrets(outs, ins)` (pkg/resource/plugin/provider_plugin.go), applied to what a
 * provider that does not accept secrets returns, ported rule for rule: where output and input are both
 * objects it recurses (so one secret does not taint a whole structure); otherwise an output whose input of
 * the same key contains any secret becomes secret whole (an array with one secret input item included).
 */
export function annotateSecrets(outs: Record<string, unknown>, ins: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!ins) return outs;
  const result: Record<string, unknown> = { ...outs };
  for (const [key, input] of Object.entries(ins)) {
    if (!(key in result)) continue;
    const output = result[key];
    if (isPlainObject(output) && isPlainObject(input)) {
      result[key] = annotateSecrets(output, input);
    } else if (!isSecret(output) && containsSecret(input)) {
      result[key] = makeSecret(output);
    }
  }
  return result;
}

/** The `additionalSecretOutputs` resource option: these top-level outputs are stored secret. */
export function markSecretOutputs(outs: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const result = { ...outs };
  for (const name of names) if (name in result) result[name] = makeSecret(result[name]);
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !isSecret(value);
}

/**
 * Where in `value` any of `needles` shows in plain text (outside secret envelopes): the paths, for leak
 * checks of a state view or any output.
 */
export function plaintextOccurrences(value: unknown, needles: readonly string[], path = "$"): string[] {
  if (isSecret(value)) return [];
  if (typeof value === "string") return needles.some((n) => n && value.includes(n)) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => plaintextOccurrences(v, needles, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(needles.some((n) => n && k.includes(n)) ? [`${path}.${k} (key)`] : []),
      ...plaintextOccurrences(v, needles, `${path}.${k}`),
    ]);
  }
  return [];
}
