import { z } from "zod";
import { describeKind } from "./validation";

/**
 * A true/false setting. `"true"` in quotes (YAML, JSON built by hand, an environment variable) is refused
 * rather than read as true: the schemas never coerce, so what is stored is what was written.
 */
export const booleanSchema = z.boolean({
  error: (iss) =>
    typeof iss.input === "string" && /^(true|false)$/i.test(iss.input.trim())
      ? `must be true or false without quotes (a boolean, not the string "${iss.input.trim()}")`
      : `must be true or false, not ${describeKind(iss.input)}`,
});
