/**
 * A name that does not resolve to exactly one object: none has it (`not_found`) or several do
 * (`ambiguous`). The message lists the candidates by name (with their application and business unit, or
 * system) and says which argument picks one; `candidates` holds those names. Names only: nothing of a
 * connector's params, and never a credential.
 */
export class SdeLookupError extends Error {
  override readonly name = "SdeLookupError";

  constructor(
    message: string,
    readonly kind: "not_found" | "ambiguous",
    readonly candidates: readonly string[],
  ) {
    super(message);
    // The message says everything a user can act on; frames inside this package would be noise in `pulumi up`.
    this.stack = `${this.name}: ${message}`;
  }
}

export function isSdeLookupError(value: unknown): value is SdeLookupError {
  return value instanceof SdeLookupError;
}
