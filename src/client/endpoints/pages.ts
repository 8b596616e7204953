import type { z } from "zod";
import { listSchema } from "../../schema/list";
import { SdeApiError } from "../errors";
import { HINTS } from "../messages";
import type { Transport } from "../transport";

/**
 * Every item of a list endpoint. The API pages only when asked (`page_size`); whenever an answer carries a
 * `next` link it is followed, so a server that pages by default is read completely too.
 */
export async function readAllPages<T extends z.ZodType>(
  transport: Transport,
  path: string,
  item: T,
  query: Record<string, string | number | boolean | undefined>,
): Promise<z.output<T>[]> {
  const schema = listSchema(item);
  const results: z.output<T>[] = [];
  let next: string | null | undefined = path;
  let first = true;
  // A server that links a page to itself would loop forever; a page seen twice ends the walk with an error.
  const seen = new Set<string>();
  while (next) {
    if (seen.has(next)) {
      throw new SdeApiError(`the API's pagination links back to a page already read (${next})`, { kind: "invalid_response" });
    }
    seen.add(next);
    const response: { data: z.output<typeof schema> } = await transport.send({
      method: "GET",
      path: next,
      query: first ? query : undefined,
      schema,
      retry: "idempotent",
    });
    results.push(...(response.data.results as z.output<T>[]));
    next = response.data.next;
    first = false;
    // A server that keeps linking new pages (a cursor bug) would be read for ever: more items than it
    // counted, or more pages than any listing here needs, ends the walk with an error.
    const count = response.data.count;
    if (next && ((count !== undefined && results.length >= count) || seen.size >= MAX_PAGES)) {
      throw new SdeApiError(
        `the API's pagination goes on past ${count !== undefined && results.length >= count ? `the ${count} items it counted` : `${MAX_PAGES} pages`} (next: ${next})`,
        { kind: "invalid_response", hint: HINTS.endlessPages },
      );
    }
  }
  return results;
}

/** More pages than a listing of this API can have: 100,000 connections in pages of 100 is 1,000. */
const MAX_PAGES = 10_000;
