import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";
import { connectionPolicies } from "./policies";

/**
 * A policy pack for SD Elements Issue Tracker Connections: certificate validation on, https only,
 * credentials only as secrets, frequency from an allowed list, title formats with $task_id, no debug mode
 * in production stacks. With the Pulumi CLI (not run here: no CLI on the machines this is developed on):
 *
 *   pulumi preview --policy-pack examples/policy        # from a program's directory; also with `pulumi up`
 *
 * Allowed frequencies and production stack names are set in a policy config file
 * (`--policy-pack-config`), see README.md.
 */
new PolicyPack("sdelements-connections", {
  description: "Security rules for SD Elements Issue Tracker Connections",
  policies: connectionPolicies({ stack: () => pulumi.getStack(), env: process.env }),
});
