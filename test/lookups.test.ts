import * as pulumi from "@pulumi/pulumi";
import {
  SdeClient,
  getConnectorId,
  getProjectId,
  getProjectIds,
  isSdeApiError,
  isSdeLookupError,
  lookupConnector,
  lookupProject,
  resolveCatalogue,
  CatalogueError,
  parseCatalogue,
  type SdeLookupError,
} from "../src";
import { DEFAULT_TOKEN, startEmulator, type Emulator, type SeedData } from "../src/emulator";
import { calls } from "./support/emulated-api";
import { lookupSeed, SECRETS } from "./support/seeds";

// The lookups read the same stack config as the provider, against an emulator whose names need telling
// apart (lookupSeed: two "Checkout" projects, two "Ledger" projects in two "Shared" applications, two
// "Tracker" connectors whose params hold the canary secrets).
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: lookupSeed() });
  pulumi.runtime.setAllConfig({ "sdelements:url": emulator.url, "sdelements:apiToken": DEFAULT_TOKEN }, ["sdelements:apiToken"]);
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.clearRequestLog());

/** Runs `body` with the functions pointed at an emulator of `seed`. */
async function withSeed(seed: SeedData, body: () => Promise<void>): Promise<void> {
  const other = await startEmulator({ seed });
  const saved = pulumi.runtime.allConfig();
  pulumi.runtime.setAllConfig({ "sdelements:url": other.url, "sdelements:apiToken": DEFAULT_TOKEN }, ["sdelements:apiToken"]);
  try {
    await body();
  } finally {
    pulumi.runtime.setAllConfig(saved, ["sdelements:apiToken"]);
    await other.stop();
  }
}

/** The lookup's failure, which must be an SdeLookupError whose message holds no secret. */
async function lookupFailure(promise: Promise<unknown>): Promise<SdeLookupError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSdeLookupError(error)) throw new Error(`expected an SdeLookupError, got ${String(error)}`);
  for (const secret of [...Object.values(SECRETS), DEFAULT_TOKEN, "rally_password"]) expect(error.message).not.toContain(secret);
  return error;
}

