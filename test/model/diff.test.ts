// diffConnection, sameParam and describeChanges: what differs between stored outputs and a program, no API call.
import { describeChanges, diffConnection, sameParam } from "../../src/model/diff";
import type { PropertyChange } from "../../src/model/property-change";
import type { ConnectionInputs } from "../../src/model/inputs";
import type { ConnectionState } from "../../src/model/state";
import { UNKNOWN } from "../../src/model/unknowns";

const PASSWORD = "s3cret-Passw0rd";

/** Stored outputs: the program manages project, user, password and priority; the server filled the rest. */
const stored: ConnectionState = {
  connectionId: 5,
  alias: "Payments Jira",
  connector: 1,
  project: 2,
  frequency: "manually",
  debugMode: false,
  params: {
    issue_tracker_project: "PAY",
    issue_tracker_user: "sindy",
    sde_min_priority: 7,
    issue_tracker_server: "jira.example.com",
    jira_version: "8",
  },
  credentials: { issue_tracker_pass: PASSWORD },
  managedParams: ["issue_tracker_pass", "issue_tracker_project", "issue_tracker_user", "sde_min_priority"],
  system: { id: "jira", name: "JIRA" },
  command: "sync_jira",
  inaccessible: false,
  testConnection: true,
};

/** The program that produced `stored`. */
const declared: ConnectionInputs = {
  alias: "Payments Jira",
  connector: 1,
  project: 2,
  frequency: "manually",
  debugMode: false,
  params: { issue_tracker_project: "PAY", issue_tracker_user: "sindy", issue_tracker_pass: PASSWORD, sde_min_priority: 7 },
  testConnection: true,
};

const withParams = (params: Record<string, unknown>): Partial<ConnectionInputs> => ({ ...declared, params }) as Partial<ConnectionInputs>;

const change = (property: string, over: Partial<PropertyChange> = {}): PropertyChange => ({
  property,
  kind: "update",
  secret: false,
  unknown: false,
  ...over,
});

