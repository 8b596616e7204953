import { HttpError, badRequest } from "../http";

/**
 * The query parameters of a list: the API page's `project` filter of connections, the jobs page's
 * `connection` filter (reference/sde-api.md §2.5), and `include` (§1.4). Pagination is pagination.ts.
 */

/**
 * An id filter such as `?project=2`. Absent or empty means no filter (django-filter ignores empty values);
 * an id of nothing simply matches nothing. A value that is not a whole number is 400 with Django's
 * IntegerField message.
 */
export function idFilter(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new HttpError(badRequest({ [name]: ["Enter a whole number."] }));
  return Number(value);
}

/** Whether `?include=a,b` names `field`. */
export function includes(query: URLSearchParams, field: string): boolean {
  return query
    .getAll("include")
    .flatMap((v) => v.split(","))
    .some((v) => v.trim() === field);
}
