import type { Principal } from "./auth";
import type { ApiResponse } from "./http";
import type { Store } from "./store";

/** What a handler gets to answer one authenticated API request. */
export interface RequestContext {
  /** Upper case; HEAD is handled as GET. */
  method: string;
  path: string;
  query: URLSearchParams;
  /** The ids in the path, in order (`/connections/issue-tracker/7/` gives `[7]`). */
  ids: readonly number[];
  principal: Principal;
  store: Store;
  /** The JSON body, or undefined when there is none. Throws HttpError 415/413/400 as DRF would answer. */
  readJson(): Promise<unknown>;
  /** The absolute URL of this path with another query (pagination links). */
  pageUrl(query: URLSearchParams): string;
}

export type Handler = (ctx: RequestContext) => ApiResponse | Promise<ApiResponse>;

export interface Route {
  /** Path segments; `:id` stands for a positive integer id. Ends with "" (the required trailing slash). */
  segments: readonly string[];
  handlers: Readonly<Partial<Record<string, Handler>>>;
}

const ID = ":id";

/** A route for a path such as `/api/v2/connections/issue-tracker/:id/`. */
export function route(path: string, handlers: Route["handlers"]): Route {
  if (!path.startsWith("/") || !path.endsWith("/")) throw new Error(`route ${path} must start and end with /`);
  return { segments: path.slice(1).split("/"), handlers };
}

export type RouteMatch =
  | { kind: "route"; route: Route; ids: number[] }
  /** The path lacks only its trailing slash (Django's APPEND_SLASH redirects a GET there). */
  | { kind: "missing-slash"; location: string }
  | { kind: "none" };

/**
 * An id segment: decimal digits without a leading zero, small enough to be exact. `abc`, `-1`, `1.5`, `..`,
 * `%2e%2e` and the like are not ids, so they match no route: segments are compared as sent, never decoded
 * or normalised, and nothing in a path ever reaches the file system.
 */
function parseId(segment: string): number | undefined {
  if (!/^[1-9]\d{0,14}$/.test(segment)) return undefined;
  return Number(segment);
}

function matchSegments(route: Route, segments: readonly string[]): number[] | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const ids: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const expected = route.segments[i]!;
    const actual = segments[i]!;
    if (expected === ID) {
      const id = parseId(actual);
      if (id === undefined) return undefined;
      ids.push(id);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return ids;
}

export function matchRoute(routes: readonly Route[], path: string, rawQuery: string): RouteMatch {
  if (!path.startsWith("/")) return { kind: "none" };
  const segments = path.slice(1).split("/");
  for (const r of routes) {
    const ids = matchSegments(r, segments);
    if (ids) return { kind: "route", route: r, ids };
  }
  if (!path.endsWith("/")) {
    const slashed = [...segments, ""];
    if (routes.some((r) => matchSegments(r, slashed))) {
      return { kind: "missing-slash", location: `${path}/${rawQuery ? `?${rawQuery}` : ""}` };
    }
  }
  return { kind: "none" };
}

/** The Allow header of a route: its methods, plus HEAD wherever GET is. */
export function allowedMethods(r: Route): string[] {
  const methods = Object.keys(r.handlers);
  return methods.includes("GET") ? [...methods, "HEAD"] : methods;
}
