import { READ_ONLY_TOKEN } from "../../src/emulator";
import { lookupSeed } from "../support/seeds";
import { call, useEmulator } from "./helpers";

// The list filters the lookups use, as the API pages document them: projects by name, application and
// slug; applications by name and business unit; business units by name; connectors by system.
describe("the lookups' list filters", () => {
  const emulator = useEmulator(() => ({ seed: lookupSeed() }));
  const ids = async (path: string, token?: string) => {
    const reply = await call(emulator.current, "GET", path, { token });
    expect(reply.status).toBe(200);
    return (reply.body.results as { id: number }[]).map((r) => r.id);
  };

  test("projects: by exact name, by application id, by slug, combined", async () => {
    expect(await ids("/api/v2/projects/?name=Checkout")).toEqual([10, 11]);
    expect(await ids("/api/v2/projects/?name=checkout")).toEqual([]);
    expect(await ids("/api/v2/projects/?name=Checkout&application=2")).toEqual([11]);
    expect(await ids("/api/v2/projects/?application=2")).toEqual([2, 3, 11]);
    expect(await ids("/api/v2/projects/?slug=demo-project")).toEqual([2]);
    expect(await ids("/api/v2/projects/")).toEqual([1, 2, 3, 10, 11, 12, 13]);
  });

  test("projects: an application that is not a whole number is 400 naming the filter", async () => {
    const reply = await call(emulator.current, "GET", "/api/v2/projects/?application=Finance");
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ application: ["Enter a whole number."] });
  });

  test("applications: by exact name and by business unit id, with their business unit", async () => {
    const all = await call(emulator.current, "GET", "/api/v2/applications/");
    expect(all.body.results[0]).toEqual({ id: 1, slug: "application-1", name: "Finance App", business_unit: 1 });
    expect(await ids("/api/v2/applications/?name=Shared")).toEqual([3, 4]);
    expect(await ids("/api/v2/applications/?name=Shared&business_unit=3")).toEqual([4]);
    expect(await ids("/api/v2/applications/?business_unit=1")).toEqual([1, 3]);
    expect((await call(emulator.current, "GET", "/api/v2/applications/4/")).body).toMatchObject({ name: "Shared", business_unit: 3 });
    expect((await call(emulator.current, "GET", "/api/v2/applications/99/")).status).toBe(404);
  });

  test("business units: by exact name", async () => {
    expect(await ids("/api/v2/business-units/")).toEqual([1, 2, 3]);
    expect(await ids("/api/v2/business-units/?name=Retail")).toEqual([3]);
    expect((await call(emulator.current, "GET", "/api/v2/business-units/3/")).body).toEqual({
      id: 3,
      slug: "business-unit-3",
      name: "Retail",
    });
  });

  test("connectors: by system, for a token without the edit permission too (names and systems, no params)", async () => {
    expect(await ids("/api/v2/connectors/issue-tracker/?system=jira")).toEqual([1, 4]);
    const hidden = await call(emulator.current, "GET", "/api/v2/connectors/issue-tracker/?system=github", { token: READ_ONLY_TOKEN });
    expect(hidden.body.results.map((c: { name: string }) => c.name)).toEqual(["GitHub Example Connector", "Tracker"]);
    expect(hidden.body.results.every((c: object) => !("params" in c))).toBe(true);
  });

  test("the lists page when asked, as every list does", async () => {
    const first = await call(emulator.current, "GET", "/api/v2/projects/?name=Checkout&page_size=1");
    expect(first.body).toMatchObject({ count: 2, previous: null, results: [{ id: 10 }] });
    expect(first.body.next).toContain("name=Checkout");
  });
});
