import type { AdoptedConnection, AdoptionPlan } from "./adoption-plan";
import { configSetSecretCommand, shellWord } from "./config-commands";
import { generatedBy, NO_TEST_REASON } from "./generated-notes";
import type { OutputFile } from "./output-files";
import { MINIMUM_NODE_VERSION } from "../node-version";
import { packageManifest } from "../package-manifest";
import { commentText, tsKey, tsLiteral, tsString } from "./source-text";

/** The stack config key that turns the connection test back on for every adopted connection. */
export const TEST_CONNECTIONS_CONFIG_KEY = "testConnections";

/**
 * A Pulumi TypeScript program that adopts every connection of the plan: `index.ts`, `Pulumi.yaml`,
 * `package.json` (@pulumi/pulumi and this package beside it; TypeScript and Node's types, with which the
 * CLI type-checks the program), `tsconfig.json` (the CLI's TypeScript settings for it) and a README with
 * the config commands. `server` is the SD Elements URL it was exported from (named in comments only).
 */
export function typescriptProgram(plan: AdoptionPlan, project: string, server: string, packageSpec: string): OutputFile[] {
  const texts: Record<(typeof PROGRAM_FILES)[number], string> = {
    "index.ts": indexTs(plan, server),
    "Pulumi.yaml": pulumiYaml(project, server),
    "package.json": packageJson(project, packageSpec),
    "tsconfig.json": TSCONFIG,
    "README.md": readme(plan, project, server),
  };
  return PROGRAM_FILES.map((name) => ({ name, text: texts[name] }));
}

/** The files of a program, in the order they are written. */
export const PROGRAM_FILES = ["index.ts", "Pulumi.yaml", "package.json", "tsconfig.json", "README.md"] as const;

function indexTs(plan: AdoptionPlan, server: string): string {
  const lines = [
    ...generatedBy(server, plan.connections.length).map((l) => `// ${commentText(l)}`),
    'import * as pulumi from "@pulumi/pulumi";',
    'import { IssueTrackerConnection } from "pulumi-sdelements";',
    "",
    // A function export, so a runner can run the program more than once in one process.
    "export = async () => {",
    "  const config = new pulumi.Config();",
    ...[
      ...NO_TEST_REASON,
      `\`testConnection: true\` on a resource, or \`pulumi config set ${TEST_CONNECTIONS_CONFIG_KEY} true\` for all.`,
    ].map((l) => `  // ${l}`),
    `  const testConnection = config.getBoolean(${tsString(TEST_CONNECTIONS_CONFIG_KEY)}) ?? false;`,
  ];
  for (const connection of plan.connections) lines.push("", ...resource(connection));
  lines.push("};", "");
  return lines.join("\n");
}

function resource(c: AdoptedConnection): string[] {
  const where = c.projectName !== undefined ? `${commentText(c.projectName)} (project ${c.project})` : `project ${c.project}`;
  // Credentials among the other params, all in key order.
  const params = [
    ...Object.entries(c.params).map(([key, value]) => [key, tsLiteral(value)] as const),
    ...Object.entries(c.credentials).map(([key, configKey]) => [key, `config.requireSecret(${tsString(configKey)})`] as const),
  ]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `      ${tsKey(key)}: ${value},`);
  return [
    `  // ${where}: connection ${c.id}`,
    `  new IssueTrackerConnection(${tsString(c.name)}, {`,
    `    adoptId: ${c.id},`,
    `    alias: ${tsString(c.alias)},`,
    `    connector: ${c.connector},`,
    `    project: ${c.project},`,
    `    frequency: ${tsString(c.frequency)},`,
    `    debugMode: ${c.debugMode},`,
    ...(params.length > 0 ? ["    params: {", ...params, "    },"] : ["    params: {},"]),
    "    testConnection,",
    "  });",
  ];
}

function pulumiYaml(project: string, server: string): string {
  return [
    // Quoted: a name such as `true` or `123` must stay a string.
    `name: ${JSON.stringify(project)}`,
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    typescript: true",
    `description: ${JSON.stringify(`SD Elements Issue Tracker Connections adopted from ${server}`)}`,
    "",
  ].join("\n");
}

/** The @pulumi/pulumi range this package works with, for the program's dependencies. */
function pulumiVersion(): string {
  return packageManifest().peerDependencies["@pulumi/pulumi"] ?? "^3";
}

function packageJson(project: string, packageSpec: string): string {
  const manifest = {
    name: project,
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": pulumiVersion(), "pulumi-sdelements": packageSpec },
    // The Pulumi CLI type-checks a TypeScript program with the program's own TypeScript, as its templates
    // install it: the version this package is built with, and Node's types for the oldest Node it runs on.
    devDependencies: {
      "@types/node": `^${MINIMUM_NODE_VERSION.split(".")[0]}`,
      typescript: `~${packageManifest().devDependencies.typescript ?? "5.9.3"}`,
    },
  };
  return JSON.stringify(manifest, null, 2) + "\n";
}

/**
 * The TypeScript settings of Pulumi's own TypeScript templates (strict), for index.ts alone, and
 * esModuleInterop, without which zod's type declarations (this package's schemas) do not type-check.
 */
const TSCONFIG =
  JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        esModuleInterop: true,
        outDir: "bin",
        target: "es2020",
        module: "commonjs",
        moduleResolution: "node",
        sourceMap: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
      },
      files: ["index.ts"],
    },
    null,
    2,
  ) + "\n";

function readme(plan: AdoptionPlan, project: string, server: string): string {
  const lines = [
    `# ${project}`,
    "",
    ...generatedBy(server, plan.connections.length),
    "",
    "## Run it",
    "",
    "```sh",
    "npm install",
    "pulumi stack init   # or select an existing stack",
    `pulumi config set sdelements:url ${shellWord(server)}`,
    "pulumi config set --secret sdelements:apiToken     # asks for the SD Elements API token",
    "# then the credentials below",
    "pulumi preview      # every connection: create (adopt), nothing written",
    "pulumi up           # reads each connection once, writes nothing",
    "```",
    "",
    "Keep `adoptId` in the program afterwards: changing it to another id replaces the resource, and removing",
    "a resource from the program deletes its connection in SD Elements.",
    "",
    "## Credentials",
    "",
  ];
  if (plan.secrets.length === 0) {
    lines.push("Every connection uses its connector's credentials: there is no secret to set.");
  } else {
    lines.push("Each command asks for the value; the password or token is the one the connection uses today.", "", "```sh");
    lines.push(...plan.secrets.map(configSetSecretCommand), "```");
  }
  if (plan.problems.length > 0) {
    lines.push("", "## To fix before the first preview", "", ...plan.problems.map((p) => `- ${p}`));
  }
  return lines.join("\n") + "\n";
}
