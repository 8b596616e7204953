import { createServer } from "node:http";
import { IssueTrackerConnection, SdeClient } from "../../src";
import { DEFAULT_TOKEN } from "../../src/emulator";
import { DeploymentError, plaintextOccurrences } from "../../src/engine";
import type { ConnectionProvider } from "../../src/provider/connection-provider";
import { calls } from "../support/emulated-api";
import { startLocalStack } from "../support/local-stack";
import { listenOnLoopback } from "../support/loopback";
import { startProviderUnderTest, type ProviderUnderTest } from "../support/provider-under-test";
import { SECRETS } from "../support/seeds";
import { record } from "./metrics";

// Answers a server should never give, met by the provider in-process and through Pulumi's real
// dynamic-provider host: a create applied and then failed (a 5xx, a reset with a late commit, a hang), an
// answer that describes another connection or names someone else's id, a body that trickles without end
// or is far too large, a redirect, answers that echo the request. Nothing that is not ours is deleted or
// changed, no connection is made twice, every request ends by itself, and no credential shows in any form.

type Bag = Record<string, unknown>;
type Failed = Error & { id?: string; properties?: Bag };
const CONNECTIONS = "/api/v2/connections/issue-tracker/";
// Spaces around it (DRF trims them), a quote and a backslash (escaped in JSON text), characters a URL
// encodes. CORE is in every form of it, so a leak in any form is found by searching for CORE.
const CORE = "HostileCanary5d1f";
const PASSWORD = ` p"a\\${CORE}&% `;
const declared = {
  alias: "Hostile Jira",
  connector: 1,
  project: 1,
  testConnection: false,
  params: {
    issue_tracker_server: "jira.example.com",
    issue_tracker_user: "pulumi-bot",
    issue_tracker_pass: PASSWORD,
    issue_tracker_project: "PAY",
  },
};

let t: ProviderUnderTest;
const counts = {
  "answers tried": 0,
  "foreign deletes refused": 0,
  "answers cut off": 0,
  "foreign connections deleted or changed": 0,
  duplicates: 0,
  leaks: 0,
};
let theirs: string;
beforeEach(async () => {
  t = await startProviderUnderTest();
  theirs = JSON.stringify(t.api.emulator.connections());
});
afterEach(async () => {
  // What was there before (someone else's) is all still there, unchanged.
  const now = t.api.emulator.connections();
  const touched = (JSON.parse(theirs) as { id: number }[])
    .filter((before) => JSON.stringify(now.find((c) => c.id === before.id)) !== JSON.stringify(before))
    .map((before) => before.id);
  counts["foreign connections deleted or changed"] += touched.length;
  counts["answers tried"] += t.api.emulator.faults.injected;
  await t.api.stop();
  expect(touched).toEqual([]);
});
afterAll(() => record("hostile answers", counts));

const inputsOf = async (provider: ConnectionProvider, more: Bag = {}) => (await provider.check({}, { ...declared, ...more })).inputs as Bag;

/** How many connections carry the alias; any beyond one is counted as a duplicate. */
function ours(alias = declared.alias): number {
  const n = t.api.emulator.connections().filter((c) => c.alias === alias).length;
  counts.duplicates += Math.max(0, n - 1);
  return n;
}

/** Where in what a user could see the password or the token shows, in any form (outside secret envelopes). */
function leaksIn(seen: unknown, needles: readonly string[] = [CORE, DEFAULT_TOKEN]): string[] {
  const found = plaintextOccurrences(seen, needles);
  counts.leaks += found.length;
  return found;
}

/**
 * What a server that commits the lost create after every lookup of the window leaves: the connection as
 * requested (made here, so that when it appears does not depend on timing).
 */
async function commitLate(client = t.api.client): Promise<void> {
  const { testConnection: _t, ...body } = declared;
  await client.connections.create({ ...body, frequency: "manually", debug_mode: false });
}

/** The next `up` after a create of unknown outcome: diff asks for a replacement, whose create looks first. */
async function nextUp(provider: ConnectionProvider, failed: Failed, inputs: Bag) {
  expect(failed).toMatchObject({ id: "unconfirmed", properties: { alias: declared.alias, createOutcome: "unknown" } });
  await expect(provider.diff(failed.id!, failed.properties!, inputs)).resolves.toMatchObject({
    replaces: ["connectionId"],
    deleteBeforeReplace: false,
  });
  const made = await provider.create(inputs);
  await provider.delete(failed.id!, failed.properties!);
  return made;
}

