import { z } from "zod";

/**
 * A list response. Without `page_size` the API answers `{"results": [...]}`; with it, DRF page-number
 * pagination adds `count`, `next` and `previous` (URLs, or null at either end).
 */
export const listSchema = <T extends z.ZodType>(item: T) =>
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