describe("getProjectId", () => {
  test("a unique name is one request: the projects list filtered by name", async () => {
    await expect(getProjectId({ name: "Demo Project" })).resolves.toBe(2);
    expect(calls(emulator)).toEqual(["GET /api/v2/projects/"]);
    expect(emulator.requestLog[0]!.query).toContain("name=Demo+Project");
  });

  test("lookupProject names the project's application and business unit", async () => {
    await expect(lookupProject({ name: "Demo Project" })).resolves.toMatchObject({
      id: 2,
      application: { id: 2, name: "Demo Application" },
      businessUnit: { id: 2, name: "General" },
    });
    await expect(lookupProject({ name: "Project 1", application: "Finance App" })).resolves.toEqual({
      id: 1,
      name: "Project 1",
      application: { id: 1, name: "Finance App" },
      businessUnit: { id: 1, name: "BU" },
      archived: false,
    });
  });

  test("a name in two applications is ambiguous: the error lists both and says to pass application", async () => {
    const error = await lookupFailure(getProjectId({ name: "Checkout" }));
    expect(error.kind).toBe("ambiguous");
    expect(error.candidates).toEqual(["Checkout", "Checkout"]);
    expect(error.message).toBe(
      '2 projects are named "Checkout": id 10 in application "Finance App" of business unit "BU"; ' +
        'id 11 in application "Demo Application" of business unit "General". Pass application (its name) to choose one.',
    );
  });

  test("the application tells them apart", async () => {
    await expect(getProjectId({ name: "Checkout", application: "Finance App" })).resolves.toBe(10);
    await expect(getProjectId({ name: "Checkout", application: "Demo Application" })).resolves.toBe(11);
  });

  test("two applications of the same name: the error says to pass businessUnit, which tells them apart", async () => {
    const error = await lookupFailure(getProjectId({ name: "Ledger", application: "Shared" }));
    expect(error.kind).toBe("ambiguous");
    expect(error.message).toMatch(
      /^2 projects are named "Ledger" in application "Shared": .*Pass businessUnit \(its name\) to choose one\.$/,
    );
    await expect(getProjectId({ name: "Ledger", businessUnit: "Retail" })).resolves.toBe(13);
    await expect(getProjectId({ name: "Ledger", application: "Shared", businessUnit: "BU" })).resolves.toBe(12);
  });

  test("a name that exists nowhere lists the projects, those that look like it first", async () => {
    const error = await lookupFailure(getProjectId({ name: "checkout" }));
    expect(error.kind).toBe("not_found");
    expect(error.candidates).toEqual(["Checkout", "Demo Project", "Ledger", "Project 1", "Spare Project"]);
    expect(error.message).toBe(
      'no project named "checkout" (names match exactly, case included); projects: "Checkout", "Demo Project", "Ledger", "Project 1", "Spare Project"',
    );
  });

  test("a name not found in the application given lists that application's projects", async () => {
    const error = await lookupFailure(getProjectId({ name: "Nope", application: "Demo Application" }));
    expect(error.message).toBe(
      'no project named "Nope" in application "Demo Application" (names match exactly, case included); projects in application "Demo Application": "Checkout", "Demo Project", "Spare Project"',
    );
  });

  test("a name that exists outside the application given says where it is", async () => {
    const error = await lookupFailure(getProjectId({ name: "Demo Project", application: "Finance App" }));
    expect(error.kind).toBe("not_found");
    expect(error.message).toBe(
      'no project named "Demo Project" in application "Finance App"; projects of that name: id 2 in application "Demo Application" of business unit "General". Fix application or businessUnit (or leave them out).',
    );
  });

  test("an application or business unit that does not exist lists those that do", async () => {
    const app = await lookupFailure(getProjectId({ name: "Nope", application: "Finance" }));
    expect(app.message).toBe('no application named "Finance"; applications: "Finance App", "Demo Application", "Shared"');
    const bu = await lookupFailure(getProjectId({ name: "Nope", businessUnit: "Retial" }));
    expect(bu.message).toBe('no business unit named "Retial"; business units: "BU", "General", "Retail"');
  });

  test("a long list of candidates is capped, with how many more", async () => {
    const many = lookupSeed();
    many.projects!.push(
      ...Array.from({ length: 30 }, (_, i) => ({ id: 100 + i, name: `Bulk ${String(i).padStart(2, "0")}`, application: 1 })),
    );
    await withSeed(many, async () => {
      const error = await lookupFailure(getProjectId({ name: "Nope" }));
      // Distinct names: the 30 bulk ones and the 5 others ("Checkout" and "Ledger" once each).
      expect(error.candidates).toHaveLength(35);
      expect(error.message).toMatch(/: "Bulk 00", .*"Bulk 19" and 15 more$/);
    });
  });

  test("namesakes no argument tells apart: the error says to use the id", async () => {
    const twins = lookupSeed();
    twins.projects!.push({ id: 20, name: "Twin", application: 1 }, { id: 21, name: "Twin", application: 1 });
    await withSeed(twins, async () => {
      const error = await lookupFailure(getProjectId({ name: "Twin" }));
      expect(error.message).toMatch(
        /^2 projects are named "Twin": id 20 .*; id 21 .*They cannot be told apart by name: give the project's id instead\.$/,
      );
    });
  });

  test.each([
    [
      { name: "Checkout", aplication: "Finance App" },
      /unknown argument aplication \(did you mean application\?\): getProjectId takes name, application and businessUnit/,
    ],
    [{ name: 7 }, /name: must be the project's name \(a string\)/],
    [{ name: "  " }, /name: must not be blank/],
    [{ name: "Checkout", businessUnit: 3 }, /businessUnit: must be the business unit's name \(a string\)/],
    ["Checkout", /must be an object of arguments, e.g. \{ name: "Payments", application: "Finance App" \}/],
  ])("bad arguments %j are refused before any request, naming the field", async (args, message) => {
    const error: unknown = await getProjectId(args as never).catch((e: unknown) => e);
    expect(isSdeApiError(error) && error.kind).toBe("invalid_input");
    expect((error as Error).message).toMatch(message);
    expect(calls(emulator)).toEqual([]);
  });
});

describe("many names at once: getProjectIds and resolveCatalogue", () => {
  const requests = () => {
    const counts: Record<string, number> = {};
    for (const call of calls(emulator)) counts[call] = (counts[call] ?? 0) + 1;
    return counts;
  };

  test("many project names are one request: the projects list, unfiltered, matched here as exactly as the API's filter", async () => {
    await expect(getProjectIds([{ name: "Demo Project" }, { name: "Project 1" }, { name: "Spare Project" }])).resolves.toEqual([2, 1, 3]);
    expect(calls(emulator)).toEqual(["GET /api/v2/projects/"]);
    expect(emulator.requestLog[0]!.query).toBe("");
    const error = await lookupFailure(getProjectIds([{ name: "demo project" }]));
    expect(error.message).toMatch(/^project lookup \[0\]: no project named "demo project" \(names match exactly, case included\)/);
  });

  test("every lookup that fails is reported at once, one line each, with the same messages as getProjectId", async () => {
    const error = await lookupFailure(getProjectIds([{ name: "Demo Project" }, { name: "Nope" }, { name: "Checkout" }]));
    const single = await lookupFailure(getProjectId({ name: "Checkout" }));
    expect(error.kind).toBe("not_found");
    expect(error.message.split("\n")).toEqual([
      "2 of 3 project lookups failed:",
      expect.stringMatching(/^ {2}- \[1\]: no project named "Nope"/),
      `  - [2]: ${single.message}`,
    ]);
  });

  test("a catalogue by names: one listing of the projects for all entries, one lookup per distinct connector", async () => {
    const catalogue = parseCatalogue(
      `
defaults: { connector: Jira Connector }
connections:
  - { project: Demo Project, alias: A }
  - { project: { name: Checkout, application: Finance App }, alias: B }
  - { project: { name: Ledger, businessUnit: Retail }, alias: C, connector: { name: Tracker, system: github } }
  - { project: 3, alias: D, connector: 2 }
  - { project: Project 1, alias: E }
`,
      "catalogue.yaml",
    );
    const resolved = await resolveCatalogue(catalogue);
    expect(resolved.map((c) => [c.name, c.project, c.connector])).toEqual([
      ["demo-project-a", 2, 1],
      ["checkout-b", 10, 1],
      ["ledger-c", 13, 5],
      ["p3-d", 3, 2],
      ["project-1-e", 1, 1],
    ]);
    // Applications and business units are read once, for the two lookups that need them.
    expect(requests()).toEqual({
      "GET /api/v2/projects/": 1,
      "GET /api/v2/applications/": 1,
      "GET /api/v2/business-units/": 1,
      "GET /api/v2/connectors/issue-tracker/": 2,
    });
    emulator.clearRequestLog();
    await resolveCatalogue(parseCatalogue("connections:\n  - { project: 3, alias: D, connector: 2 }\n", "ids.yaml"));
    expect(calls(emulator)).toEqual([]);
  });

  test("names that do not resolve fail the catalogue, each entry and field named once, nothing else asked", async () => {
    const catalogue = parseCatalogue(
      `
defaults: { connector: No Such Connector }
connections:
  - { project: Demo Project, alias: A }
  - { project: Nowhere, alias: B }
  - { project: Checkout, alias: C }
`,
      "catalogue.yaml",
    );
    const error = await resolveCatalogue(catalogue, "catalogue.yaml").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CatalogueError);
    const problems = (error as CatalogueError).problems;
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(expect.stringMatching(/^"B" \(nowhere-b\): project: no project named "Nowhere"/));
    expect(problems).toContainEqual(expect.stringMatching(/^"C" \(checkout-c\): project: 2 projects are named "Checkout"/));
    expect(problems).toContainEqual(
      expect.stringMatching(/^"A" \(demo-project-a\) and 2 more entries: connector: no connector named "No Such Connector"/),
    );
    for (const secret of [...Object.values(SECRETS), DEFAULT_TOKEN]) expect((error as Error).message).not.toContain(secret);
  });
  test("a list that is not a catalogue's connections is refused before any request, each entry and field named", async () => {
    const refused = async (given: unknown) => {
      const error = await resolveCatalogue(given as never, "mine").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CatalogueError);
      expect((error as Error).message).not.toContain(SECRETS.password);
      return (error as CatalogueError).problems;
    };
    expect(await refused("catalogue.yaml")).toEqual([
      "connections: must be a list of connections, as loadCatalogue and parseCatalogue return them (each with name, alias, project, connector, params and credentials), not a string",
    ]);
    const [entry] = parseCatalogue("connections:\n  - { project: Demo Project, alias: A, connector: 1 }\n", "one.yaml");
    expect(await refused([{ ...entry, conector: 2 }])).toEqual([
      expect.stringMatching(
        /^connections\[0\] \("A", project "Demo Project"\): unknown field conector \(did you mean connector\?\): use name, /,
      ),
    ]);
    expect(await refused([{ alias: "B", project: 3 }])).toEqual([
      'connections[0] ("B", project 3): name: is required: the resource name, e.g. payments-jira',
      'connections[0] ("B", project 3): connector: is required: the connector\'s id or name, e.g. 1 or "Jira Connector"',
      'connections[0] ("B", project 3): params: is required: a map of param names to values ({} for none)',
      'connections[0] ("B", project 3): credentials: is required: a map of credential params to stack config secrets ({} for none)',
    ]);
    expect(await refused([{ ...entry, params: { issue_tracker_pass: SECRETS.password } }])).toEqual([
      expect.stringMatching(
        /^connections\[0\] \("A", project "Demo Project"\): params\.issue_tracker_pass: is a credential: never write one/,
      ),
    ]);
    expect(calls(emulator)).toEqual([]);
  });
});

