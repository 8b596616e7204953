import { request } from "node:http";
import { DEFAULT_TOKEN, startEmulator, type Emulator } from "../../src/emulator";
import { record } from "./metrics";

// The emulator under hostile requests: malformed JSON, wrong content types, oversized bodies, ids that are
// not numbers, path tricks, and many concurrent writes to one connection. Every request gets an answer
// (never a crash or a hang) and nothing changes that should not.

let emulator: Emulator;
let probes = 0;
let unanswered = 0;
beforeAll(async () => {
  emulator = await startEmulator({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await emulator.stop();
  record("emulator", { "hostile requests": probes, "left unanswered": unanswered });
});

/** A raw request (node:http, so paths are sent exactly as written); resolves with status and body. */
function raw(
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  probes += 1;
  const url = new URL(emulator.url);
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: { authorization: `Token ${DEFAULT_TOKEN}`, ...headers } },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", () => {
      unanswered += 1;
      resolve({ status: 0, body: "" });
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const JSON_TYPE = { "content-type": "application/json" };
const CONNECTIONS = "/api/v2/connections/issue-tracker/";

test.each<[string, string, string, (string | Buffer)?, Record<string, string>?, number?]>([
  ["malformed JSON", "POST", CONNECTIONS, '{"alias": "x",', JSON_TYPE, 400],
  ["a JSON string instead of an object", "POST", CONNECTIONS, '"just a string"', JSON_TYPE, 400],
  ["JSON with a trailing comma", "PATCH", `${CONNECTIONS}1/`, '{"alias": "x",}', JSON_TYPE, 400],
  ["a form body", "POST", CONNECTIONS, "alias=x&connector=1", { "content-type": "application/x-www-form-urlencoded" }, 415],
  ["text/plain", "PATCH", `${CONNECTIONS}1/`, '{"alias":"x"}', { "content-type": "text/plain" }, 415],
  ["an oversized body", "POST", CONNECTIONS, JSON.stringify({ alias: "x".repeat(200_000) }), JSON_TYPE, 413],
  ["binary garbage", "POST", CONNECTIONS, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]), JSON_TYPE, 400],
  ["an id that is a word", "GET", `${CONNECTIONS}abc/`, undefined, undefined, 404],
  ["a negative id", "GET", `${CONNECTIONS}-1/`, undefined, undefined, 404],
  ["a fractional id", "DELETE", `${CONNECTIONS}1.5/`, undefined, undefined, 404],
  ["an id with an exponent", "PATCH", `${CONNECTIONS}1e3/`, '{"alias":"x"}', JSON_TYPE, 404],
  ["an enormous id", "GET", `${CONNECTIONS}99999999999999999999999/`, undefined, undefined, 404],
  ["a dot-dot segment", "GET", "/api/v2/connections/issue-tracker/../../projects/1/", undefined, undefined, 404],
  ["an encoded dot-dot", "GET", "/api/v2/connections/issue-tracker/%2e%2e/%2e%2e/etc/passwd/", undefined, undefined, 404],
  ["an encoded slash", "GET", "/api/v2/connections%2Fissue-tracker/1/", undefined, undefined, 404],
  ["a double slash", "GET", "/api/v2//connections/issue-tracker/1/", undefined, undefined, 404],
  ["a NUL in the path", "GET", "/api/v2/connections/issue-tracker/1%00/", undefined, undefined, 404],
  ["the control surface with an API token", "GET", "/_emulator/requests/", undefined, undefined, 404],
])("%s is answered (%s %s)", async (_what, method, path, body, headers, expected) => {
  const before = JSON.stringify(emulator.connections());
  const answer = await raw(method, path, body, headers);
  expect(answer.status).toBe(expected);
  expect(() => JSON.parse(answer.body)).not.toThrow();
  expect(JSON.stringify(emulator.connections())).toBe(before);
});

test("100 concurrent PATCHes of one connection: all answered, the last write wins whole, the server goes on", async () => {
  const writes = Array.from({ length: 100 }, (_, i) =>
    raw(
      "PATCH",
      `${CONNECTIONS}1/`,
      JSON.stringify({ alias: `Concurrent ${i}`, params: { issue_tracker_parent_issue: `P-${i}` } }),
      JSON_TYPE,
    ),
  );
  const answers = await Promise.all(writes);
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  const final = emulator.connections().find((c) => c.id === 1)!;
  // Alias and param come from the same write: no interleaving of two requests' fields.
  const n = /^Concurrent (\d+)$/.exec(final.alias)?.[1];
  expect(final.params?.issue_tracker_parent_issue).toBe(`P-${n}`);
  expect((await raw("GET", `${CONNECTIONS}1/`)).status).toBe(200);
});