describe("a create that is applied and then fails is found and adopted, never made twice", () => {
  test.each([500, 502, 504] as const)("applied, then %i", async (status) => {
    t.api.emulator.faults.serverError({ count: 1, status, method: "POST", applied: true });
    const made = await t.provider.create(await inputsOf(t.provider));
    expect(made.outs).toMatchObject({ alias: declared.alias, connectionId: Number(made.id) });
    expect(ours()).toBe(1);
    expect(calls(t.api.emulator).filter((c) => c === `POST ${CONNECTIONS}`)).toHaveLength(1);
  });

  test("applied, then no answer (a hang until the timeout)", async () => {
    const impatient = t.providerWith({ timeoutMs: 300 });
    t.api.emulator.faults.hang({ count: 1, method: "POST", applied: true });
    await expect(impatient.create(await inputsOf(impatient))).resolves.toMatchObject({ outs: { alias: declared.alias } });
    expect(ours()).toBe(1);
  });

  test("a reset, and the server commits a moment later: the lookup is repeated over a short window", async () => {
    const patient = t.providerWith({}, { lookupPausesMs: [100, 200, 400, 800] });
    t.api.emulator.faults.reset({ count: 1, method: "POST", appliedAfterMs: 100 });
    await expect(patient.create(await inputsOf(patient))).resolves.toMatchObject({ outs: { alias: declared.alias } });
    expect(ours()).toBe(1);
  });

  test("a reset, and the commit comes after the window: the outcome is unknown, and the next up adopts it instead of posting", async () => {
    t.api.emulator.faults.reset({ count: 1, method: "POST" });
    const inputs = await inputsOf(t.provider);
    const failed: Failed = await t.provider.create(inputs).catch((e) => e);
    expect(failed.message).toMatch(/whether it was created is unknown .*the next `pulumi up` looks for it again before creating anything/);
    expect(failed.message).not.toMatch(/Run again|was not created/);
    await commitLate();
    const made = await nextUp(t.providerWith({}), failed, inputs);
    expect(t.api.emulator.connections().find((c) => c.alias === declared.alias)?.id).toBe(Number(made.id));
    expect(ours()).toBe(1);
  });
});

describe("answers that are not about the connection requested", () => {
  test("a 201 describing another connection is not taken for ours: the one made is looked up and adopted", async () => {
    t.api.emulator.faults.foreignAnswer({ count: 1, method: "POST", connection: 1 });
    const made = await t.provider.create(await inputsOf(t.provider));
    expect(made.id).not.toBe("1");
    expect(made.outs).toMatchObject({ alias: declared.alias, project: 1 });
    expect(ours()).toBe(1);
  });

  // One field at a time, so that the check of each field is needed: the answer is the connection just
  // made, as if the server had stored (or a cache returned) something else in that one field.
  test.each([
    ["alias", { alias: "Someone Else's Jira" }],
    ["project", { project: 2 }],
    ["connector", { connector: 2 }],
    ["frequency", { frequency: "weekly" as const }],
    ["debug_mode", { debug_mode: true }],
  ])(
    "a 201 differing from the request in its %s alone is an unknown outcome: the one made is looked up and adopted as requested",
    async (_field, altered) => {
      t.api.emulator.faults.foreignAnswer({ count: 1, method: "POST", altered });
      const made = await t.provider.create(await inputsOf(t.provider));
      const stored = t.api.emulator.connections().find((c) => c.alias === declared.alias);
      expect(made.id).toBe(String(stored?.id));
      expect(made.outs).toMatchObject({ alias: declared.alias, project: 1, connector: 1, frequency: "manually", debugMode: false });
      expect(calls(t.api.emulator).filter((c) => c === `POST ${CONNECTIONS}`)).toHaveLength(1);
      expect(ours()).toBe(1);
    },
  );

  // Someone's connection that looks like the one requested in all but one field is not ours to delete.
  test.each([
    ["its alias", { alias: "Hostile Jira (theirs)" }],
    ["its project", { project: 2 }],
    ["its frequency", { frequency: "daily" as const }],
    ["its tracker project", { params: { ...declared.params, issue_tracker_project: "OPS" } }],
  ])("a malformed 201 naming a look-alike that differs in %s deletes nothing", async (_what, differs) => {
    const { testConnection: _t, ...body } = declared;
    const theirsToo = await t.api.client.connections.create({ ...body, frequency: "manually", debug_mode: false, ...differs });
    theirs = JSON.stringify(t.api.emulator.connections());
    t.api.emulator.faults.foreignId({ count: 1, method: "POST", id: theirsToo.id });
    const failed: Failed = await t.provider.create(await inputsOf(t.provider)).catch((e) => e);
    expect(failed.message).toMatch(new RegExp(`names id ${theirsToo.id}, which is connection .*nothing was deleted`));
    expect(calls(t.api.emulator).filter((c) => c.startsWith("DELETE"))).toEqual([]);
    counts["foreign deletes refused"] += 1;
  });

  test.each([
    ["another project's connection", () => 1],
    ["a connection that does not exist", () => 999],
  ])("a malformed 201 naming %s deletes nothing; the next up adopts the one made", async (_what, id) => {
    t.api.emulator.faults.foreignId({ count: 1, method: "POST", id: id() });
    const inputs = await inputsOf(t.provider);
    const failed: Failed = await t.provider.create(inputs).catch((e) => e);
    expect(failed.message).toMatch(
      new RegExp(
        `The answer names id ${id()}, which is .*not the connection requested, so nothing was deleted: check connection ${id()} in SD Elements`,
      ),
    );
    expect(calls(t.api.emulator).filter((c) => c.startsWith("DELETE"))).toEqual([]);
    counts["foreign deletes refused"] += 1;
    await nextUp(t.provider, failed, inputs);
    expect(ours()).toBe(1);
  });

  test("a malformed 201 naming a connection with the same alias that has synced before: not ours, not deleted", async () => {
    const earlier = await t.provider.create(await inputsOf(t.provider));
    t.api.emulator.recordSyncJob(Number(earlier.id), { succeeded: true });
    theirs = JSON.stringify(t.api.emulator.connections());
    t.api.emulator.faults.foreignId({ count: 1, method: "POST", id: Number(earlier.id) });
    const failed: Failed = await t.provider.create(await inputsOf(t.provider)).catch((e) => e);
    expect(failed.message).toMatch(
      new RegExp(
        `names id ${earlier.id}, which is connection "Hostile Jira" in project 1 \\(connector 1, synced before\\).*nothing was deleted`,
      ),
    );
    counts["foreign deletes refused"] += 1;
  });
});

