import { DEFAULT_TOKEN, Faults, startEmulator } from "../../src/emulator";
import { call, CONNECTIONS, eventually, fixture, rawRequest, TEST_CONNECTION, useEmulator } from "./helpers";

const emulator = useEmulator();
const PROJECTS = "/api/v2/projects/";

/** Settles a promise into a value, so a test can check whether it has settled yet. */
function track<T>(promise: Promise<T>): {
  settled: () => boolean;
  result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;
} {
  let done = false;
  const result = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  void result.then(() => (done = true));
  return { settled: () => done, result };
}

describe("injected faults", () => {
  test("throttle: 429 with Retry-After and DRF's message for `count` requests, then disarmed", async () => {
    emulator.current.faults.throttle({ count: 2, retryAfter: 3 });
    for (let i = 0; i < 2; i++) {
      const reply = await call(emulator.current, "GET", CONNECTIONS);
      expect(reply.status).toBe(429);
      expect(reply.headers.get("retry-after")).toBe("3");
      expect(reply.body).toEqual({ detail: "Request was throttled. Expected available in 3 seconds." });
    }
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(200);
    expect(emulator.current.requestLog.map((e) => e.status)).toEqual([429, 429, 200]);
  });

  test("throttle with an HTTP-date Retry-After", async () => {
    const date = new Date(Date.now() + 120_000).toUTCString();
    emulator.current.faults.throttle({ count: 1, retryAfter: date });
    const reply = await call(emulator.current, "GET", CONNECTIONS);
    expect(reply.status).toBe(429);
    expect(reply.headers.get("retry-after")).toBe(date);
    expect(reply.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds?\.$/);
  });

  test.each(["hello 2030", "2030-01-01", "Wed, 21 Oct 2015 07:28:00 GMT\n", "Wed, 99 Oct 2015 99:99:99 GMT"])(
    "a Retry-After that is no HTTP-date (%j) is refused when armed",
    (retryAfter) => {
      expect(() => emulator.current.faults.throttle({ count: 1, retryAfter })).toThrow(
        /retryAfter: must be a (number of seconds or an HTTP-date|real date)/,
      );
    },
  );

  test("faults are checked before authentication", async () => {
    emulator.current.faults.throttle({ count: 1, retryAfter: 1 });
    const reply = await call(emulator.current, "GET", CONNECTIONS, { token: null });
    expect(reply.status).toBe(429);
    expect(reply.body).toEqual({ detail: "Request was throttled. Expected available in 1 second." });
  });

  test("matching by method and path prefix", async () => {
    emulator.current.faults.serverError({ count: 1, status: 503, method: "post", path: "/api/v2/connections/" });
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(200);
    expect((await call(emulator.current, "POST", PROJECTS, { json: {} })).status).toBe(405);
    const hit = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(hit.status).toBe(503);
    expect(emulator.current.connections()).toHaveLength(1);
    expect((await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") })).status).toBe(201);
  });

  test.each([500, 502, 503, 504] as const)("serverError %i: that status with a JSON detail", async (status) => {
    emulator.current.faults.serverError({ count: 1, status });
    const reply = await call(emulator.current, "GET", CONNECTIONS);
    expect(reply.status).toBe(status);
    expect(typeof reply.body.detail).toBe("string");
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
  });

  test("reset: the socket is destroyed before the request has any effect", async () => {
    emulator.current.faults.reset({ count: 1, method: "POST" });
    await expect(call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") })).rejects.toThrow();
    expect(emulator.current.connections()).toHaveLength(1);
    expect(emulator.current.requestLog).toEqual([expect.objectContaining({ method: "POST", path: CONNECTIONS, status: 0 })]);
    const next = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(next.body.id).toBe(5);
  });

  test("dropResponse: the request is applied, then the socket is destroyed without an answer", async () => {
    emulator.current.faults.dropResponse({ count: 1, method: "POST", path: CONNECTIONS });
    await expect(call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") })).rejects.toThrow();
    expect(emulator.current.connections().map((c) => c.id)).toEqual([1, 5]);
    expect(emulator.current.requestLog.at(-1)).toMatchObject({ method: "POST", status: 0 });
    // A client that retries blindly creates a duplicate: that is what this fault is for.
    const retried = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(retried.body.id).toBe(6);
  });

  test("hang: no answer ever; stop() still closes the socket and resolves", async () => {
    const own = await startEmulator();
    own.faults.hang({ count: 1 });
    const pending = track(call(own, "GET", CONNECTIONS));
    await eventually(() => own.requestLog.length === 1, "the hung request to arrive");
    expect(pending.settled()).toBe(false);
    await own.stop();
    const outcome = await pending.result;
    expect(outcome.ok).toBe(false);
    expect(own.requestLog).toEqual([expect.objectContaining({ status: 0 })]);
  });

  test("latency delays the matching request only, and stop() cuts the delay short", async () => {
    const own = await startEmulator();
    own.faults.latency({ ms: 600_000, path: "/api/v2/connections/" });
    const slow = track(call(own, "GET", CONNECTIONS));
    await eventually(() => own.requestLog.length === 1, "the delayed request to arrive");
    // Other requests are answered meanwhile; the delayed one still waits.
    expect((await call(own, "GET", PROJECTS)).status).toBe(200);
    expect(slow.settled()).toBe(false);
    expect(own.faults.list()).toEqual([]);
    await own.stop();
    expect((await slow.result).ok).toBe(false);
  });

  test("latency with a short delay answers normally", async () => {
    emulator.current.faults.latency({ ms: 5, count: 2 });
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(200);
    expect(emulator.current.faults.list()).toEqual([expect.objectContaining({ kind: "latency", count: 1 })]);
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(200);
    expect(emulator.current.faults.list()).toEqual([]);
  });

  test("faults apply in the order armed; clear() disarms them all", async () => {
    emulator.current.faults.serverError({ count: 1, status: 502 });
    emulator.current.faults.throttle({ count: 5, retryAfter: 1 });
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(502);
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(429);
    emulator.current.faults.clear();
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(200);
  });

  test("invalid faults are refused with the bad field named", () => {
    expect(() => emulator.current.faults.throttle({ count: 0, retryAfter: 1 })).toThrow(/count/);
    expect(() => emulator.current.faults.serverError({ count: 1, status: 418 as 500 })).toThrow(/status/);
    expect(() => emulator.current.faults.reset({ count: 1, path: "api" })).toThrow(/path/);
    expect(emulator.current.faults.list()).toEqual([]);
  });

  test("clearRequestLog empties the log", async () => {
    await call(emulator.current, "GET", CONNECTIONS);
    expect(emulator.current.requestLog).toEqual([{ method: "GET", path: CONNECTIONS, query: "", status: 200, at: expect.any(String) }]);
    await call(emulator.current, "GET", `${CONNECTIONS}?project=2`);
    expect(emulator.current.requestLog.at(-1)).toMatchObject({ path: CONNECTIONS, query: "project=2" });
    emulator.current.clearRequestLog();
    expect(emulator.current.requestLog).toEqual([]);
  });
});

describe("rate limit (DRF's throttling)", () => {
  test("at most `requests` in the window, then 429 with Retry-After and DRF's message; it stays armed until cleared", async () => {
    emulator.current.faults.rateLimit({ requests: 3, windowMs: 60_000, method: "GET" });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await call(emulator.current, "GET", CONNECTIONS);
      statuses.push(reply.status);
      if (reply.status !== 429) continue;
      const seconds = Number(reply.headers.get("retry-after"));
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(reply.body).toEqual({ detail: `Request was throttled. Expected available in ${seconds} seconds.` });
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Other methods are not limited; the 429s are counted in the request log.
    expect((await call(emulator.current, "POST", TEST_CONNECTION, { json: {} })).status).not.toBe(429);
    expect(emulator.current.requestLog.filter((e) => e.status === 429)).toHaveLength(2);
    expect(emulator.current.faults.list()).toEqual([{ kind: "rateLimit", requests: 3, windowMs: 60_000, method: "GET" }]);
    emulator.current.faults.clear();
    expect((await call(emulator.current, "GET", CONNECTIONS)).status).toBe(200);
  });

  test("the window slides: a request leaves it windowMs after it passed; refused requests do not count; Retry-After rounds up", () => {
    let now = 0;
    const faults = new Faults(() => now);
    faults.rateLimit({ requests: 2, windowMs: 1500 });
    const at = (ms: number) => {
      now = ms;
      const { action } = faults.take("GET", CONNECTIONS);
      return action?.kind === "throttle" ? action.retryAfter : "passed";
    };
    expect(at(0)).toBe("passed");
    expect(at(100)).toBe("passed");
    expect(at(200)).toBe(2); // 1.3 s until the request of 0 ms leaves
    expect(at(1400)).toBe(1);
    expect(at(1499)).toBe(1); // 1 ms: at least a second, as DRF rounds up
    expect(at(1500)).toBe("passed"); // the request of 0 ms has left; the refused ones never counted
    expect(at(1550)).toBe(1);
    expect(at(1600)).toBe("passed");
    expect(faults.injected).toBe(4);
    expect(faults.list()).toHaveLength(1);
  });

  test("a request within the limit still meets the other faults", () => {
    const faults = new Faults(() => 0);
    faults.rateLimit({ requests: 1, windowMs: 1000 });
    faults.serverError({ count: 1, status: 502 });
    expect(faults.take("GET", CONNECTIONS).action).toMatchObject({ kind: "serverError", status: 502 });
    expect(faults.take("GET", CONNECTIONS).action).toMatchObject({ kind: "throttle", retryAfter: 1 });
  });

  test.each([
    [{ requests: 0, windowMs: 1000 }, /requests: must be at least 1/],
    [{ requests: 2.5, windowMs: 1000 }, /requests: must be a whole number of requests/],
    [{ requests: 3 }, /windowMs: must be a whole number of milliseconds/],
    [{ requests: 3, windowMs: 0 }, /windowMs: must be at least 1/],
    [{ requests: 3, windowMs: 1000, count: 5 }, /count/],
    [{ requests: 3, windowMs: 1000, every: 2 }, /every/],
    [{ requests: 3, windowMs: 1000, path: "api" }, /path: must be a path starting with \//],
  ])("an invalid rate limit (%j) is refused, naming the field", (spec, message) => {
    expect(() => emulator.current.faults.arm({ kind: "rateLimit", ...spec })).toThrow(message);
    expect(emulator.current.faults.list()).toEqual([]);
  });
});

describe("requests in flight", () => {
  test("maxInFlight is the most requests handled at once; answered ones no longer count; clearing starts it afresh", async () => {
    const own = await startEmulator();
    own.faults.hang({ count: 2 });
    const hung = [track(call(own, "GET", CONNECTIONS)), track(call(own, "GET", CONNECTIONS))];
    await eventually(() => own.requestLog.length === 2, "the hung requests to arrive");
    for (let i = 0; i < 3; i++) expect((await call(own, "GET", CONNECTIONS)).status).toBe(200);
    expect(own.maxInFlight).toBe(3);
    own.clearRequestLog();
    expect(own.maxInFlight).toBe(2); // the two hung requests are still open
    await own.stop();
    for (const request of hung) expect((await request.result).ok).toBe(false);
  });
});

describe("faults after the request was applied", () => {
  test.each([500, 502, 504] as const)("serverError %i with applied: the connection is made, the answer is the error", async (status) => {
    emulator.current.faults.serverError({ count: 1, status, method: "POST", applied: true });
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(reply.status).toBe(status);
    expect(emulator.current.connections().map((c) => c.alias)).toEqual(["Rally Integration", "Example Connection"]);
  });

  test("reset with appliedAfterMs: the socket drops at once and the connection appears a moment later", async () => {
    emulator.current.faults.reset({ count: 1, method: "POST", appliedAfterMs: 50 });
    await expect(call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") })).rejects.toThrow();
    await eventually(() => emulator.current.connections().length === 2, "the late commit");
    expect(emulator.current.requestLog.at(-1)).toMatchObject({ method: "POST", status: 0 });
  });

  test("hang with applied: the connection is made and no answer ever comes; stop() still resolves", async () => {
    const own = await startEmulator();
    own.faults.hang({ count: 1, method: "POST", applied: true });
    const pending = track(call(own, "POST", CONNECTIONS, { json: fixture("create.request") }));
    await eventually(() => own.connections().length === 2, "the connection to be made");
    expect(pending.settled()).toBe(false);
    await own.stop();
    expect((await pending.result).ok).toBe(false);
  });
});

describe("hostile answers", () => {
  test("slowBody: the whole answer arrives, one byte at a time", async () => {
    emulator.current.faults.slowBody({ count: 1, intervalMs: 1, path: "/api/v2/projects/1/" });
    const reply = await rawRequest(emulator.current.url, {
      path: "/api/v2/projects/1/",
      headers: { authorization: `Token ${DEFAULT_TOKEN}` },
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ id: 1 });
  });

  test("slowBody endless: whitespace that does not end until the client hangs up; stop() ends it", async () => {
    const own = await startEmulator();
    own.faults.slowBody({ count: 1, intervalMs: 1, endless: true });
    const pending = track(rawRequest(own.url, { path: CONNECTIONS, headers: { authorization: `Token ${DEFAULT_TOKEN}` } }));
    await eventually(() => own.requestLog[0]?.status === 200, "the headers to be sent");
    expect(pending.settled()).toBe(false);
    await own.stop();
    expect((await pending.result).ok).toBe(false);
  });

  test("oversizedBody: the answer's JSON padded to the size asked, declared in Content-Length, the request applied", async () => {
    emulator.current.faults.oversizedBody({ count: 1, bytes: 3 * 1024 * 1024, method: "POST" });
    const reply = await rawRequest(emulator.current.url, {
      method: "POST",
      path: CONNECTIONS,
      headers: { authorization: `Token ${DEFAULT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(fixture("create.request")),
    });
    expect(reply.headers["content-length"]).toBe(String(3 * 1024 * 1024));
    expect(reply.text).toHaveLength(3 * 1024 * 1024);
    expect(JSON.parse(reply.text)).toMatchObject({ alias: "Example Connection" });
    expect(emulator.current.connections()).toHaveLength(2);
  });

  test("foreignAnswer: the create is applied and answered with another, well-formed connection", async () => {
    emulator.current.faults.foreignAnswer({ count: 1, method: "POST" });
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ id: 1, alias: "Rally Integration", project: 2 });
    expect(emulator.current.connections().map((c) => c.alias)).toEqual(["Rally Integration", "Example Connection"]);
  });

  test("foreignAnswer with altered fields: the create is applied and answered with itself, those fields changed", async () => {
    emulator.current.faults.foreignAnswer({ count: 1, method: "POST", altered: { frequency: "weekly" } });
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    const made = emulator.current.connections().find((c) => c.alias === (reply.body as { alias: string }).alias);
    expect(made).toBeDefined();
    expect(reply.body).toMatchObject({ id: made?.id, frequency: "weekly" });
    expect(made?.frequency).not.toBe("weekly");
  });

  test("foreignId: the create is applied and answered with someone else's id in a body that is no connection", async () => {
    emulator.current.faults.foreignId({ count: 1, method: "POST", id: 1 });
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(reply).toMatchObject({ status: 201, body: { id: 1, email: "someone-else@example.com" } });
    expect(emulator.current.connections()).toHaveLength(2);
  });

  describe("echo: the request comes back in the error, nothing is applied", () => {
    const password = ' pa"ss\\word ';
    const body = { ...fixture("create.request"), params: { issue_tracker_project: "P", issue_tracker_pass: password } };
    const echoed = async (form: "raw" | "json" | "trimmed" | "urlencoded" | "key") => {
      emulator.current.faults.echo({ count: 1, form });
      const reply = await call(emulator.current, "POST", CONNECTIONS, { json: body });
      expect(reply.status).toBe(400);
      expect(emulator.current.connections()).toHaveLength(1);
      return reply;
    };

    test("raw: the body as sent and the Authorization header, as text", async () => {
      emulator.current.faults.echo({ count: 1, form: "raw" });
      const reply = await rawRequest(emulator.current.url, {
        method: "POST",
        path: CONNECTIONS,
        headers: { authorization: `Token ${DEFAULT_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(reply).toMatchObject({ status: 400, headers: { "content-type": "text/plain" } });
      expect(reply.text).toContain(JSON.stringify(password));
      expect(reply.text).toContain(`authorization: Token ${DEFAULT_TOKEN}`);
    });

    test("json: the raw body inside a detail (so JSON-escaped on the wire)", async () => {
      const reply = await echoed("json");
      expect(reply.body.detail).toContain(JSON.stringify(password));
      expect(reply.body.detail).toContain(DEFAULT_TOKEN);
    });

    test.each([
      ["trimmed", password.trim(), DEFAULT_TOKEN],
      ["urlencoded", encodeURIComponent(password), encodeURIComponent(DEFAULT_TOKEN)],
    ] as const)("%s: each value as a field error", async (form, shown, token) => {
      const reply = await echoed(form);
      expect(reply.body.params.issue_tracker_pass).toEqual([`"${shown}" is not a valid choice.`]);
      expect(reply.body.non_field_errors).toEqual([`Invalid token "${token}".`]);
    });

    test("key: each value as the key of a field error", async () => {
      const reply = await echoed("key");
      expect(reply.body).toMatchObject({ [password]: ["This field is not allowed."], [DEFAULT_TOKEN]: ["This field is not allowed."] });
    });

    test("on the connection test too, with any status", async () => {
      emulator.current.faults.echo({ count: 1, form: "trimmed", status: 200, path: TEST_CONNECTION });
      const reply = await call(emulator.current, "POST", TEST_CONNECTION, {
        json: { ...fixture("test.request"), params: { issue_tracker_pass: password } },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.params.issue_tracker_pass).toEqual([`"${password.trim()}" is not a valid choice.`]);
    });
  });

  test("redirect: that status and Location, nothing applied", async () => {
    emulator.current.faults.redirect({ count: 1, status: 307, location: "http://127.0.0.1:9/elsewhere/" });
    const reply = await call(emulator.current, "POST", CONNECTIONS, { json: fixture("create.request") });
    expect(reply.status).toBe(307);
    expect(reply.headers.get("location")).toBe("http://127.0.0.1:9/elsewhere/");
    expect(emulator.current.connections()).toHaveLength(1);
  });

  test("bad options are refused naming the field", () => {
    expect(() => emulator.current.faults.echo({ count: 1, form: "rot13" as "raw" })).toThrow(
      /form: must be one of raw, json, trimmed, urlencoded, key/,
    );
    expect(() => emulator.current.faults.redirect({ count: 1, location: "elsewhere" })).toThrow(/location: must be an absolute URL/);
    expect(() => emulator.current.faults.oversizedBody({ count: 1, bytes: 0 })).toThrow(/bytes/);
    expect(() => emulator.current.faults.reset({ count: 1, appliedAfterMs: -1 })).toThrow(/appliedAfterMs/);
  });
});

test("the request log's counts stay complete past the entries it keeps, ids as {id}", async () => {
  const own = emulator.current;
  const max = 10_000;
  for (let sent = 0; sent < max + 1_200; sent += 200) {
    await Promise.all(Array.from({ length: 200 }, () => call(own, "GET", `${CONNECTIONS}1/`)));
  }
  const entries = own.requestLog.length;
  expect(entries).toBeLessThan(max + 1_200);
  expect(own.requestCounts()).toEqual({ [`GET ${CONNECTIONS}{id}/ 200`]: max + 1_200 });
});

describe("the control surface", () => {
  const CONTROL = "control-secret";
  const controlled = useEmulator(() => ({ controlToken: CONTROL }));
  const control = (method: string, path: string, json?: unknown, token: string | null = CONTROL) =>
    call(controlled.current, method, `/_emulator/${path}`, { token, json });

  test("is off without a control token: /_emulator/ is an unknown path", async () => {
    const reply = await call(emulator.current, "GET", "/_emulator/requests/");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ detail: "Not found." });
  });

  test("is hidden from API tokens and from requests without a token (404, not 401)", async () => {
    for (const token of [DEFAULT_TOKEN, null, "wrong"]) {
      const reply = await control("GET", "requests/", undefined, token);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({ detail: "Not found." });
    }
  });

  test("arms faults, lists and clears the request log, and records jobs; its own requests are not logged", async () => {
    const armed = await control("POST", "faults/", { kind: "throttle", count: 1, retryAfter: 7, method: "GET" });
    expect(armed.status).toBe(201);
    expect(armed.body).toMatchObject({ kind: "throttle", count: 1, retryAfter: 7, method: "GET" });
    expect((await control("GET", "faults/")).body.results).toHaveLength(1);

    const throttled = await call(controlled.current, "GET", CONNECTIONS);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");

    const log = await control("GET", "requests/");
    expect(log.status).toBe(200);
    expect(log.body.results).toEqual([expect.objectContaining({ method: "GET", path: CONNECTIONS, status: 429 })]);
    expect(log.body.maxInFlight).toBe(1);
    expect(log.body.counts).toEqual({ [`GET ${CONNECTIONS} 429`]: 1 });
    expect((await control("DELETE", "requests/")).status).toBe(204);
    expect((await control("GET", "requests/")).body).toMatchObject({ results: [], counts: {} });

    const job = await control("POST", "jobs/", { connection: 1, succeeded: true, resultMessage: "ok" });
    expect(job.status).toBe(201);
    expect(job.body).toMatchObject({ connection: 1, succeeded: true, ready: true, result_message: "ok" });
    expect(controlled.current.connections()[0]?.params?.last_successful_run).toBe(job.body.last_run);

    await control("POST", "faults/", { kind: "serverError", count: 3, status: 500 });
    expect((await control("DELETE", "faults/")).status).toBe(204);
    expect((await call(controlled.current, "GET", CONNECTIONS)).status).toBe(200);
    expect(controlled.current.requestLog.every((e) => !e.path.startsWith("/_emulator/"))).toBe(true);
  });

  test("arms a rate limit, which stays until the faults are cleared, and refuses a bad one naming the field", async () => {
    const armed = await control("POST", "faults/", { kind: "rateLimit", requests: 1, windowMs: 60_000 });
    expect(armed.status).toBe(201);
    expect(armed.body).toEqual({ kind: "rateLimit", requests: 1, windowMs: 60_000 });
    expect((await call(controlled.current, "GET", CONNECTIONS)).status).toBe(200);
    expect((await call(controlled.current, "GET", CONNECTIONS)).status).toBe(429);
    expect((await control("GET", "faults/")).body.results).toHaveLength(1);
    expect((await control("DELETE", "faults/")).status).toBe(204);
    expect((await call(controlled.current, "GET", CONNECTIONS)).status).toBe(200);
    const bad = await control("POST", "faults/", { kind: "rateLimit", requests: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ requests: ["must be at least 1"], windowMs: [expect.stringContaining("whole number of milliseconds")] });
  });

  test("refuses bad faults and jobs with field errors", async () => {
    const fault = await control("POST", "faults/", { kind: "serverError", count: 1, status: 404 });
    expect(fault.status).toBe(400);
    expect(fault.body).toHaveProperty("status");
    const kind = await control("POST", "faults/", { kind: "explode" });
    expect(kind.status).toBe(400);
    expect(kind.body).toHaveProperty("kind");
    const job = await control("POST", "jobs/", { connection: 42, succeeded: true });
    expect(job.status).toBe(400);
    expect(job.body).toEqual({ connection: ['Invalid pk "42" - object does not exist.'] });
    expect((await control("PUT", "faults/")).status).toBe(405);
    expect((await control("GET", "nothing/")).status).toBe(404);
  });
});

describe("the control token and the request log", () => {
  test.each([
    ["an API token", DEFAULT_TOKEN, /controlToken must differ from every API token/],
    ["a token with a space", "control secret", /controlToken must be 1 to 512 characters of plain ASCII, without spaces/],
    ["a token with a quote", '"control"', /controlToken must not contain quotes/],
    ["a non-ASCII token", "contrôle", /controlToken must be 1 to 512 characters of plain ASCII/],
  ])("%s as the control token is refused at start", async (_what, controlToken, expected) => {
    await expect(startEmulator({ controlToken })).rejects.toThrow(expected);
  });

  test("a request with a huge path is logged clipped, so the log stays bounded in bytes", async () => {
    const own = await startEmulator();
    try {
      await call(own, "GET", `/api/v2/${"x".repeat(16_000)}/`, { token: null });
      const [entry] = own.requestLog;
      expect(entry?.path.length).toBeLessThanOrEqual(512);
      expect(entry?.path.endsWith("…")).toBe(true);
    } finally {
      await own.stop();
    }
  });
});
