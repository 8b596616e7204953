// The provider's stored outputs: toState (params/credentials split, last job, nothing undefined), managementOf, currentParam,
// toInputs, and reading a stored state back (readState: lenient with older states, precise about unreadable ones; readableParts).
import type { Connection } from "../../src/schema/connection";
import type { LastJob } from "../../src/schema/job";
import {
  currentParam,
  managementOf,
  readableParts,
  readState,
  toInputs,
  toState,
  type ConnectionState,
  type Management,
  type SyncJob,
} from "../../src/model/state";

const PASSWORD = "s3cret-Passw0rd";
const CONNECTOR_PASSWORD = "connector-filled-password";

/** A connection as the API answers a single GET, with the params a full-permission token sees. */
const connection: Connection = {
  id: 5,
  alias: "Payments Jira",
  system: { id: "jira", name: "JIRA", short_name: "JIRA" },
  frequency: "daily",
  command: "sync_jira",
  debug_mode: true,
  params: {
    issue_tracker_project: "PAY",
    issue_tracker_user: "sindy",
    issue_tracker_pass: PASSWORD,
    issue_tracker_server: "jira.example.com",
    sde_min_priority: 7,
  },
  inaccessible: false,
  connector: 1,
  project: 2,
};

const managed: Management = { paramKeys: ["issue_tracker_user", "issue_tracker_project", "issue_tracker_pass"], testConnection: true };

const job = (over: Partial<LastJob> = {}): LastJob => ({
  id: 40,
  succeeded: true,
  ready: true,
  automatic: false,
  last_run: "2024-05-01T10:00:00Z",
  result_message: "Synced 3 tasks",
  ...over,
});

const syncJob = (over: Partial<SyncJob> = {}): SyncJob => ({
  id: 40,
  succeeded: true,
  ready: true,
  automatic: false,
  lastRun: "2024-05-01T10:00:00Z",
  resultMessage: "Synced 3 tasks",
  ...over,
});

describe("managementOf", () => {
  test("takes the declared param keys and the provider's own settings", () => {
    expect(managementOf({ params: { b: 1, a: "x" }, testConnection: false, adoptId: 12 })).toEqual({
      paramKeys: ["b", "a"],
      testConnection: false,
      adoptId: 12,
    });
  });
});