describe("every request ends by itself, and reads a bounded amount", () => {
  test("a read whose body never ends is aborted at the deadline", async () => {
    const made = await t.provider.create(await inputsOf(t.provider));
    const impatient = t.providerWith({ timeoutMs: 300, retryTimeoutMs: 300 });
    t.api.emulator.faults.slowBody({ count: 1, intervalMs: 50, endless: true, method: "GET" });
    await expect(impatient.read(made.id, made.outs)).rejects.toThrow(/did not finish within its deadline of 0\.6 s/);
    counts["answers cut off"] += 1;
  });

  test("a create whose body never ends: aborted at the deadline, and the connection it made is adopted", async () => {
    const impatient = t.providerWith({ timeoutMs: 300, retryTimeoutMs: 300 });
    t.api.emulator.faults.slowBody({ count: 1, intervalMs: 50, endless: true, method: "POST" });
    await expect(impatient.create(await inputsOf(impatient))).resolves.toMatchObject({ outs: { alias: declared.alias } });
    counts["answers cut off"] += 1;
    expect(ours()).toBe(1);
  });

  test("a read of 256 MiB stops at the limit", async () => {
    const made = await t.provider.create(await inputsOf(t.provider));
    t.api.emulator.faults.oversizedBody({ count: 1, bytes: 256 * 1024 * 1024, method: "GET" });
    await expect(t.provider.read(made.id, made.outs)).rejects.toThrow(/the answer is larger than 8 MiB, the most this client reads/);
    counts["answers cut off"] += 1;
  });

  test("a create answered with 64 MiB: reading stops at the limit, and the connection it made is adopted", async () => {
    t.api.emulator.faults.oversizedBody({ count: 1, bytes: 64 * 1024 * 1024, method: "POST" });
    await expect(t.provider.create(await inputsOf(t.provider))).resolves.toMatchObject({ outs: { alias: declared.alias } });
    counts["answers cut off"] += 1;
    // Cut off, the answer was not taken (padding or not, it would parse): the connection was looked up.
    expect(calls(t.api.emulator).slice(-2)).toEqual([`POST ${CONNECTIONS}`, `GET ${CONNECTIONS}`]);
    expect(ours()).toBe(1);
  });

  test("a redirect to another server is not followed: it receives nothing, the token least of all", async () => {
    const seen: string[] = [];
    const elsewhere = await listenOnLoopback(createServer((req, res) => (seen.push(`${req.method} ${req.url}`), res.end("{}"))));
    try {
      const made = await t.provider.create(await inputsOf(t.provider));
      t.api.emulator.faults.redirect({ count: 1, status: 307, location: `${elsewhere.url}/api/v2/connections/issue-tracker/${made.id}/` });
      await expect(t.provider.read(made.id, made.outs)).rejects.toThrow(
        new RegExp(`redirects this request to ${elsewhere.url.replace(/\./g, "\\.")} \\(HTTP 307\\), and redirects are not followed`),
      );
      expect(seen).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe("answers that echo the request show no credential, in any form", () => {
  test.each(["raw", "json", "trimmed", "urlencoded", "key"] as const)(
    "%s: a create, an update, a connection test and a read",
    async (form) => {
      const made = await t.provider.create(await inputsOf(t.provider));
      const seen: unknown[] = [];
      t.api.emulator.faults.echo({ count: 1, form, method: "POST", path: CONNECTIONS });
      seen.push((await t.provider.create(await inputsOf(t.provider, { alias: "Hostile Jira 2" })).catch((e) => e)).message);
      t.api.emulator.faults.echo({ count: 1, form, method: "PATCH" });
      const renamed = await inputsOf(t.provider, { alias: "Hostile Jira 3" });
      seen.push((await t.provider.update(made.id, made.outs, renamed).catch((e) => e)).message);
      t.api.emulator.faults.echo({ count: 1, form, path: "/api/v2/connections/test-issue-tracker/" });
      // The check's inputs are the program's own (kept secret by the engine): what it says is its failures.
      seen.push(
        await t.provider.check({}, { ...declared, alias: "Hostile Jira 4", testConnection: true }).then(
          (r) => r.failures,
          (e) => e.message,
        ),
      );
      t.api.emulator.faults.echo({ count: 1, form, method: "GET" });
      seen.push((await t.provider.read(made.id, made.outs).catch((e) => e)).message);
      expect(leaksIn([seen, t.warnings])).toEqual([]);
      // Each answer did echo something, and what it echoed was hidden.
      expect(JSON.stringify(seen)).toContain("[redacted]");
    },
  );
});

describe("through Pulumi's dynamic-provider host", () => {
  test("an up whose create's outcome stays unknown records it in the state; the next up adopts the connection, with no duplicate", async () => {
    const stack = await startLocalStack(() => void new IssueTrackerConnection("jira", declared));
    try {
      // Nothing is found within the lookup window (3.5 s by default); the connection appears afterwards.
      stack.emulator.faults.reset({ count: 1, method: "POST" });
      const error: DeploymentError = await stack.engine.up().catch((e) => e);
      expect(error.errors.join("\n")).toMatch(/whether it was created is unknown.*the next `pulumi up` looks for it again/);
      expect(stack.engine.state).toEqual([
        expect.objectContaining({ name: "jira", id: "unconfirmed", initErrors: [expect.stringMatching(/unknown/)] }),
      ]);
      const preview = await stack.engine.preview();
      expect(preview.steps.map((s) => s.op)).toEqual(["replace"]);
      const client = new SdeClient({ url: stack.emulator.url, token: SECRETS.sdeToken }, {});
      await commitLate(client).finally(() => client.close());
      stack.emulator.clearRequestLog();
      const up = await stack.engine.up();
      expect(up.steps.map((s) => s.op)).toEqual(["replace"]);
      expect(calls(stack.emulator).filter((c) => c.startsWith("POST") || c.startsWith("DELETE"))).toEqual([]);
      const [connection] = stack.emulator.connections().filter((c) => c.alias === declared.alias);
      expect(stack.engine.state).toEqual([expect.objectContaining({ name: "jira", id: String(connection?.id) })]);
      expect(stack.engine.state[0]?.initErrors).toBeUndefined();
      counts.duplicates += Math.max(0, stack.emulator.connections().filter((c) => c.alias === declared.alias).length - 1);
      expect(leaksIn([error.errors, stack.hostLog, stack.engine.state], [CORE, SECRETS.sdeToken])).toEqual([]);
      counts["answers tried"] += stack.emulator.faults.injected;
    } finally {
      await stack.stop();
    }
  });

  test("echoes through the host: nothing of the password or the token in the errors, the state or the host's output", async () => {
    const stack = await startLocalStack(() => void new IssueTrackerConnection("jira", declared), {
      config: { "sdelements:debug": "true" },
    });
    try {
      for (const form of ["raw", "json", "trimmed", "urlencoded", "key"] as const) {
        stack.emulator.faults.echo({ count: 1, form, method: "POST" });
        const error: DeploymentError = await stack.engine.up().catch((e) => e);
        expect(error).toBeInstanceOf(DeploymentError);
        expect(leaksIn([error.errors, stack.hostLog, stack.engine.state], [CORE, SECRETS.sdeToken])).toEqual([]);
      }
      counts["answers tried"] += stack.emulator.faults.injected;
    } finally {
      await stack.stop();
    }
  });
});
