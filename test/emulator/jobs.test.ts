import { READ_ONLY_TOKEN } from "../../src/emulator";
import { call, CONNECTIONS, fixture, JOBS, useEmulator } from "./helpers";

const emulator = useEmulator();

/** The server's timestamp format: `2019-11-28T20:22:32.588388+00:00`. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/;

async function newConnection(): Promise<number> {
  const reply = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
  expect(reply.status).toBe(201);
  return reply.body.id as number;
}

async function listed(id: number): Promise<Record<string, any>> {
  // any: a response compared field by field
  const reply = await call(emulator.current, "GET", `${CONNECTIONS}?include=last_job`);
  return reply.body.results.find((c: { id: number }) => c.id === id);
}

describe("sync jobs and what connections show of them", () => {
  test("before any job: last_job is null and params have no last_successful_run", async () => {
    const id = await newConnection();
    const item = await listed(id);
    expect(item.last_job).toBeNull();
    expect(item.in_progress).toBe(false);
    expect(item.params).not.toHaveProperty("last_successful_run");
    const detail = await call(emulator.current, "GET", `${CONNECTIONS}${id}/?include=last_job`);
    expect(detail.body.last_job).toBeNull();
    expect(detail.body).not.toHaveProperty("in_progress");
  });

  test("last_successful_run appears only after a successful job", async () => {
    const id = await newConnection();
    const failed = emulator.current.recordSyncJob(id, { succeeded: false, resultMessage: "Authentication failed" });
    let item = await listed(id);
    expect(item.last_job).toEqual({
      succeeded: false,
      last_run: failed.last_run,
      result_message: "Authentication failed",
      user: null,
      triggered_by: null,
      ready: true,
      automatic: false,
      id: failed.id,
    });
    expect(item.params).not.toHaveProperty("last_successful_run");

    const ok = emulator.current.recordSyncJob(id, { succeeded: true, automatic: true });
    expect(ok.last_run).toMatch(TIMESTAMP);
    item = await listed(id);
    expect(item.params.last_successful_run).toBe(ok.last_run);
    expect(item.last_job.id).toBe(ok.id);

    // A later failure is the last job, but the last successful run stays.
    const again = emulator.current.recordSyncJob(id, { succeeded: false });
    item = await listed(id);
    expect(item.last_job.id).toBe(again.id);
    expect(item.params.last_successful_run).toBe(ok.last_run);
    expect(emulator.current.connections().find((c) => c.id === id)?.params?.last_successful_run).toBe(ok.last_run);
  });

  test("a queued job makes the connection in_progress until a result completes it", async () => {
    const id = await newConnection();
    const queued = await call(emulator.current, "POST", JOBS, { json: { connection: id, automatic: false, ready: false } });
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({ connection: id, ready: false, succeeded: false, result_message: "", user: 1 });
    expect((await listed(id)).in_progress).toBe(true);
    expect(emulator.current.connections().find((c) => c.id === id)?.in_progress).toBe(true);

    // The result completes the queued job in place (same id), as the worker finishes the job it took.
    const done = await call(emulator.current, "POST", JOBS, {
      json: { connection: id, automatic: false, ready: true, succeeded: true, result_message: "Synced 3 tasks" },
    });
    expect(done.status).toBe(201);
    expect(done.body.id).toBe(queued.body.id);
    const item = await listed(id);
    expect(item.in_progress).toBe(false);
    expect(item.last_job).toMatchObject({ id: queued.body.id, succeeded: true, ready: true, result_message: "Synced 3 tasks" });
    expect(item.params.last_successful_run).toBe(done.body.last_run);
  });

  test.each([
    ["a bare connection", { connection: 1 }, "automatic"],
    ["no ready and no result", { connection: 1, automatic: false }, "ready"],
    ["a queued job that claims success", { connection: 1, automatic: false, ready: false, succeeded: true }, "succeeded"],
  ])("a job request with %s is refused naming the field, and records nothing", async (_what, json, field) => {
    const before = (await call(emulator.current, "GET", JOBS)).body.results.length;
    const refused = await call(emulator.current, "POST", JOBS, { json });
    expect(refused.status).toBe(400);
    expect(refused.body[field]).toEqual([expect.stringMatching(/^(is required|must be false for a queued job)/)]);
    expect((await call(emulator.current, "GET", JOBS)).body.results).toHaveLength(before);
  });

  test("recordSyncJob refuses a queued job that claims success, as the API does", () => {
    expect(() => emulator.current.recordSyncJob(1, { succeeded: true, ready: false })).toThrow(
      /a queued job \(ready: false\) cannot have succeeded/,
    );
  });

  test("recordSyncJob with ready:false queues a job too", async () => {
    const job = emulator.current.recordSyncJob(1, { succeeded: false, ready: false });
    expect((await listed(1)).in_progress).toBe(true);
    const result = emulator.current.recordSyncJob(1, { succeeded: false, resultMessage: "Tracker down" });
    expect(result.id).toBe(job.id);
    expect((await listed(1)).in_progress).toBe(false);
  });

  test("the jobs endpoint lists, filters and shows jobs", async () => {
    const id = await newConnection();
    const job = emulator.current.recordSyncJob(id, { succeeded: true });
    const all = await call(emulator.current, "GET", JOBS);
    expect(all.body.results.map((j: { id: number }) => j.id)).toEqual([3, 4, job.id]);
    const mine = await call(emulator.current, "GET", `${JOBS}?connection=${id}`);
    expect(mine.body.results).toEqual([job]);
    const one = await call(emulator.current, "GET", `${JOBS}${job.id}/`);
    expect(one.body).toEqual(job);
    expect((await call(emulator.current, "GET", `${JOBS}999/`)).status).toBe(404);
    // Reading jobs needs no edit permission.
    expect((await call(emulator.current, "GET", JOBS, { token: READ_ONLY_TOKEN })).status).toBe(200);
  });

  test("deleting a connection deletes its jobs", async () => {
    expect((await call(emulator.current, "DELETE", `${CONNECTIONS}1/`)).status).toBe(204);
    expect((await call(emulator.current, "GET", `${JOBS}?connection=1`)).body).toEqual({ results: [] });
    expect((await call(emulator.current, "GET", `${JOBS}4/`)).status).toBe(404);
  });

  test("recordSyncJob refuses an unknown connection", () => {
    expect(() => emulator.current.recordSyncJob(999, { succeeded: true })).toThrow(/no connection 999/);
  });
});
