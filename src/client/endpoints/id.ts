import { idSchema } from "../../schema/ids";
import { validateInput } from "../validate-input";

/** A path id checked before it goes into a URL: a positive integer, nothing else. */
export function checkedId(id: unknown, what: string): number {
  return validateInput(idSchema(what), id, `${what} id`);
}
