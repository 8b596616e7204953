import ts from "typescript";
import { runInNewContext } from "node:vm";
import type { AdoptedConnection, AdoptionPlan } from "../../src/export/adoption-plan";
import { catalogueYaml } from "../../src/export/catalogue-yaml";
import { parseCatalogue } from "../../src/export/catalogue";
import { typescriptProgram } from "../../src/export/typescript-program";

// The writers on their own: whatever characters the server holds, the generated program declares exactly
// the server's values, and the catalogue reads back to the same connections.

function adopted(id: number, more: Partial<AdoptedConnection> = {}): AdoptedConnection {
  return {
    name: `p1-conn-${id}`,
    id,
    alias: `Conn ${id}`,
    connector: 1,
    project: 1,
    projectName: "Project 1",
    frequency: "manually",
    debugMode: false,
    params: { issue_tracker_project: `P${id}` },
    credentials: {},
    ...more,
  };
}

function planOf(connections: AdoptedConnection[]): AdoptionPlan {
  const secrets = connections.flatMap((c) =>
    Object.entries(c.credentials).map(([param, configKey]) => ({ configKey, resource: c.name, param })),
  );
  return { connections, secrets, problems: [] };
}

/** Runs a generated index.ts with a recording IssueTrackerConnection: what would each resource declare? */
function declared(indexTs: string, testConnections?: boolean): { name: string; args: Record<string, unknown> }[] {
  const { outputText, diagnostics } = ts.transpileModule(indexTs, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  expect(diagnostics).toEqual([]);
  const resources: { name: string; args: Record<string, unknown> }[] = [];
  const fakes: Record<string, unknown> = {
    "@pulumi/pulumi": {
      Config: class {
        requireSecret = (key: string) => ({ secretFromConfig: key });
        getBoolean = (key: string) => (key === "testConnections" ? testConnections : undefined);
      },
    },
    "pulumi-sdelements": {
      IssueTrackerConnection: class {
        constructor(name: string, args: Record<string, unknown>) {
          resources.push({ name, args });
        }
      },
    },
  };
  const module = { exports: {} as unknown };
  runInNewContext(outputText, { module, exports: module.exports, require: (id: string) => fakes[id] });
  (module.exports as () => unknown)();
  return resources;
}

const HOSTILE = [
  'He said "hi" \\ then left',
  "line\u2028separator and */ comment end",
  "Émoji 🚀 and ünïcödé",
  "`${template}` and 'quotes'",
];

test("the program declares each connection with exactly the server's values, whatever characters they hold", () => {
  const connections = HOSTILE.map((alias, i) =>
    adopted(i + 1, {
      alias,
      projectName: `${alias}\nnew line`,
      // JSON.parse makes "__proto__" an own key, as the server's JSON would.
      params: JSON.parse(
        JSON.stringify({ issue_tracker_project: alias, "weird-key": "v", sde_min_priority: 5, issue_tracker_validate_cert: false }).replace(
          "{",
          '{"__proto__":"not a prototype",',
        ),
      ),
      credentials: { issue_tracker_pass: `p1-conn-${i + 1}.issue_tracker_pass` },
    }),
  );
  const [index] = typescriptProgram(planOf(connections), "my-project", "https://sde.example.com", "file:../pulumi-sdelements");
  expect(index?.name).toBe("index.ts");
  const resources = declared(index?.text as string);
  expect(resources.map((r) => r.name)).toEqual(connections.map((c) => c.name));
  resources.forEach(({ args }, i) => {
    const c = connections[i] as AdoptedConnection;
    expect(args).toEqual({
      adoptId: c.id,
      alias: c.alias,
      connector: 1,
      project: 1,
      frequency: "manually",
      debugMode: false,
      params: { ...c.params, issue_tracker_pass: { secretFromConfig: c.credentials.issue_tracker_pass } },
      testConnection: false,
    });
    expect(Object.prototype.hasOwnProperty.call(args.params, "__proto__")).toBe(true);
    expect((args.params as Record<string, unknown>)["__proto__"]).toBe("not a prototype");
  });
});

test("testConnection follows the testConnections config when set", () => {
  const [index] = typescriptProgram(planOf([adopted(1)]), "p", "https://sde.example.com", "file:../pulumi-sdelements");
  expect(declared(index?.text as string, true)[0]?.args.testConnection).toBe(true);
});

test("the program's other files: Pulumi.yaml names the project, package.json its dependencies, README the commands", () => {
  const files = typescriptProgram(
    planOf([adopted(1, { credentials: { issue_tracker_pass: "p1-conn-1.issue_tracker_pass" } })]),
    "adopted-eu",
    "https://sde.example.com",
    "file:../pulumi-sdelements",
  );
  const byName = Object.fromEntries(files.map((f) => [f.name, f.text]));
  expect(Object.keys(byName)).toEqual(["index.ts", "Pulumi.yaml", "package.json", "tsconfig.json", "README.md"]);
  expect(byName["Pulumi.yaml"]).toMatch(/^name: "adopted-eu"\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n/);
  const manifest = JSON.parse(byName["package.json"] as string);
  // The SDK as a range (the one this package declares as its peer), so npm installs one copy of it.
  expect(manifest.dependencies).toEqual({ "@pulumi/pulumi": "^3.276.0", "pulumi-sdelements": "file:../pulumi-sdelements" });
  // What the CLI type-checks a TypeScript program with, and the settings it does so with.
  expect(manifest.devDependencies).toEqual({ "@types/node": "^22", typescript: "~5.9.3" });
  expect(JSON.parse(byName["tsconfig.json"] as string)).toMatchObject({
    compilerOptions: { strict: true, esModuleInterop: true, module: "commonjs" },
    files: ["index.ts"],
  });
  expect(byName["README.md"]).toContain("pulumi config set --secret p1-conn-1.issue_tracker_pass\n");
  expect(byName["README.md"]).toContain("pulumi config set sdelements:url https://sde.example.com\n");
});

test("the catalogue reads back to exactly the plan's connections", () => {
  const connections = [
    adopted(1, { alias: HOSTILE[0] as string, frequency: "daily", credentials: { issue_tracker_pass: "p1-conn-1.issue_tracker_pass" } }),
    adopted(2, {
      alias: HOSTILE[2] as string,
      project: 2,
      connector: 2,
      debugMode: true,
      params: { issue_tracker_project: "yes", jira_version: "5", sde_min_priority: 5 },
    }),
    adopted(3, { alias: "null", params: { issue_tracker_project: "123", issue_tracker_validate_cert: false } }),
  ];
  const resolved = parseCatalogue(catalogueYaml(planOf(connections), "https://sde.example.com"), "exported.yaml");
  expect(resolved).toEqual(
    connections.map((c) => ({
      name: c.name,
      alias: c.alias,
      connector: c.connector,
      project: c.project,
      frequency: c.frequency,
      debugMode: c.debugMode,
      testConnection: false,
      adoptId: c.id,
      params: c.params,
      credentials: c.credentials,
    })),
  );
});

test("what every entry shares moves to defaults, and each entry keeps only what is its own", () => {
  const shared = { issue_tracker_server: "jira.example.com", issue_tracker_phases: "requirements,testing" };
  const connections = [1, 2, 3].map((id) => adopted(id, { params: { ...shared, issue_tracker_project: `P${id}` } }));
  const yaml = catalogueYaml(planOf(connections), "https://sde.example.com");
  expect(yaml).toContain(
    "defaults:\n  testConnection: false\n  connector: 1\n  frequency: manually\n  debugMode: false\n  params:\n    issue_tracker_phases: requirements,testing\n    issue_tracker_server: jira.example.com\n",
  );
  expect(yaml).toContain(
    "  - name: p1-conn-2\n    alias: Conn 2\n    project: 1\n    adoptId: 2\n    params:\n      issue_tracker_project: P2\n",
  );
  expect(parseCatalogue(yaml, "x").map((c) => c.params)).toEqual(connections.map((c) => c.params));
});

test("a single connection keeps everything in its entry", () => {
  const yaml = catalogueYaml(planOf([adopted(1)]), "https://sde.example.com");
  expect(yaml).toContain("defaults:\n  testConnection: false\nconnections:\n  - name: p1-conn-1\n");
});
