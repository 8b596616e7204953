import * as pulumi from "@pulumi/pulumi";
import { getConnectorId, getProjectId, IssueTrackerConnection } from "pulumi-sdelements";

/**
 * Two SD Elements Issue Tracker Connections: a Jira one and a Rally one, their passwords from stack
 * config secrets. Projects and connectors are named, not numbered: getProjectId and getConnectorId look
 * their ids up (a Promise<number> is an Input). Against the emulator (`npm run demo`, or `npx sde-emulator`)
 * the names below exist; against your server, set yours with config (e.g. `pulumi config set paymentsProject
 * Payments`). A name that matches nothing, or several, fails the preview with the candidates' names.
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
    connector: getConnectorId({ name: config.get("jiraConnector") ?? "Jira Connector" }),
    // The application tells apart projects of the same name in different applications.
    project: getProjectId({
      name: config.get("paymentsProject") ?? "Project 1",
      application: config.get("paymentsApplication") ?? "Finance App",
    }),
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
    // A system with one connector needs no name.
    connector: getConnectorId({ system: "rally" }),
    project: getProjectId({ name: config.get("demoProject") ?? "Demo Project" }),
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
