/**
 * A reason the export cannot be made (the token cannot see params, a file would be overwritten...). Its
 * message says what to do; it never holds a credential's value.
 */
export class ExportError extends Error {
  override readonly name = "ExportError";
}
