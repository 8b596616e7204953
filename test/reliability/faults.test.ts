import type { ConnectionState } from "../../src/model/state";
import { DeploymentError } from "../../src/engine";
import { IssueTrackerConnection } from "../../src";
import { calls } from "../support/emulated-api";
import { startLocalStack } from "../support/local-stack";
import { startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";
import { SECRETS } from "../support/seeds";
import { record } from "./metrics";

// Faults injected by the emulator, met by the provider in-process and through Pulumi's real
// dynamic-provider host: throttling, 5xx bursts, resets, a server that stops answering, lost answers.
// Afterwards every connection exists exactly once (no duplicates, no losses).

type Bag = Record<string, unknown>;
const CONNECTIONS = "/api/v2/connections/issue-tracker/";
const declared = {
  alias: "Faulty Jira",
  connector: 1,
  project: 1,
  testConnection: false,
  params: {
    issue_tracker_server: "jira.example.com",
    issue_tracker_user: "pulumi-bot",
    issue_tracker_pass: "example-jira-password",
    issue_tracker_project: "PAY",
  },
};

let t: ProviderUnderTest;
let operations = 0;
let duplicates = 0;
let losses = 0;
let injected = 0;
beforeEach(async () => {
  t = await startProviderUnderTest();
});
afterEach(async () => {
  injected += t.api.emulator.faults.injected;
  await t.api.stop();
});
afterAll(() => record("faults", { "faults injected": injected, operations, duplicates, losses }));

/** Runs a provider operation, counted. */
async function op<T>(promise: Promise<T>): Promise<T> {
  operations += 1;
  return promise;
}

/** How many connections carry this alias; counts a duplicate or a loss against `expected`. */
function exactly(alias: string, expected: number): number {
  const n = t.api.emulator.connections().filter((c) => c.alias === alias).length;
  if (n > expected) duplicates += n - expected;
  if (n < expected) losses += expected - n;
  return n;
}

async function create(alias = declared.alias): Promise<{ id: string; outs: ConnectionState }> {
  const inputs = (await t.provider.check({}, { ...declared, alias })).inputs as Bag;
  const result = await op(t.provider.create(inputs));
  return { id: result.id, outs: result.outs as ConnectionState };
}

describe("within the retry budget, operations succeed", () => {
  test("a 429 storm with Retry-After on creates", async () => {
    t.api.emulator.faults.throttle({ count: 4, retryAfter: 0, method: "POST" });
    await create();
    expect(exactly(declared.alias, 1)).toBe(1);
    expect(calls(t.api.emulator).filter((c) => c === `POST ${CONNECTIONS}`)).toHaveLength(5);
  });

  test.each([502, 503, 504] as const)("a burst of %i on reads, updates and deletes", async (status) => {
    const { id, outs } = await create();
    t.api.emulator.faults.serverError({ count: 2, status, method: "GET" });
    await expect(op(t.provider.read(id, outs as unknown as Bag))).resolves.toMatchObject({ id });
    t.api.emulator.faults.serverError({ count: 2, status, method: "PATCH" });
    const news = (await t.provider.check({}, { ...declared, alias: "Faulty Jira 2" })).inputs as Bag;
    await expect(op(t.provider.update(id, outs as unknown as Bag, news))).resolves.toMatchObject({ outs: { alias: "Faulty Jira 2" } });
    t.api.emulator.faults.serverError({ count: 2, status, method: "DELETE" });
    await op(t.provider.delete(id, outs as unknown as Bag));
    expect(exactly("Faulty Jira 2", 0)).toBe(0);
  });

  test("a 503 burst on a create is retried (the server declined it) and makes one connection", async () => {
    t.api.emulator.faults.serverError({ count: 3, status: 503, method: "POST" });
    await create();
    expect(exactly(declared.alias, 1)).toBe(1);
  });
});

describe("when the budget is spent", () => {
  test("the error says how many attempts, for how long, and the last status; nothing is created", async () => {
    const small = t.providerWith({ maxAttempts: 3 });
    t.api.emulator.faults.throttle({ count: 10, retryAfter: 0, method: "POST" });
    const inputs = (await small.check({}, declared)).inputs as Bag;
    const error: Error = await op(small.create(inputs)).catch((e) => e);
    expect(error.message).toMatch(
      /^creating connection "Faulty Jira": POST \/api\/v2\/connections\/issue-tracker\/ → 429: Request was throttled/,
    );
    expect(error.message).toMatch(/gave up after 3 attempts over \d+\.\d s/);
    expect(error.message).toMatch(/retry budget is spent \(all 3 attempts, last status 429\)/);
    expect(error.stack).toBe(error.message);
    expect(exactly(declared.alias, 0)).toBe(0);
  });

  test("a 502 storm on reads ends with the budget and the last status", async () => {
    const { id, outs } = await create();
    const small = t.providerWith({ maxAttempts: 2 });
    t.api.emulator.faults.serverError({ count: 5, status: 502, method: "GET" });
    await expect(op(small.read(id, outs as unknown as Bag))).rejects.toThrow(
      /reading connection \d+: .*→ 502.*gave up after 2 attempts.*last status 502/,
    );
  });
});

describe("Retry-After and the retry time are honoured", () => {
  const reads = () => calls(t.api.emulator).filter((c) => c.startsWith(`GET ${CONNECTIONS}`)).length;

  test("a Retry-After longer than the retry time ends retrying at once, and says so", async () => {
    const { id, outs } = await create();
    const small = t.providerWith({ retryTimeoutMs: 1000 });
    t.api.emulator.clearRequestLog();
    t.api.emulator.faults.throttle({ count: 1, retryAfter: 2, method: "GET" });
    await expect(op(small.read(id, outs as unknown as Bag))).rejects.toThrow(
      /→ 429: Request was throttled\. Expected available in 2 seconds\..*retry budget is spent \(the 1 s retry time, last status 429\)/,
    );
    expect(reads()).toBe(1);
  });

  test("without Retry-After, the backoff's waits spend the retry time before the attempts run out", async () => {
    const { id, outs } = await create();
    const slow = t.providerWith({ maxAttempts: 20, retryTimeoutMs: 150, retryBaseDelayMs: 100, retryMaxDelayMs: 100 });
    t.api.emulator.clearRequestLog();
    t.api.emulator.faults.serverError({ count: 50, status: 503, method: "GET" });
    await expect(op(slow.read(id, outs as unknown as Bag))).rejects.toThrow(
      /retry budget is spent \(the 0\.15 s retry time, last status 503\)/,
    );
    expect(reads()).toBeLessThan(20);
  });
});

describe("resets and a server that stops answering", () => {
  test("a reset read is retried", async () => {
    const { id, outs } = await create();
    t.api.emulator.faults.reset({ count: 2, method: "GET" });
    await expect(op(t.provider.read(id, outs as unknown as Bag))).resolves.toMatchObject({ id });
  });

  test("a reset create was not applied: the provider finds nothing, says the outcome is unknown, and the next up looks first and creates it once", async () => {
    t.api.emulator.faults.reset({ count: 1, method: "POST" });
    const inputs = (await t.provider.check({}, declared)).inputs as Bag;
    const error = await op(t.provider.create(inputs)).catch((e) => e);
    expect(error.message).toMatch(
      /no reliable answer came to the create .*, and no connection with this alias appeared in the project within 0\.17 s, so whether it was created is unknown .*the next `pulumi up` looks for it again before creating anything/,
    );
    expect(error.message).not.toMatch(/Run again|not created/);
    // A partial failure: the engine records it, and the next up's diff asks for its replacement.
    expect(error).toMatchObject({
      id: "unconfirmed",
      properties: { alias: declared.alias, project: 1, connector: 1, createOutcome: "unknown" },
    });
    expect(exactly(declared.alias, 0)).toBe(0);
    await expect(t.provider.diff(error.id, error.properties, inputs)).resolves.toMatchObject({ replaces: ["connectionId"] });
    t.api.emulator.clearRequestLog();
    const made = await op(t.provider.create(inputs));
    await t.provider.delete(error.id, error.properties);
    expect(calls(t.api.emulator)).toEqual([`GET ${CONNECTIONS}`, `POST ${CONNECTIONS}`]);
    expect(exactly(declared.alias, 1)).toBe(1);
    expect(t.api.emulator.connections().map((c) => String(c.id))).toContain(made.id);
  });

  test("a hung read ends with a timeout error within the configured bound", async () => {
    const { id, outs } = await create();
    const impatient = t.providerWith({ timeoutMs: 300 });
    t.api.emulator.faults.hang({ count: 1, method: "GET" });
    await expect(op(impatient.read(id, outs as unknown as Bag))).rejects.toThrow(/reading connection \d+: GET .*: no answer within 0\.3 s/);
  });

  test("a hung create ends in time and is not duplicated", async () => {
    const impatient = t.providerWith({ timeoutMs: 300 });
    t.api.emulator.faults.hang({ count: 1, method: "POST" });
    const inputs = (await impatient.check({}, declared)).inputs as Bag;
    await expect(op(impatient.create(inputs))).rejects.toThrow(/no answer in time/);
    expect(exactly(declared.alias, 0)).toBe(0);
  });
});

describe("lost answers", () => {
  test("a create applied but unanswered is adopted, not posted again", async () => {
    t.api.emulator.faults.dropResponse({ count: 1, method: "POST", path: CONNECTIONS });
    const { outs } = await create();
    expect(outs).toMatchObject({ alias: declared.alias, system: { id: "jira" } });
    expect(exactly(declared.alias, 1)).toBe(1);
  });

  test("an unanswered create that cannot be decided names the connection to check", async () => {
    await create(); // a connection with the same alias already exists
    t.api.emulator.faults.dropResponse({ count: 1, method: "POST", path: CONNECTIONS });
    await expect(create()).rejects.toThrow(
      /connection "Faulty Jira" in project 1: no reliable answer came to the create .*, and 2 identical connections with this alias exist \(ids \d+, \d+\); delete the extra one/,
    );
    expect(exactly(declared.alias, 2)).toBe(2);
  });

  test("someone else's connection with the same alias is never taken over", async () => {
    const theirs = await t.api.client.connections.create({
      alias: declared.alias,
      connector: 1,
      project: 1,
      params: { issue_tracker_project: "OPS" },
    });
    t.api.emulator.faults.reset({ count: 1, method: "POST", path: CONNECTIONS });
    await expect(create()).rejects.toThrow(
      new RegExp(
        `the connection with this alias that exists \\(id ${theirs.id}\\) is not the one requested .* left alone; whether "Faulty Jira" was created is unknown`,
      ),
    );
    expect(t.api.emulator.connections().find((c) => c.id === theirs.id)?.params).toMatchObject({ issue_tracker_project: "OPS" });
  });

  test("a connection that has synced before is not mistaken for the one just requested", async () => {
    const { id } = await create();
    t.api.emulator.recordSyncJob(Number(id), { succeeded: true });
    await t.api.client.connections.delete(Number(id)).catch(() => undefined);
    const again = await create();
    t.api.emulator.recordSyncJob(Number(again.id), { succeeded: true });
    t.api.emulator.faults.reset({ count: 1, method: "POST", path: CONNECTIONS });
    await expect(create()).rejects.toThrow(/is not the one requested \(its settings differ, or it has synced before\)/);
  });

  test("an update applied but unanswered is sent again and converges", async () => {
    const { id, outs } = await create();
    t.api.emulator.faults.dropResponse({ count: 1, method: "PATCH" });
    const news = (await t.provider.check({}, { ...declared, frequency: "weekly" })).inputs as Bag;
    await expect(op(t.provider.update(id, outs as unknown as Bag, news))).resolves.toMatchObject({ outs: { frequency: "weekly" } });
  });

  test("a delete applied but unanswered is done", async () => {
    const { id, outs } = await create();
    t.api.emulator.faults.dropResponse({ count: 1, method: "DELETE" });
    await op(t.provider.delete(id, outs as unknown as Bag));
    expect(exactly(declared.alias, 0)).toBe(0);
  });
});

describe("through Pulumi's dynamic-provider host", () => {
  test("an up under a 429 storm and 503 bursts creates each connection once", async () => {
    const names = ["a", "b", "c", "d", "e"];
    const stack = await startLocalStack(() => {
      for (const n of names) new IssueTrackerConnection(n, { ...declared, alias: `Host ${n}` });
    });
    try {
      stack.emulator.faults.throttle({ count: 6, retryAfter: 0, method: "POST" });
      stack.emulator.faults.serverError({ count: 4, status: 503 });
      const result = await stack.engine.up();
      operations += result.steps.length;
      expect(result.steps.map((s) => s.op)).toEqual(names.map(() => "create"));
      for (const n of names) {
        const count = stack.emulator.connections().filter((c) => c.alias === `Host ${n}`).length;
        duplicates += Math.max(0, count - 1);
        losses += Math.max(0, 1 - count);
        expect(count).toBe(1);
      }
      injected += stack.emulator.faults.injected;
    } finally {
      await stack.stop();
    }
  });

  test("a spent budget fails the up with the attempts and the last status, and no stack trace of ours", async () => {
    const stack = await startLocalStack(() => void new IssueTrackerConnection("x", declared), {
      config: { "sdelements:maxAttempts": "2" },
    });
    try {
      stack.emulator.faults.throttle({ count: 50, retryAfter: 0 });
      const error: DeploymentError = await stack.engine.up().catch((e) => e);
      operations += 1;
      injected += stack.emulator.faults.injected;
      expect(error.errors.join("\n")).toMatch(/gave up after 2 attempts .*last status 429/);
      expect(stack.hostLog.join("\n")).not.toMatch(/^\s+at /m);
      expect(stack.hostLog.join("\n")).not.toContain(SECRETS.sdeToken);
    } finally {
      await stack.stop();
    }
  });

  test("a refresh against a server that stops answering ends with a timeout error", async () => {
    const stack = await startLocalStack(() => void new IssueTrackerConnection("x", declared), { config: { "sdelements:timeout": "0.5" } });
    try {
      await stack.engine.up();
      stack.emulator.faults.hang({ count: 1, method: "GET" });
      const error: DeploymentError = await stack.engine.refresh().catch((e) => e);
      operations += 2;
      injected += stack.emulator.faults.injected;
      expect(error.errors).toEqual([expect.stringMatching(/refreshing failed: reading connection \d+: GET .*: no answer within 0\.5 s/)]);
    } finally {
      await stack.stop();
    }
  });
});
