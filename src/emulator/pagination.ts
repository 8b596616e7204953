import { detail, HttpError } from "./http";

/** A list answer: `{"results": [...]}`, with `count`, `next` and `previous` when paginated. */
export interface Page<T> {
  results: T[];
  count?: number;
  next?: string | null;
  previous?: string | null;
}

/** DRF's `max_page_size`: larger page sizes are cut down to it. */
export const MAX_PAGE_SIZE = 1000;

/**
 * A list response, paginated the way DRF's PageNumberPagination with `page_size_query_param` does
 * (reference/sde-api.md §1.3, §6.2):
 *
 * - Without `page_size` the whole list comes back as `{"results": [...]}`, as every example on the API
 *   page shows.
 * - With it: `{"count", "next", "previous", "results"}`, `next`/`previous` absolute URLs keeping the other
 *   query params. As in DRF, `previous` of page 2 drops `page` rather than saying `page=1`.
 * - A `page_size` that is not a positive whole number is ignored (unpaginated), as DRF ignores it; larger
 *   than {@link MAX_PAGE_SIZE} is cut down to it.
 * - A `page` that is not a whole number from 1 to the last page (or "last") is 404 "Invalid page.", as
 *   in DRF; page 1 of an empty list is a valid, empty page.
 */
export function paginate<T>(items: readonly T[], query: URLSearchParams, pageUrl: (query: URLSearchParams) => string): Page<T> {
  const pageSize = positiveInt(query.get("page_size"));
  if (pageSize === undefined) return { results: [...items] };
  const size = Math.min(pageSize, MAX_PAGE_SIZE);
  const lastPage = Math.max(1, Math.ceil(items.length / size));

  const requested = query.get("page");
  const page = requested === null || requested === "" ? 1 : requested === "last" ? lastPage : positiveInt(requested);
  if (page === undefined || page > lastPage) throw new HttpError(detail(404, "Invalid page."));

  const link = (target: number) => {
    const params = new URLSearchParams(query);
    if (target === 1) params.delete("page");
    else params.set("page", String(target));
    return pageUrl(params);
  };
  return {
    count: items.length,
    next: page < lastPage ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice((page - 1) * size, page * size),
  };
}

/** A strictly positive whole number written in decimal digits, or undefined. */
export function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}
