import { isSdeApiError } from "../client/errors";
import { redact } from "../schema/secrets";

/**
 * An error for the engine to show. The dynamic-provider host prints a thrown error's stack for some
 * methods (check, diff, read, delete); the stack of this package's internals helps no user, so the error
 * carries only its message.
 */
export function providerError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/**
 * Any failure as a provider error saying what was being done: `creating connection "X": <why>`. The
 * client hides the credentials a request carried; `secrets` are the ones it did not carry but the server
 * may still echo (a connection's stored password in the answer to a GET), hidden here.
 */
export function failure(doing: string, cause: unknown, secrets: readonly string[] = []): Error {
  const why = isSdeApiError(cause) ? cause.message : cause instanceof Error ? cause.message : String(cause);
  return providerError(redact(`${doing}: ${why}`, secrets));
}