describe("diffConnection", () => {
  test("reports nothing when the program matches, whatever params the server filled in", () => {
    expect(stored.params.issue_tracker_server).toBeDefined(); // server-filled, not declared
    expect(diffConnection(stored, declared)).toEqual([]);
  });

  test("ignores fields an unchecked bag leaves out", () => {
    const { frequency: _f, debugMode: _d, ...partial } = declared;
    expect(diffConnection(stored, partial)).toEqual([]);
  });

  test.each([
    ["alias", "Payments Jira (new)"],
    ["connector", 3],
    ["project", 9],
    ["frequency", "daily"],
    ["debugMode", true],
  ] as const)("a changed %s is an update", (field, value) => {
    expect(diffConnection(stored, { ...declared, [field]: value })).toEqual([change(field)]);
  });

  test("a param the program starts setting is an add, even if the server already has that value", () => {
    expect(diffConnection(stored, withParams({ ...declared.params, jira_version: "8", issue_tracker_context: "ctx" }))).toEqual([
      change("params.issue_tracker_context", { kind: "add" }),
      change("params.jira_version", { kind: "add" }),
    ]);
  });

  test("a managed param with a new value is an update", () => {
    expect(diffConnection(stored, withParams({ ...declared.params, issue_tracker_project: "PAY2" }))).toEqual([
      change("params.issue_tracker_project"),
    ]);
  });

  test("a managed param the program stops setting is a delete; a server-filled one it never set is not", () => {
    const { issue_tracker_user: _user, ...rest } = declared.params;
    expect(diffConnection(stored, withParams(rest))).toEqual([change("params.issue_tracker_user", { kind: "delete" })]);
  });

  test("credential keys are flagged secret on add, update and delete", () => {
    const { issue_tracker_pass: _pass, ...rest } = declared.params;
    expect(diffConnection(stored, withParams({ ...declared.params, issue_tracker_pass: "other-password" }))).toEqual([
      change("params.issue_tracker_pass", { secret: true }),
    ]);
    expect(diffConnection(stored, withParams(rest))).toEqual([change("params.issue_tracker_pass", { kind: "delete", secret: true })]);
    expect(diffConnection(stored, withParams({ ...declared.params, issue_tracker_api_token: "tok-123456" }))).toEqual([
      change("params.issue_tracker_api_token", { kind: "add", secret: true }),
    ]);
  });

  test("compares credentials with state.credentials, not state.params", () => {
    const stale = { ...stored, params: { ...stored.params, issue_tracker_pass: "stale-in-params" } };
    expect(diffConnection(stale, declared)).toEqual([]);
    const changedOnServer = { ...stored, credentials: { issue_tracker_pass: "rotated-elsewhere" } };
    expect(diffConnection(changedOnServer, declared)).toEqual([change("params.issue_tracker_pass", { secret: true })]);
  });

  test.each([
    ["a string declared, integer stored", { ...stored }, "7"],
    ["an integer declared, string stored (older state)", { ...stored, params: { ...stored.params, sde_min_priority: "7" } }, 7],
  ])("sde_min_priority: %s is no change", (_name, state, value) => {
    expect(diffConnection(state, withParams({ ...declared.params, sde_min_priority: value }))).toEqual([]);
  });

  test.each([
    ["alias", { ...declared, alias: UNKNOWN }, change("alias", { unknown: true })],
    ["connector", { ...declared, connector: UNKNOWN }, change("connector", { unknown: true })],
    [
      "a managed param",
      withParams({ ...declared.params, issue_tracker_user: UNKNOWN }),
      change("params.issue_tracker_user", { unknown: true }),
    ],
    [
      "a managed credential",
      withParams({ ...declared.params, issue_tracker_pass: UNKNOWN }),
      change("params.issue_tracker_pass", { secret: true, unknown: true }),
    ],
    [
      "a new param",
      withParams({ ...declared.params, jira_version: UNKNOWN }),
      change("params.jira_version", { kind: "add", unknown: true }),
    ],
    ["the whole params", { ...declared, params: UNKNOWN }, change("params", { unknown: true })],
  ] as [string, unknown, PropertyChange][])("a preview unknown in %s is an unknown change", (_where, news, expected) => {
    expect(diffConnection(stored, news as Partial<ConnectionInputs>)).toEqual([expected]);
  });

  test("an unknown value counts as a change even when the stored value happens to equal it", () => {
    const odd = { ...stored, alias: UNKNOWN };
    expect(diffConnection(odd, { ...declared, alias: UNKNOWN })).toEqual([change("alias", { unknown: true })]);
  });

  test("wholly unknown params report field changes too, and no per-param deletes", () => {
    const changes = diffConnection(stored, { ...declared, frequency: "weekly", params: UNKNOWN as unknown as ConnectionInputs["params"] });
    expect(changes).toEqual([change("frequency"), change("params", { unknown: true })]);
  });

  test("lists param changes sorted by key", () => {
    const changes = diffConnection(stored, withParams({ zeta_option: "z", issue_tracker_project: "NEW", alpha_option: "a" }));
    expect(changes.map((c) => c.property)).toEqual([
      "params.alpha_option",
      "params.issue_tracker_pass",
      "params.issue_tracker_project",
      "params.issue_tracker_user",
      "params.sde_min_priority",
      "params.zeta_option",
    ]);
  });
});

describe("sameParam", () => {
  test.each([
    [7, 7, true],
    [7, "7", true],
    [7, " 7 ", true],
    ["7", 7, true],
    [" 7", 7, true],
    ["a", "a", true],
    [null, null, true],
    [undefined, undefined, true],
    [true, true, true],
    [7, 8, false],
    [7, "8", false],
    ["7", 8, false],
    ["a", "b", false],
    [true, "true", false],
    [false, 0, false],
    [null, undefined, false],
    [undefined, "x", false],
  ] as const)("sameParam(%j, %j) is %s", (stored, declared, expected) => {
    expect(sameParam(stored, declared)).toBe(expected);
  });
});

describe("describeChanges", () => {
  test("names each change, marks adds, removals and credentials", () => {
    expect(
      describeChanges([
        change("alias"),
        change("params.jira_version", { kind: "add" }),
        change("params.issue_tracker_user", { kind: "delete" }),
        change("params.issue_tracker_pass", { secret: true }),
      ]),
    ).toBe("alias, params.jira_version (added), params.issue_tracker_user (removed), params.issue_tracker_pass [secret]");
  });

  test("is empty for no changes", () => {
    expect(describeChanges([])).toBe("");
  });

  test("never prints a value, old or new", () => {
    const news = withParams({ ...declared.params, issue_tracker_pass: "brand-new-password", issue_tracker_project: "NEWKEY" });
    const text = describeChanges(diffConnection(stored, news));
    expect(text).toBe("params.issue_tracker_pass [secret], params.issue_tracker_project");
    for (const value of [PASSWORD, "brand-new-password", "PAY", "NEWKEY"]) expect(text).not.toContain(value);
  });
});
