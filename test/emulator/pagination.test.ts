import { DEFAULT_SEED, type SeedData } from "../../src/emulator";
import { call, CONNECTIONS, fixture, JOBS, useEmulator } from "./helpers";

describe("lists and pagination", () => {
  const emulator = useEmulator();

  /** Six more connections (ids 5..10): three on project 1, three on project 3. */
  async function addConnections(): Promise<void> {
    for (let i = 0; i < 6; i++) {
      const reply = await call(emulator.current, "POST", CONNECTIONS, {
        json: { ...fixture("create.request"), alias: `Connection ${i}`, project: i % 2 === 0 ? 1 : 3 },
      });
      expect(reply.status).toBe(201);
    }
  }

  test("without page_size: the whole list as {results}, ordered by id", async () => {
    await addConnections();
    const reply = await call(emulator.current, "GET", CONNECTIONS);
    expect(Object.keys(reply.body)).toEqual(["results"]);
    expect(reply.body.results.map((c: { id: number }) => c.id)).toEqual([1, 5, 6, 7, 8, 9, 10]);
  });

  test("with page_size: count, next and previous as absolute URLs keeping the other params", async () => {
    await addConnections();
    const first = await call(emulator.current, "GET", `${CONNECTIONS}?include=last_job&page_size=3`);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(["count", "next", "previous", "results"]);
    expect(first.body.count).toBe(7);
    expect(first.body.previous).toBeNull();
    expect(first.body.results.map((c: { id: number }) => c.id)).toEqual([1, 5, 6]);
    expect(first.body.results[0]).toHaveProperty("last_job");
    const next = new URL(first.body.next);
    expect(next.origin).toBe(emulator.current.url);
    expect(next.pathname).toBe(CONNECTIONS);
    expect(Object.fromEntries(next.searchParams)).toEqual({ include: "last_job", page_size: "3", page: "2" });

    const second = await call(emulator.current, "GET", first.body.next.slice(emulator.current.url.length));
    expect(second.body.results.map((c: { id: number }) => c.id)).toEqual([7, 8, 9]);
    // As in DRF, the link back to page 1 drops `page`.
    expect(Object.fromEntries(new URL(second.body.previous).searchParams)).toEqual({ include: "last_job", page_size: "3" });
  });

  test("following next visits every item once", async () => {
    await addConnections();
    const seen: number[] = [];
    let path: string | null = `${CONNECTIONS}?page_size=2`;
    for (let pages = 0; path !== null && pages < 20; pages++) {
      const reply = await call(emulator.current, "GET", path);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.results.map((c: { id: number }) => c.id));
      path = reply.body.next === null ? null : (reply.body.next as string).slice(emulator.current.url.length);
    }
    expect(path).toBeNull();
    expect(seen).toEqual([1, 5, 6, 7, 8, 9, 10]);
  });

  test("a page out of range, or not a page number, is 404 Invalid page.", async () => {
    for (const page of ["2", "0", "-1", "abc", "1.5"]) {
      const reply = await call(emulator.current, "GET", `${CONNECTIONS}?page_size=1&page=${page}`);
      expect([page, reply.status, reply.body]).toEqual([page, 404, { detail: "Invalid page." }]);
    }
    const last = await call(emulator.current, "GET", `${CONNECTIONS}?page_size=1&page=last`);
    expect(last.status).toBe(200);
    expect(last.body.results).toHaveLength(1);
  });

  test("a page_size that is not a positive whole number is ignored, as DRF does", async () => {
    for (const size of ["0", "-3", "abc", "", "2.5"]) {
      const reply = await call(emulator.current, "GET", `${CONNECTIONS}?page_size=${size}`);
      expect([size, reply.status, Object.keys(reply.body)]).toEqual([size, 200, ["results"]]);
    }
  });

  test("the project filter: matching connections, an empty list for an unknown project, 400 for a non-number", async () => {
    await addConnections();
    const one = await call(emulator.current, "GET", `${CONNECTIONS}?project=1`);
    expect(one.body.results.map((c: { id: number }) => c.id)).toEqual([5, 7, 9]);
    const paged = await call(emulator.current, "GET", `${CONNECTIONS}?project=3&page_size=2`);
    expect(paged.body.count).toBe(3);
    expect(new URL(paged.body.next).searchParams.get("project")).toBe("3");
    expect((await call(emulator.current, "GET", `${CONNECTIONS}?project=999`)).body).toEqual({ results: [] });
    const empty = await call(emulator.current, "GET", `${CONNECTIONS}?project=999&page_size=5`);
    expect(empty.body).toEqual({ count: 0, next: null, previous: null, results: [] });
    const bad = await call(emulator.current, "GET", `${CONNECTIONS}?project=two`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ project: ["Enter a whole number."] });
  });

  test("connectors, projects and jobs paginate the same way", async () => {
    for (const path of ["/api/v2/connectors/issue-tracker/", "/api/v2/projects/", JOBS]) {
      const reply = await call(emulator.current, "GET", `${path}?page_size=1`);
      expect([path, reply.status]).toEqual([path, 200]);
      expect(reply.body.results).toHaveLength(1);
      expect(reply.body.count).toBeGreaterThan(1);
      expect(reply.body.next).toContain("page=2");
    }
    const jobs = await call(emulator.current, "GET", `${JOBS}?connection=999`);
    expect(jobs.body).toEqual({ results: [] });
  });
});

describe("a page size larger than the maximum", () => {
  // 1,005 connections, so the 1,000 cap shows.
  const seed = (): SeedData => {
    const base = structuredClone(DEFAULT_SEED);
    const connections = Array.from({ length: 1005 }, (_, i) => ({
      id: i + 1,
      alias: `Connection ${i + 1}`,
      connector: 2,
      project: 2,
      params: { issue_tracker_project: "Rally Project" },
    }));
    return { ...base, connections, jobs: [], nextIds: {} };
  };
  const emulator = useEmulator(() => ({ seed: seed() }));

  test("is cut down to 1000", async () => {
    const reply = await call(emulator.current, "GET", `${CONNECTIONS}?page_size=5000`);
    expect(reply.body.count).toBe(1005);
    expect(reply.body.results).toHaveLength(1000);
    const rest = await call(emulator.current, "GET", (reply.body.next as string).slice(emulator.current.url.length));
    expect(rest.body.results).toHaveLength(5);
    // The next id follows the seeded ones.
    const created = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(created.body.id).toBe(1006);
  });
});
