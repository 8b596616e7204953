import type { z } from "zod";
import type { Transport } from "../transport";

/** One object of the API by its path (a GET, safe to repeat), its answer checked against its schema. */
export async function readOne<T extends z.ZodType>(
  transport: Transport,
  path: string,
  schema: T,
  query?: Record<string, string | undefined>,
): Promise<z.output<T>> {
  const response = await transport.send({ method: "GET", path, query, schema, retry: "idempotent" });
  return response.data;
}
