import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CatalogueError, loadCatalogue, parseCatalogue } from "../../src/export/catalogue";

// The catalogue format examples/at-scale reads and `sde-pulumi export --format yaml` writes: defaults merged
// into every entry, and every mistake reported naming the entry and the field, never a credential's value.

function problems(yaml: string): string[] {
  try {
    parseCatalogue(yaml, "catalogue.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).message.startsWith("catalogue.yaml: ")).toBe(true);
    return [...(error as CatalogueError).problems];
  }
  throw new Error("the catalogue was accepted");
}

test("defaults apply to every entry; an entry's fields win, its params and credentials merge key by key", () => {
  const connections = parseCatalogue(
    `
defaults:
  connector: 1
  frequency: daily
  params: { issue_tracker_server: jira.example.com, issue_tracker_phases: "requirements,testing", sde_min_priority: 6 }
  credentials: { issue_tracker_pass: jiraPassword }
connections:
  - project: 12
    alias: Payments Jira
    params: { issue_tracker_project: PAY }
  - name: ops
    project: 13
    alias: Ops Rally
    connector: 2
    frequency: weekly
    debugMode: true
    testConnection: false
    adoptId: 42
    params: { issue_tracker_project: OPS, issue_tracker_server: rally1.rallydev.com }
    credentials: { issue_tracker_pass: opsPassword, issue_tracker_api_token: opsToken }
`,
    "catalogue.yaml",
  );
  expect(connections).toEqual([
    {
      name: "p12-payments-jira",
      alias: "Payments Jira",
      connector: 1,
      project: 12,
      frequency: "daily",
      debugMode: undefined,
      testConnection: undefined,
      adoptId: undefined,
      params: {
        issue_tracker_server: "jira.example.com",
        issue_tracker_phases: "requirements,testing",
        sde_min_priority: 6,
        issue_tracker_project: "PAY",
      },
      credentials: { issue_tracker_pass: "jiraPassword" },
    },
    {
      name: "ops",
      alias: "Ops Rally",
      connector: 2,
      project: 13,
      frequency: "weekly",
      debugMode: true,
      testConnection: false,
      adoptId: 42,
      params: {
        issue_tracker_server: "rally1.rallydev.com",
        issue_tracker_phases: "requirements,testing",
        sde_min_priority: 6,
        issue_tracker_project: "OPS",
      },
      credentials: { issue_tracker_pass: "opsPassword", issue_tracker_api_token: "opsToken" },
    },
  ]);
});

test("a bad field names the entry (index, alias, project) and the field, with the fix", () => {
  expect(
    problems(`
defaults: { connector: 1 }
connections:
  - { project: 1, alias: Payments Jira, params: { issue_tracker_project: PAY } }
  - { project: 2, alias: Ops Jira, frequency: Daily, params: { issue_tracker_server: "https://jira.example.com" } }
`),
  ).toEqual([
    'connections[1] ("Ops Jira", project 2): frequency: "Daily" is not a valid choice: write it in lower case, "daily"',
    'connections[1] ("Ops Jira", project 2): params.issue_tracker_server: is a host name, not a URL: drop "https://" and set issue_tracker_method to "https"',
  ]);
});

test("projects and connectors by name: a string, or a lookup's arguments; resource names from what the file says", () => {
  const connections = parseCatalogue(
    `
defaults: { connector: Jira Connector }
connections:
  - { project: Payments, alias: Payments Jira }
  - { project: { name: Ledger, application: Finance App }, alias: Ledger Jira, connector: { system: jira } }
  - { project: 7, alias: Ops Jira, connector: 3 }
`,
    "catalogue.yaml",
  );
  expect(connections.map((c) => [c.name, c.project, c.connector])).toEqual([
    ["payments-payments-jira", { name: "Payments" }, { name: "Jira Connector" }],
    ["ledger-ledger-jira", { name: "Ledger", application: "Finance App" }, { system: "jira" }],
    ["p7-ops-jira", 7, 3],
  ]);
});

test("a name of the wrong shape is refused naming the entry, the field and the fix", () => {
  expect(
    problems(`
connections:
  - { project: "", alias: A, connector: 1 }
  - { project: { name: Ledger, aplication: Finance App }, alias: B, connector: 1 }
  - { project: 1, alias: C, connector: {} }
  - { project: -2, alias: D, connector: 1 }
`),
  ).toEqual([
    `connections[0] ("A", project ""): project: must not be blank: give the project's name`,
    'connections[1] ("B", project "Ledger"): project: unknown argument aplication (did you mean application?): a project by name takes name, application and businessUnit',
    'connections[2] ("C", project 1): connector: give the connector\'s name, its system or both, e.g. { name: "Jira Connector" } or { system: "jira" }',
    'connections[3] ("D", project -2): project: must be the id (a positive whole number) of the SD Elements project the connection belongs to, or its name, e.g. "Payments" or { name: "Payments", application: "Finance App" }',
  ]);
});

test("a misspelt field is named, with the fields an entry takes", () => {
  expect(problems("connections:\n  - { project: 1, alias: A, connector: 1, frequncy: daily }\n")).toEqual([
    'connections[0] ("A", project 1): unknown field frequncy (did you mean frequency?): use name, alias, project, adoptId, connector, frequency, debugMode, testConnection, params, credentials',
  ]);
  expect(problems("connections: []\nextra: 1\n")).toEqual(["unknown field extra: use defaults, connections"]);
  expect(problems("default: { connector: 1 }\nconnections: []\n")).toEqual([
    "unknown field default (did you mean defaults?): use defaults, connections",
  ]);
  expect(problems("defaults: { conector: 1, debug_mode: true }\nconnections: []\n")).toEqual([
    "defaults: unknown fields conector (did you mean connector?), debug_mode (did you mean debugMode?): use connector, frequency, debugMode, testConnection, params, credentials",
  ]);
});

test("values of the wrong shape are refused as such, never coerced", () => {
  expect(
    problems(`
defaults: { connector: 1, credentials: [jiraPassword] }
connections:
  - { project: 1, alias: A, params: [PAY] }
  - { project: 2, alias: B, params: PAY }
  - { project: "3", alias: C, params: { issue_tracker_project: PAY } }
  - { project: 4, alias: [D], debugMode: "true", params: { issue_tracker_project: PAY } }
  - [5, E]
  - { project: 6, alias: F, params: { issue_tracker_project: PAY, sde_min_priority: "6" } }
`),
  ).toEqual([
    "defaults: credentials: must map each credential param to the stack config secret holding it, e.g. { issue_tracker_pass: jiraPassword }, not a list",
    'connections[0] ("A", project 1): params: must be a map of param names to values, e.g. { issue_tracker_project: PAY }, not a list',
    'connections[1] ("B", project 2): params: must be a map of param names to values, e.g. { issue_tracker_project: PAY }, not a string',
    'connections[2] ("C", project "3"): project: must be the id (a positive whole number) of the SD Elements project the connection belongs to, not the string "3": write 3 without quotes (or, for a project of that name, { name: "3" })',
    "connections[3] (project 4): alias: must be a string (the connection's name), not a list",
    'connections[3] (project 4): debugMode: must be true or false without quotes (a boolean, not the string "true")',
    "connections[4]: must be a map of fields, at least alias and project, not a list",
    'connections[5] ("F", project 6): params.sde_min_priority: must be a whole number from 1 to 10, not the string "6": write 6 without quotes',
  ]);
});

test("a credential written in params is refused, without echoing it", () => {
  const found = problems(
    "defaults: { connector: 1 }\nconnections:\n  - project: 1\n    alias: A\n    params: { issue_tracker_project: PAY, issue_tracker_pass: hunter2-pasted }\n",
  );
  expect(found).toEqual([
    'connections[0] ("A", project 1): params.issue_tracker_pass: is a credential: never write one in the catalogue. Under credentials, name the stack config secret holding it (credentials: { issue_tracker_pass: <config key> }) and set it with `pulumi config set --secret <config key>`',
  ]);
  expect(found.join("\n")).not.toContain("hunter2-pasted");
});

test("credentials must be credential params naming a config key", () => {
  expect(
    problems(
      "defaults:\n  connector: 1\n  credentials: { issue_tracker_project: projectKey, issue_tracker_pass: 'has spaces' }\nconnections: []\n",
    ),
  ).toEqual([
    "defaults: credentials.issue_tracker_pass: must be a stack config key (letters, digits, '.', '-' and '_'; no namespace), e.g. jiraPassword",
    "defaults: credentials.issue_tracker_project: is not a credential: put it under params, with its value",
  ]);
});

test("defaults are checked like entries, and named as defaults", () => {
  expect(problems("defaults:\n  params: { issue_tracker_phases: planning }\nconnections: []\n")).toEqual([
    'defaults: params.issue_tracker_phases: has unknown value(s) "planning": use a comma-separated list of requirements, architecture-design, development, testing',
  ]);
});

test("what only the whole catalogue shows: a missing connector, a name or an adoptId used twice", () => {
  expect(
    problems(`
connections:
  - { project: 1, alias: Payments Jira }
  - { project: 1, alias: payments-jira, connector: 1, adoptId: 7 }
  - { project: 2, alias: Other, connector: 1, adoptId: 7, name: dup }
  - { project: 3, alias: Third, connector: 1, name: dup }
`),
  ).toEqual([
    'connections[0] ("Payments Jira", project 1): connector: is required: set it on the entry or under defaults',
    'connections[1] ("payments-jira", project 1): name: "p1-payments-jira" is also the name of connections[0] ("Payments Jira", project 1) (derived from project and alias; give one of them a distinct "name")',
    'connections[2] ("Other", project 2): adoptId: connection 7 is already adopted by connections[1] ("payments-jira", project 1): one connection, one entry',
    'connections[3] ("Third", project 3): name: "dup" is also the name of connections[2] ("Other", project 2): give it a distinct "name"',
  ]);
});

test("no list of connections, or not YAML at all, is said plainly; a syntax error names its line without quoting it", () => {
  expect(problems("defaults: { connector: 1 }\n")).toEqual([
    "connections: is required: a list of connections, each with at least alias and project",
  ]);
  expect(problems("connections: 5\n")).toEqual(["connections: must be a list of connections, each with at least alias and project"]);
  expect(problems("just some text")).toEqual(["must be a map with connections (a list) and, optionally, defaults, not a string"]);
  expect(problems("connections:\n  - 5\n")).toEqual(["connections[0]: must be a map of fields, at least alias and project, not a number"]);
  const syntax = problems("connections:\n  - project: 1\n    alias: A\n   params: { issue_tracker_pass: s3cret-in-a-broken-line\n");
  expect(syntax[0]).toMatch(/^line \d+, column \d+: /);
  expect(syntax.join("\n")).not.toContain("s3cret-in-a-broken-line");
});

test("loadCatalogue names a missing file and what to do", () => {
  const dir = mkdtempSync(join(tmpdir(), "catalogue-test-"));
  try {
    expect(() => loadCatalogue(join(dir, "missing.yaml"))).toThrow(
      /missing\.yaml: cannot read the catalogue \(ENOENT\): create it, or point the program's "catalogue" config at it/,
    );
    writeFileSync(join(dir, "ok.yaml"), "connections:\n  - { project: 1, alias: A, connector: 1 }\n");
    expect(loadCatalogue(join(dir, "ok.yaml")).map((c) => c.name)).toEqual(["p1-a"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
