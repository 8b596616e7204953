import type { z } from "zod";
import { redactDeep, secretParamValues } from "../schema/secrets";
import { describeIssues, toFieldErrors } from "../schema/validation";
import { SdeApiError } from "./errors";

/**
 * Checks what a caller wants to send against the request's schema before anything is sent, so bad input
 * fails fast, names each field and its fix, and changes nothing on the server.
 */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const params = (input as { params?: unknown } | null)?.params;
  const secrets = secretParamValues(params);
  throw new SdeApiError(`invalid ${what}: ${redactDeep(describeIssues(result.error), secrets).join("; ")}`, {
    kind: "invalid_input",
    fieldErrors: redactDeep(toFieldErrors(result.error), secrets),
  });
}
