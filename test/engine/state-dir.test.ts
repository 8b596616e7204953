import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IssueTrackerConnection } from "../../src";
import { isSecret, LocalEngine, plaintextOccurrences } from "../../src/engine";
import { localStackOptions, startLocalStack, type LocalStack } from "../support/local-stack";
import { SECRETS } from "../support/seeds";

// A stack kept in a directory lives on from one engine (one run) to the next, as with `pulumi up` on a
// local backend: a field edited between runs is an update of the same connection, not a second create.
let dir: string;
let alias: string;
let stack: LocalStack;
const program = () => {
  const connection = new IssueTrackerConnection("jira", {
    alias,
    connector: 1,
    project: 1,
    testConnection: false,
    params: { issue_tracker_project: "PAY", issue_tracker_user: "ci-bot", issue_tracker_pass: SECRETS.password },
  });
  return { id: connection.connectionId };
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "state-dir-"));
  alias = "Payments Jira";
  stack = await startLocalStack(program, { stateDir: dir });
});
afterEach(async () => {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A second engine on the same directory and emulator: the next run. */
function nextRun(more: { project?: string } = {}): LocalEngine {
  return new LocalEngine(localStackOptions(stack.emulator, program, { stateDir: dir, ...more }));
}

test("the next run sees the stack: no change is no step, an edited alias one PATCH of the same connection", async () => {
  const first = await stack.engine.up();
  await stack.engine.close();
  const id = stack.engine.state[0]!.id;

  const second = nextRun();
  try {
    expect(second.state.map((r) => `${r.name}=${r.id}`)).toEqual([`jira=${id}`]);
    expect((await second.preview()).steps.map((s) => s.op)).toEqual(["same"]);
    alias = "Payments EU Jira";
    stack.emulator.clearRequestLog();
    const update = await second.up();
    expect(update.steps).toEqual([expect.objectContaining({ op: "update", name: "jira", changed: ["alias"] })]);
    expect(stack.emulator.requestLog.filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path}`)).toEqual([
      `PATCH /api/v2/connections/issue-tracker/${id}/`,
    ]);
    expect(update.outputs).toEqual(first.outputs);
  } finally {
    await second.close();
  }

  const third = nextRun();
  try {
    expect(third.state[0]!.outputs.alias).toBe("Payments EU Jira");
    await third.destroy();
  } finally {
    await third.close();
  }
  expect(nextRun().state).toEqual([]);
  expect(stack.emulator.connections().map((c) => c.alias)).toEqual(["Rally Integration"]);
});

test("the state file holds no secret in plain text: secrets are encrypted with the stack's key, both files 0600", async () => {
  await stack.engine.up();
  const text = readFileSync(join(dir, "state.json"), "utf8");
  expect(text).not.toContain(SECRETS.password);
  expect(text).not.toContain(SECRETS.sdeToken);
  expect(text).toMatch(/"ciphertext": "v1:/);
  expect(statSync(join(dir, "state.json")).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, "secrets.key")).mode & 0o777).toBe(0o600);
  // Read back, the secrets are secrets again (envelopes with their values), in the same places.
  const params = nextRun().state[0]!.inputs.params as Record<string, unknown>;
  expect(isSecret(params.issue_tracker_pass)).toBe(true);
  expect(plaintextOccurrences(nextRun().state, [SECRETS.password])).toEqual([]);
});

test("another program's directory, or a key that does not open the secrets, is refused naming the fix", async () => {
  await stack.engine.up();
  expect(() => nextRun({ project: "other" })).toThrow(
    `${dir} holds the stack lifecycle/dev, not other/dev: give each program and stack its own directory (its resources would be deleted otherwise)`,
  );
  writeFileSync(join(dir, "secrets.key"), "00".repeat(32));
  expect(() => nextRun()).toThrow(
    `the secrets in ${join(dir, "state.json")} do not open with ${join(dir, "secrets.key")}: the key belongs to another stack`,
  );
});
