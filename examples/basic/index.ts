import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection } from "pulumi-sdelements";

/**
 * Two SD Elements Issue Tracker Connections: a Jira one and a Rally one, their passwords from stack
 * config secrets. Against the emulator (`npm run demo`, or `npx sde-emulator`) the ids and names below
 * exist; against your server, set them with config.
 *
 * (each `--secret` line prompts for its value, which keeps it out of the shell's history)
 *
 *   pulumi config set sdelements:url https://sde.example.com
 *   pulumi config set --secret sdelements:apiToken
 *   pulumi config set --secret jiraPassword
 *   pulumi config set --secret rallyPassword
 */
export = async () => {
  const config = new pulumi.Config();

  const payments = new IssueTrackerConnection("payments-jira", {
    alias: "Payments Jira",
    connector: config.getNumber("jiraConnector") ?? 1,
    project: config.getNumber("paymentsProject") ?? 1,
    frequency: "daily",
    params: {
      issue_tracker_server: config.get("jiraServer") ?? "jira.example.com",
      issue_tracker_user: "pulumi-bot",
      issue_tracker_pass: config.requireSecret("jiraPassword"),
      issue_tracker_project: "PAY",
      issue_tracker_phases: "requirements,architecture-design,development,testing",
      sde_min_priority: 6,
    },
  });

  const demo = new IssueTrackerConnection("demo-rally", {
    alias: "Demo Rally",
    connector: config.getNumber("rallyConnector") ?? 2,
    project: config.getNumber("demoProject") ?? 2,
    params: {
      issue_tracker_user: "rally_user",
      issue_tracker_pass: config.requireSecret("rallyPassword"),
      issue_tracker_project: "Rally Project",
    },
  });

  return {
    paymentsConnectionId: payments.connectionId,
    paymentsCommand: payments.command,
    paymentsProject: payments.project,
    demoSystem: demo.system.apply((s) => s.name),
    demoCredentials: demo.credentials,
  };
};