describe("toState", () => {
  test("maps the API's fields to camelCase outputs", () => {
    const state = toState(connection, { ...managed, testConnection: false, adoptId: 5 });
    expect(state).toMatchObject({
      connectionId: 5,
      alias: "Payments Jira",
      connector: 1,
      project: 2,
      frequency: "daily",
      debugMode: true,
      system: { id: "jira", name: "JIRA", shortName: "JIRA" },
      command: "sync_jira",
      inaccessible: false,
      testConnection: false,
      adoptId: 5,
      managedParams: ["issue_tracker_pass", "issue_tracker_project", "issue_tracker_user"],
    });
  });

  test("splits managed credentials out of params", () => {
    const state = toState(connection, managed);
    expect(state.credentials).toEqual({ issue_tracker_pass: PASSWORD });
    expect(state.params).toEqual({
      issue_tracker_project: "PAY",
      issue_tracker_user: "sindy",
      issue_tracker_server: "jira.example.com",
      sde_min_priority: 7,
    });
  });

  test("stores a credential the program does not set nowhere", () => {
    const filled = {
      ...connection,
      params: { ...connection.params, issue_tracker_pass: CONNECTOR_PASSWORD, issue_tracker_api_token: "tok-abcdef" },
    };
    const state = toState(filled, { paramKeys: ["issue_tracker_project"], testConnection: true });
    expect(state.credentials).toEqual({});
    expect(state.params).not.toHaveProperty("issue_tracker_pass");
    expect(state.params).not.toHaveProperty("issue_tracker_api_token");
    expect(JSON.stringify(state)).not.toContain(CONNECTOR_PASSWORD);
    expect(JSON.stringify(state)).not.toContain("tok-abcdef");
  });

  test("surfaces last_successful_run from the params", () => {
    const ran = { ...connection, params: { ...connection.params, last_successful_run: "2024-05-01T10:00:00Z" } };
    expect(toState(ran, managed).lastSuccessfulRun).toBe("2024-05-01T10:00:00Z");
    expect(toState(connection, managed).lastSuccessfulRun).toBeUndefined();
    expect(toState({ ...connection, params: { last_successful_run: null } }, managed).lastSuccessfulRun).toBeUndefined();
  });

  describe("last job and in progress", () => {
    test.each([
      ["a finished job", job(), syncJob(), false],
      [
        "a queued job",
        job({ ready: false, succeeded: false, last_run: null, result_message: null }),
        syncJob({ ready: false, succeeded: false, lastRun: null, resultMessage: null }),
        true,
      ],
      ["no job yet (null)", null, null, false],
    ] as const)("%s: lastJob in camelCase, inProgress from its readiness", (_name, lastJob, expected, inProgress) => {
      const state = toState({ ...connection, last_job: lastJob }, managed, { lastJob: syncJob({ id: 1 }), inProgress: !inProgress });
      expect(state.lastJob).toEqual(expected);
      expect(state.inProgress).toBe(inProgress);
    });

    test("in_progress from the answer wins over the job's readiness", () => {
      expect(toState({ ...connection, in_progress: true, last_job: job() }, managed).inProgress).toBe(true);
      expect(toState({ ...connection, in_progress: false, last_job: job({ ready: false }) }, managed).inProgress).toBe(false);
    });

    test("an answer without last_job keeps the previous job and derives inProgress from it", () => {
      const running = syncJob({ id: 41, ready: false });
      const state = toState(connection, managed, { lastJob: running, inProgress: true });
      expect(state.lastJob).toEqual(running);
      expect(state.inProgress).toBe(true);
      expect(toState(connection, managed, { lastJob: null, inProgress: true }).inProgress).toBe(false);
    });

    test("with no last_job and no previous job, the previous inProgress stands", () => {
      const state = toState(connection, managed, { inProgress: true });
      expect(state.lastJob).toBeUndefined();
      expect(state.inProgress).toBe(true);
      expect(toState(connection, managed).inProgress).toBeUndefined();
    });
  });

  describe("a connection without params (a token without the edit permission)", () => {
    const { params: _params, ...withoutParams } = connection;
    const previous = toState(connection, managed);

    test("keeps the previous params and credentials", () => {
      const state = toState(withoutParams, managed, previous);
      expect(state.params).toEqual(previous.params);
      expect(state.credentials).toEqual({ issue_tracker_pass: PASSWORD });
    });

    test("keeps only credentials the program still manages", () => {
      const state = toState(withoutParams, { paramKeys: ["issue_tracker_project"], testConnection: true }, previous);
      expect(state.credentials).toEqual({});
      expect(state.params).toEqual(previous.params);
    });

    test("without previous outputs, has empty params", () => {
      const state = toState(withoutParams, managed);
      expect(state.params).toEqual({});
      expect(state.credentials).toEqual({});
    });
  });
});

describe("outputs the engine can encode", () => {
  // The engine's Struct encoding has no undefined: an output holding one fails the whole operation.
  const undefinedPaths = (value: unknown, path = "outs"): string[] => {
    if (value === undefined) return [path];
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([key, v]) => undefinedPaths(v, `${path}.${key}`));
  };

  test("an answer without short_name, in_progress, last_job or last_successful_run leaves no undefined", () => {
    const bare = { ...connection, system: { id: "jira", name: "JIRA" } };
    const state = toState(bare, managed);
    expect(undefinedPaths(state)).toEqual([]);
    expect(state).not.toHaveProperty("lastJob");
    expect(state.system).not.toHaveProperty("shortName");
    expect(undefinedPaths(toInputs(state))).toEqual([]);
  });

  test("nor does one with every optional part present", () => {
    const full = {
      ...connection,
      in_progress: false,
      last_job: job(),
      params: { ...connection.params, last_successful_run: "2024-05-01T10:00:00Z" },
    };
    const state = toState(full, { ...managed, adoptId: 5 });
    expect(undefinedPaths(state)).toEqual([]);
    expect(state.lastJob?.id).toBe(40);
    expect(state.adoptId).toBe(5);
  });
});

describe("currentParam", () => {
  const state = { params: { issue_tracker_user: "sindy", issue_tracker_pass: "stale" }, credentials: { issue_tracker_pass: PASSWORD } };

  test.each([
    ["a credential, from credentials", "issue_tracker_pass", PASSWORD],
    ["a plain param, from params", "issue_tracker_user", "sindy"],
    ["an absent key", "jira_version", undefined],
  ])("%s", (_name, key, expected) => {
    expect(currentParam(state, key)).toBe(expected);
  });

  test("a credential stored as null is null, not the params' value", () => {
    expect(
      currentParam({ params: { issue_tracker_pass: "stale" }, credentials: { issue_tracker_pass: null } }, "issue_tracker_pass"),
    ).toBeNull();
  });
});