describe("getConnectorId", () => {
  test("by name: one request, the connectors list", async () => {
    await expect(getConnectorId({ name: "Rally Connector" })).resolves.toBe(2);
    expect(calls(emulator)).toEqual(["GET /api/v2/connectors/issue-tracker/"]);
  });

  test("by system: the list filtered by system", async () => {
    await expect(lookupConnector({ system: "rally" })).resolves.toEqual({
      id: 2,
      name: "Rally Connector",
      system: { id: "rally", name: "CA Agile Central (formerly Rally)" },
    });
    expect(emulator.requestLog[0]!.query).toContain("system=rally");
  });

  test("a name two systems share is ambiguous; the system tells them apart", async () => {
    const error = await lookupFailure(getConnectorId({ name: "Tracker" }));
    expect(error.kind).toBe("ambiguous");
    expect(error.message).toBe(
      '2 connectors are named "Tracker": id 4 "Tracker" (jira); id 5 "Tracker" (github). Pass system (its id) to choose one.',
    );
    await expect(getConnectorId({ name: "Tracker", system: "github" })).resolves.toBe(5);
  });

  test("a system with two connectors is ambiguous; the name tells them apart", async () => {
    const error = await lookupFailure(getConnectorId({ system: "jira" }));
    expect(error.message).toBe(
      '2 connectors are of system "jira": id 1 "Jira Connector" (jira); id 4 "Tracker" (jira). Pass name to choose one.',
    );
    expect(error.candidates).toEqual(["Jira Connector", "Tracker"]);
    await expect(getConnectorId({ system: "jira", name: "Jira Connector" })).resolves.toBe(1);
  });

  test("namesakes of one system: the error says to use the id", async () => {
    const twins = lookupSeed();
    twins.connectors!.push({ id: 6, name: "Tracker", system: "github", params: { issue_tracker_server: "github.secure.example" } });
    await withSeed(twins, async () => {
      const error = await lookupFailure(getConnectorId({ name: "Tracker", system: "github" }));
      expect(error.message).toBe(
        '2 connectors are named "Tracker" of system "github": id 5 "Tracker" (github); id 6 "Tracker" (github). They cannot be told apart by name and system: give the connector\'s id instead.',
      );
    });
  });

  test("not found lists the connectors by name and system, never their params", async () => {
    const error = await lookupFailure(getConnectorId({ name: "jira" }));
    expect(error.kind).toBe("not_found");
    expect(error.message).toBe(
      'no connector named "jira" (names match exactly, case included); connectors: "Jira Connector" (jira), ' +
        '"GitHub Example Connector" (github), "Rally Connector" (rally), "Tracker" (jira), "Tracker" (github)',
    );
    for (const value of ["ci-bot", "jira.secure.example", "Sindy", "issue_tracker_pass"]) expect(error.message).not.toContain(value);
  });

  test("a system with no connector lists every connector", async () => {
    const error = await lookupFailure(getConnectorId({ system: "gitlab" }));
    expect(error.message).toMatch(
      /^no connector of system "gitlab" \(names match exactly, case included\); connectors: "GitHub Example Connector" \(github\), /,
    );
  });

  test.each([
    [{}, /give the connector's name, its system or both/],
    [{ name: "Tracker", sytem: "jira" }, /unknown argument sytem \(did you mean system\?\): getConnectorId takes name and system/],
    [{ system: 1 }, /system: must be the system's id \(a string such as "jira"\)/],
    [null, /must be an object of arguments/],
  ])("bad arguments %j are refused before any request", async (args, message) => {
    const error: unknown = await getConnectorId(args as never).catch((e: unknown) => e);
    expect(isSdeApiError(error) && error.kind).toBe("invalid_input");
    expect((error as Error).message).toMatch(message);
    expect(calls(emulator)).toEqual([]);
  });
});

describe("the client's filtered lists", () => {
  test("send the filters as the API spells them, and refuse a misspelt one before any request", async () => {
    const client = new SdeClient({ url: emulator.url, token: DEFAULT_TOKEN }, {});
    try {
      expect((await client.applications.list({ name: "Shared", businessUnit: 3 })).map((a) => a.id)).toEqual([4]);
      expect(emulator.requestLog.at(-1)!.query).toBe("name=Shared&business_unit=3");
      expect((await client.projects.list({ name: "Checkout", application: 1 })).map((p) => p.id)).toEqual([10]);
      emulator.clearRequestLog();
      await expect(client.projects.list({ nam: "Checkout" } as never)).rejects.toThrow(
        /unknown filter nam \(did you mean name\?\): a project list takes name, application and slug/,
      );
      await expect(client.connectors.list({ system: "" })).rejects.toThrow(/system: must not be blank/);
      await expect(client.businessUnits.list({ name: 3 } as never)).rejects.toThrow(/name: must be a name \(a string\)/);
      expect(calls(emulator)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
