import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { connectionPolicies } from "../../examples/policy/policies";
import {
  certificateValidationViolations,
  CONNECTION_TYPE,
  credentialsAsSecretsViolations,
  debugModeViolations,
  DEFAULT_ALLOWED_FREQUENCIES,
  DEFAULT_PRODUCTION_STACKS,
  frequencyViolations,
  httpsOnlyViolations,
  isProductionStack,
  configValues,
  titleFormatViolations,
} from "../../examples/policy/rules";

// The policy pack's rules, each with resources that pass and resources that fail, then the pack's wiring
// (type filter, config defaults, stack name) with the arguments @pulumi/policy gives a validation. Running
// the pack itself needs the Pulumi CLI (`pulumi preview --policy-pack examples/policy`), not here.

const PASSWORD = "Policy-Canary-Passw0rd";

describe("certificate validation on", () => {
  test.each([[{}], [{ params: { issue_tracker_validate_cert: true } }], [{ params: {} }]])("passes %j", (props) => {
    expect(certificateValidationViolations(props)).toEqual([]);
  });
  test.each([[{ params: { issue_tracker_validate_cert: false } }], [{ params: { issue_tracker_validate_cert: "false" } }]])(
    "fails %j",
    (props) => {
      expect(certificateValidationViolations(props)).toEqual([
        expect.stringMatching(/^params\.issue_tracker_validate_cert is false: keep certificate validation on/),
      ]);
    },
  );
});

describe("https only", () => {
  test.each([[{}], [{ params: { issue_tracker_method: "https" } }]])("passes %j", (props) => {
    expect(httpsOnlyViolations(props)).toEqual([]);
  });
  test("fails http", () => {
    expect(httpsOnlyViolations({ params: { issue_tracker_method: "http" } })).toEqual([
      'params.issue_tracker_method is "http": trackers must be reached over https (set it to "https", or remove it)',
    ]);
  });
});

describe("credentials only as secrets", () => {
  const secretOutputs = ["credentials"];
  const config = { all: new Set([PASSWORD, "eu", "plain-config-token"]), secret: new Set([PASSWORD]) };
  test("passes: kept secret by the package's class, and equal to a secret config value", () => {
    const props = { params: { issue_tracker_pass: PASSWORD, issue_tracker_user: "bot" } };
    expect(credentialsAsSecretsViolations(props, { additionalSecretOutputs: secretOutputs, configValues: config })).toEqual([]);
    // Without the stack config, only the resource's own evidence is checked.
    expect(credentialsAsSecretsViolations(props, { additionalSecretOutputs: secretOutputs })).toEqual([]);
  });
  test("fails, where secret keys are known: a credential no secret config value holds (a literal, or a plain config value), without showing it", () => {
    const violations = credentialsAsSecretsViolations(
      { params: { issue_tracker_pass: "typed-in", issue_tracker_api_token: "plain-config-token" } },
      { additionalSecretOutputs: secretOutputs, configValues: config },
    );
    expect(violations).toEqual([
      'params.issue_tracker_pass is not read from a secret stack config value: store it with `pulumi config set --secret KEY` and pass config.requireSecret("KEY")',
      'params.issue_tracker_api_token is not read from a secret stack config value: store it with `pulumi config set --secret KEY` and pass config.requireSecret("KEY")',
    ]);
    expect(violations.join("\n")).not.toContain("typed-in");
  });
  test("fails, with the config alone (what the CLI gives a policy pack): a credential written in the program", () => {
    const configOnly = { all: config.all };
    const props = (pass: string) => ({ params: { issue_tracker_pass: pass } });
    expect(credentialsAsSecretsViolations(props("typed-in"), { additionalSecretOutputs: secretOutputs, configValues: configOnly })).toEqual(
      [
        'params.issue_tracker_pass is not read from the stack config (a value written in the program?): store it with `pulumi config set --secret KEY` and pass config.requireSecret("KEY")',
      ],
    );
    // A plain config value cannot be told from a secret one then: it passes.
    expect(
      credentialsAsSecretsViolations(props("plain-config-token"), { additionalSecretOutputs: secretOutputs, configValues: configOnly }),
    ).toEqual([]);
  });
  test("fails: a resource registered without credentials among its secret outputs", () => {
    expect(credentialsAsSecretsViolations({ params: {} }, { additionalSecretOutputs: [] })).toEqual([
      expect.stringMatching(
        /^its credentials output is not kept secret .*declare connections with the IssueTrackerConnection class of pulumi-sdelements$/,
      ),
    ]);
  });
  test("the config values come from the environment Pulumi gives; which are secret only where it says", () => {
    const env = {
      PULUMI_CONFIG: JSON.stringify({ "proj:jiraPassword": PASSWORD, "proj:region": "eu", "sdelements:url": "https://sde" }),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["proj:jiraPassword"]),
    };
    expect(configValues(env)).toEqual({ all: new Set([PASSWORD, "eu", "https://sde"]), secret: new Set([PASSWORD]) });
    expect(configValues({ PULUMI_CONFIG: env.PULUMI_CONFIG })).toEqual({
      all: new Set([PASSWORD, "eu", "https://sde"]),
      secret: undefined,
    });
    expect(configValues({})).toBeUndefined();
    expect(configValues({ PULUMI_CONFIG: "not json" })).toBeUndefined();
  });
});

