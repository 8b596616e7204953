import type { PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { FREQUENCIES } from "pulumi-sdelements";
import {
  certificateValidationViolations,
  CONNECTION_TYPE,
  credentialsAsSecretsViolations,
  debugModeViolations,
  DEFAULT_ALLOWED_FREQUENCIES,
  DEFAULT_PRODUCTION_STACKS,
  frequencyViolations,
  httpsOnlyViolations,
  configValues,
  titleFormatViolations,
  type ConnectionProps,
} from "./rules";

/** Where the pack learns about the run: the stack's name and the process environment Pulumi gives it. */
export interface PolicyContext {
  stack(): string;
  env: Readonly<Record<string, string | undefined>>;
}

/** A mandatory rule on IssueTrackerConnections: `check` returns its violations for one resource. */
function connectionRule(
  name: string,
  description: string,
  check: (props: ConnectionProps, args: ResourceValidationArgs) => string[],
  configSchema?: PolicyConfigSchema,
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    ...(configSchema ? { configSchema } : {}),
    validateResource: (args, reportViolation) => {
      if (args.type !== CONNECTION_TYPE) return;
      for (const violation of check(args.props as ConnectionProps, args)) reportViolation(violation);
    },
  };
}

/** The pack's policies, each wired to its rule in rules.ts. */
export function connectionPolicies(context: PolicyContext): ResourceValidationPolicy[] {
  return [
    connectionRule("sde-certificate-validation", "Issue tracker connections keep TLS certificate validation on.", (props) =>
      certificateValidationViolations(props),
    ),
    connectionRule("sde-https-only", "Issue tracker connections reach their tracker over https only.", (props) =>
      httpsOnlyViolations(props),
    ),
    connectionRule(
      "sde-credentials-as-secrets",
      "Issue tracker credentials come only from Pulumi secrets and stay secret in the state.",
      (props, args) =>
        credentialsAsSecretsViolations(props, {
          additionalSecretOutputs: args.opts.additionalSecretOutputs,
          configValues: configValues(context.env),
        }),
    ),
    connectionRule(
      "sde-allowed-frequency",
      "Issue tracker connections sync at a frequency from the allowed list.",
      (props, args) =>
        frequencyViolations(props, args.getConfig<{ allowedFrequencies?: string[] }>().allowedFrequencies ?? DEFAULT_ALLOWED_FREQUENCIES),
      {
        properties: {
          allowedFrequencies: {
            type: "array",
            items: { type: "string", enum: [...FREQUENCIES] },
            default: [...DEFAULT_ALLOWED_FREQUENCIES],
          },
        },
      },
    ),
    connectionRule("sde-title-has-task-id", "Tracker issue titles contain the SD Elements task id ($task_id).", (props) =>
      titleFormatViolations(props),
    ),
    connectionRule(
      "sde-no-debug-in-production",
      "Issue tracker connections do not run in debug mode in production stacks.",
      (props, args) =>
        debugModeViolations(
          props,
          context.stack(),
          args.getConfig<{ productionStacks?: string[] }>().productionStacks ?? DEFAULT_PRODUCTION_STACKS,
        ),
      { properties: { productionStacks: { type: "array", items: { type: "string" }, default: [...DEFAULT_PRODUCTION_STACKS] } } },
    ),
  ];
}