describe("toInputs", () => {
  test("describes the connection as it is, with only the managed params", () => {
    const state = toState(connection, { paramKeys: ["issue_tracker_project", "issue_tracker_pass"], testConnection: false });
    expect(toInputs(state)).toEqual({
      alias: "Payments Jira",
      connector: 1,
      project: 2,
      frequency: "daily",
      debugMode: true,
      params: { issue_tracker_project: "PAY", issue_tracker_pass: PASSWORD },
      testConnection: false,
    });
  });

  test("leaves out managed params the server no longer has, and includes adoptId when set", () => {
    const state: ConnectionState = {
      ...toState(connection, { ...managed, adoptId: 5 }),
      managedParams: ["issue_tracker_project", "jira_version"],
    };
    const inputs = toInputs(state);
    expect(inputs.params).toEqual({ issue_tracker_project: "PAY" });
    expect(inputs.adoptId).toBe(5);
    expect(toInputs(toState(connection, managed))).not.toHaveProperty("adoptId");
  });
});

describe("reading a stored state back", () => {
  const stored = toState(
    { ...connection, in_progress: false, last_job: job(), params: { ...connection.params, last_successful_run: "2024-05-01T10:00:00Z" } },
    { ...managed, adoptId: 5 },
  );
  const problem = (props: unknown) => {
    const reading = readState(props);
    if (reading.readable) throw new Error("expected an unreadable state");
    return reading.problem;
  };

  test("a state toState wrote reads back as it is", () => {
    expect(readState(stored)).toEqual({ readable: true, state: stored });
    const bare = toState({ ...connection, system: { id: "jira", name: "JIRA" } }, managed);
    expect(readState(bare)).toEqual({ readable: true, state: bare });
  });

  test("an older state, without the outputs added later, reads with their defaults (none apart, none managed, the test on)", () => {
    const {
      credentials: _c,
      managedParams: _m,
      testConnection: _t,
      inProgress: _i,
      lastJob: _l,
      lastSuccessfulRun: _r,
      adoptId: _a,
      ...older
    } = stored;
    const reading = readState({ ...older, system: { id: "jira", name: "JIRA" } });
    expect(reading).toEqual({
      readable: true,
      state: { ...older, system: { id: "jira", name: "JIRA" }, credentials: {}, managedParams: [], testConnection: true },
    });
  });

  test("params and credentials are checked in place, not copied: every diff reads a state", () => {
    const reading = readState(stored);
    expect(reading.readable && reading.state.params).toBe(stored.params);
    expect(reading.readable && reading.state.credentials).toBe(stored.credentials);
  });

  test("keys it does not know (the engine's __provider, an output of another version) are passed over", () => {
    const reading = readState({ ...stored, __provider: "exports.handler = ...", retiredOutput: [1, 2] });
    expect(reading).toEqual({ readable: true, state: stored });
  });

  test.each([
    [
      "an output of the wrong type",
      { ...stored, managedParams: "issue_tracker_project" },
      /^managedParams: .*expected array, received string$/,
    ],
    [
      "a missing output that has no default",
      (({ alias: _alias, ...rest }) => rest)(stored),
      /^alias: .*expected string, received undefined$/,
    ],
    ["a nested one", { ...stored, system: { id: 7, name: "JIRA" } }, /^system\.id: .*expected string, received number$/],
    [
      "a param that is not a plain value",
      { ...stored, params: { ...stored.params, issue_tracker_project: { key: "PAY" } } },
      /^params\.issue_tracker_project: must be a string, number, boolean or null/,
    ],
    ["a fractional connection id", { ...stored, connectionId: 5.5 }, /^connectionId: .*expected int, received number$/],
  ])("%s is unreadable, naming the output", (_what, props, expected) => {
    expect(problem(props)).toMatch(expected);
  });

  test("every unreadable output is named, and no value is repeated (a credential may be one)", () => {
    const text = problem({ ...stored, credentials: { issue_tracker_pass: [PASSWORD] }, debugMode: PASSWORD });
    expect(text).toMatch(/^debugMode: .*; credentials\.issue_tracker_pass: must be a string, number, boolean or null/);
    expect(text).not.toContain(PASSWORD);
  });

  test("readableParts keeps each readable output, the default of an unreadable one that has one, and leaves out the rest", () => {
    const parts = readableParts({ ...stored, managedParams: "issue_tracker_project", alias: 42, testConnection: "no" });
    expect(parts).toEqual({ ...stored, managedParams: [], testConnection: true, alias: undefined });
    expect(parts).not.toHaveProperty("alias");
  });
});
