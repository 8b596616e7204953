import { z } from "zod";

/**
 * A list response. Without `page_size` the API answers `{"results": [...]}`; with it, DRF page-number
 * pagination adds `count`, `next` and `previous` (URLs, or null at either end).
 */
export const listSchema = <T extends z.ZodType>(item: T) => {
  // One list schema per item schema: zod compiles a schema on first use, which costs more than a parse.
  let schema = cache.get(item) as ReturnType<typeof build<T>> | undefined;
  if (!schema) {
    schema = build(item);
    cache.set(item, schema);
  }
  return schema;
};

const cache = new WeakMap<z.ZodType, unknown>();

const build = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    results: z.array(item),
    count: z.int().nonnegative().optional(),
    next: z.string().nullable().optional(),
    previous: z.string().nullable().optional(),
  });

export interface Page<T> {
  results: T[];
  count?: number | undefined;
  next?: string | null | undefined;
  previous?: string | null | undefined;
}