describe("frequency from an allowed list", () => {
  test.each([["daily"], ["weekly"], ["hourly"]])("passes %s", (frequency) => {
    expect(frequencyViolations({ frequency }, DEFAULT_ALLOWED_FREQUENCIES)).toEqual([]);
  });
  test("fails manually, explicit or by default, and anything not listed", () => {
    expect(frequencyViolations({ frequency: "manually" }, DEFAULT_ALLOWED_FREQUENCIES)).toEqual([
      'frequency is "manually": use one of hourly, daily, weekly',
    ]);
    expect(frequencyViolations({}, DEFAULT_ALLOWED_FREQUENCIES)).toEqual(['frequency is "manually": use one of hourly, daily, weekly']);
    expect(frequencyViolations({ frequency: "hourly" }, ["daily"])).toEqual(['frequency is "hourly": use one of daily']);
  });
});

describe("title format containing $task_id", () => {
  test.each([
    [{}],
    [{ params: { issue_tracker_title_format: "$task_id $title" } }],
    [{ params: { issue_tracker_title_format: "[SDE] ${task_id}: $title" } }],
  ])("passes %j", (props) => expect(titleFormatViolations(props)).toEqual([]));
  test.each([["$title"], ["$task_identifier $title"], ["task_id $title"]])("fails %j", (format) => {
    expect(titleFormatViolations({ params: { issue_tracker_title_format: format } })).toEqual([
      `params.issue_tracker_title_format ${JSON.stringify(format)} does not contain $task_id: add it, e.g. "$task_id $title"`,
    ]);
  });
});

describe("no debug mode in production stacks", () => {
  test("passes debug mode off anywhere, and on outside production", () => {
    expect(debugModeViolations({ debugMode: false }, "prod", DEFAULT_PRODUCTION_STACKS)).toEqual([]);
    expect(debugModeViolations({}, "production", DEFAULT_PRODUCTION_STACKS)).toEqual([]);
    expect(debugModeViolations({ debugMode: true }, "dev", DEFAULT_PRODUCTION_STACKS)).toEqual([]);
    expect(debugModeViolations({ debugMode: true }, "products", DEFAULT_PRODUCTION_STACKS)).toEqual([]);
  });
  test("fails debug mode on in a production stack", () => {
    expect(debugModeViolations({ debugMode: true }, "prod", DEFAULT_PRODUCTION_STACKS)).toEqual([
      'debugMode is on in production stack "prod": turn it off (remove debugMode, or set it to false)',
    ]);
    expect(debugModeViolations({ debugMode: true }, "eu-Production", DEFAULT_PRODUCTION_STACKS)).toHaveLength(1);
    expect(isProductionStack("live", ["live"])).toBe(true);
  });
});

