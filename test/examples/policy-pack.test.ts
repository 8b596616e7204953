import { join, resolve } from "node:path";
import { makeSecret } from "../../src/engine";
import { CONNECTION_TYPE } from "../../examples/policy/rules";
import { analyzerProto, startPolicyPack, structProto, type RunningPack } from "../support/policy-analyzer";

// The policy pack as the Pulumi CLI runs it: its own process serving @pulumi/policy's analyzer over gRPC
// on 127.0.0.1, asked to analyze resources the way the engine asks (the CLI itself is not here). Secrets
// reach it as the engine's envelopes; the pack sees them as plain values and judges them by the stack's
// secret config instead.
const ROOT = resolve(__dirname, "..", "..");
const PACK = join(ROOT, "examples", "policy");
const PASSWORD = "Pack-Canary-Passw0rd-1";

let pack: RunningPack;

beforeAll(async () => {
  pack = await startPolicyPack(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", 'require("./index.ts")'], {
    cwd: PACK,
    env: {
      PATH: process.env.PATH,
      PULUMI_NODEJS_STACK: "prod",
      PULUMI_NODEJS_PROJECT: "adopted",
      // What the CLI gives a Node.js policy pack (pulumi/pulumi analyzer_plugin.go constructEnv): the
      // config, but no list of which keys are secret.
      PULUMI_CONFIG: JSON.stringify({ "adopted:jiraPassword": PASSWORD, "adopted:region": "eu" }),
    },
  });
}, 60_000);

afterAll(() => pack?.stop());

/** The diagnostics the pack reports for one resource, as `policy: message`. */
async function analyze(props: Record<string, unknown>, additionalSecretOutputs = ["credentials"]): Promise<string[]> {
  const options = new analyzerProto.AnalyzerResourceOptions();
  options.setAdditionalsecretoutputsList(additionalSecretOutputs);
  const request = new analyzerProto.AnalyzeRequest();
  request.setType(CONNECTION_TYPE);
  request.setName("payments");
  request.setUrn(`urn:pulumi:prod::adopted::${CONNECTION_TYPE}::payments`);
  request.setProperties(structProto.Struct.fromJavaScript(props));
  request.setOptions(options);
  const response = await pack.call("analyze", request);
  return response.getDiagnosticsList().map((d: any) => `${d.getPolicyname()}: ${d.getMessage()}`);
}

test("the pack serves its six policies", async () => {
  expect(await pack.info()).toEqual({
    name: "sdelements-connections",
    policies: [
      "sde-certificate-validation",
      "sde-https-only",
      "sde-credentials-as-secrets",
      "sde-allowed-frequency",
      "sde-title-has-task-id",
      "sde-no-debug-in-production",
    ],
  });
});

test("a compliant connection, its password a secret from the stack's secret config, passes", async () => {
  const props = {
    alias: "Payments",
    frequency: "daily",
    debugMode: false,
    params: { issue_tracker_project: "PAY", issue_tracker_pass: makeSecret(PASSWORD) },
  };
  expect(await analyze(props)).toEqual([]);
});

test("a connection breaking every rule in the prod stack: one violation per rule, no credential shown", async () => {
  const props = {
    alias: "Bad",
    frequency: "manually",
    debugMode: true,
    params: {
      issue_tracker_method: "http",
      issue_tracker_validate_cert: false,
      issue_tracker_title_format: "$title",
      issue_tracker_pass: makeSecret("typed-into-the-program"),
    },
  };
  const diagnostics = await analyze(props, []);
  expect(diagnostics.map((d) => d.split(":")[0])).toEqual([
    "sde-certificate-validation",
    "sde-https-only",
    "sde-credentials-as-secrets",
    "sde-credentials-as-secrets",
    "sde-allowed-frequency",
    "sde-title-has-task-id",
    "sde-no-debug-in-production",
  ]);
  expect(diagnostics.join("\n")).not.toContain("typed-into-the-program");
  expect(diagnostics).toContain(
    'sde-no-debug-in-production: Issue tracker connections do not run in debug mode in production stacks.\ndebugMode is on in production stack "prod": turn it off (remove debugMode, or set it to false)',
  );
});