describe("the pack's wiring", () => {
  /** What @pulumi/policy gives a resource validation, for a resource of `type` with `props`. */
  function args(
    props: Record<string, unknown>,
    more: { type?: string; config?: Record<string, unknown>; secretOutputs?: string[] } = {},
  ): ResourceValidationArgs {
    return {
      type: more.type ?? CONNECTION_TYPE,
      props,
      urn: `urn:pulumi:prod::p::${more.type ?? CONNECTION_TYPE}::c`,
      name: "c",
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: more.secretOutputs ?? ["credentials"],
      },
      stackTags: new Map(),
      isType: () => false,
      asType: () => undefined,
      getConfig: <T extends object>() => (more.config ?? {}) as T,
      notApplicable: () => {
        throw new Error("not applicable");
      },
    };
  }

  function violations(policies: ResourceValidationPolicy[], a: ResourceValidationArgs): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    for (const policy of policies) {
      const validate = policy.validateResource as (args: ResourceValidationArgs, report: (message: string) => void) => void;
      validate(a, (message) => (found[policy.name] ??= []).push(message));
    }
    return found;
  }

  const env = { PULUMI_CONFIG: JSON.stringify({ "p:pw": PASSWORD }), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["p:pw"]) };
  const compliant = {
    alias: "A",
    frequency: "daily",
    debugMode: false,
    params: { issue_tracker_project: "PAY", issue_tracker_pass: PASSWORD },
  };

  test("six mandatory policies; a compliant connection passes them all", () => {
    const policies = connectionPolicies({ stack: () => "prod", env });
    expect(policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
      ["sde-certificate-validation", "mandatory"],
      ["sde-https-only", "mandatory"],
      ["sde-credentials-as-secrets", "mandatory"],
      ["sde-allowed-frequency", "mandatory"],
      ["sde-title-has-task-id", "mandatory"],
      ["sde-no-debug-in-production", "mandatory"],
    ]);
    expect(violations(policies, args(compliant))).toEqual({});
  });

  test("a connection breaking every rule gets one violation per rule, in a production stack", () => {
    const bad = {
      alias: "B",
      frequency: "manually",
      debugMode: true,
      params: {
        issue_tracker_validate_cert: false,
        issue_tracker_method: "http",
        issue_tracker_pass: "literal-in-program",
        issue_tracker_title_format: "$title",
      },
    };
    const found = violations(connectionPolicies({ stack: () => "prod", env }), args(bad, { secretOutputs: [] }));
    expect(Object.keys(found)).toEqual([
      "sde-certificate-validation",
      "sde-https-only",
      "sde-credentials-as-secrets",
      "sde-allowed-frequency",
      "sde-title-has-task-id",
      "sde-no-debug-in-production",
    ]);
    expect(found["sde-credentials-as-secrets"]).toHaveLength(2);
    expect(JSON.stringify(found)).not.toContain("literal-in-program");
    // The same connection in a dev stack may debug.
    expect(violations(connectionPolicies({ stack: () => "dev", env }), args(bad))["sde-no-debug-in-production"]).toBeUndefined();
  });

  test("the pack's config sets the allowed frequencies and the production stacks", () => {
    const policies = connectionPolicies({ stack: () => "live", env });
    const weekly = { ...compliant, frequency: "weekly", debugMode: true };
    expect(violations(policies, args(weekly, { config: { allowedFrequencies: ["daily"], productionStacks: ["live"] } }))).toEqual({
      "sde-allowed-frequency": ['frequency is "weekly": use one of daily'],
      "sde-no-debug-in-production": ['debugMode is on in production stack "live": turn it off (remove debugMode, or set it to false)'],
    });
    const schema = policies.find((p) => p.name === "sde-allowed-frequency")?.configSchema?.properties.allowedFrequencies;
    expect(schema).toMatchObject({ type: "array", default: ["hourly", "daily", "weekly"] });
  });

  test("other resource types are not judged", () => {
    expect(
      violations(
        connectionPolicies({ stack: () => "prod", env }),
        args({ debugMode: true }, { type: "aws:s3/bucket:Bucket", secretOutputs: [] }),
      ),
    ).toEqual({});
  });
});
