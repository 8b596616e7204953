import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { IssueTrackerConnection, SdeClient } from "../../src";
import { DeploymentError, plaintextOccurrences } from "../../src/engine";
import { PROJECT_ROOT, startLocalStack, type LocalStack } from "../support/local-stack";
import { SECRETS } from "../support/seeds";
import { record } from "./metrics";

// A whole lifecycle with failures (a wrong password in preview, a 400 from the API, a 401, a retry storm),
// debug logging on and debugMode on every connection, with distinctive secrets: then every place a secret
// could land is searched for them. None may be found anywhere in plain text.

const WRONG_PASSWORD = "Wrong-Canary-Passw0rd-e5c1";
const ROTATED_PASSWORD = "Rotated-Canary-Passw0rd-a8b7";
const WRONG_SDE_TOKEN = "sde-wrong-canary-token-c3d9";
const CANARIES = [SECRETS.password, SECRETS.sdeToken, SECRETS.trackerApiToken, WRONG_PASSWORD, ROTATED_PASSWORD, WRONG_SDE_TOKEN];

let jiraPassword: string = WRONG_PASSWORD;
let jiraProject = 1;
let jiraAlias = "Canary Jira";
const program = () => {
  const config = new pulumi.Config();
  new IssueTrackerConnection("jira", {
    alias: jiraAlias,
    connector: 1,
    project: jiraProject,
    debugMode: true,
    testConnection: jiraProject === 1,
    params: {
      issue_tracker_server: "jira.secure.example",
      issue_tracker_user: "ci-bot",
      issue_tracker_pass: jiraPassword,
      issue_tracker_project: "PAY",
    },
  });
  const github = new IssueTrackerConnection("github", {
    alias: "Canary GitHub",
    connector: 3,
    project: 2,
    debugMode: true,
    params: {
      issue_tracker_server: "github.secure.example",
      issue_tracker_auth_mode: "api_token",
      issue_tracker_api_token: config.requireSecret("githubToken"),
      issue_tracker_project: "infra",
    },
  });
  return { githubCredentials: github.credentials, githubParams: github.params };
};

/** Everything that could carry a secret: state views, outputs, errors, what the host printed, logs. */
const seen: { where: string; value: unknown }[] = [];
const look = (where: string, value: unknown) => seen.push({ where, value });
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack(program, {
    config: { "lifecycle:githubToken": SECRETS.trackerApiToken, "sdelements:debug": "true" },
    secretKeys: ["lifecycle:githubToken"],
  });
});
afterAll(async () => {
  await stack.stop();
  look("host output", stack.hostLog.join("\n"));
  look("emulator request log", stack.emulator.requestLog);
  const leaks = seen.flatMap(({ where, value }) => plaintextOccurrences(value, CANARIES).map((path) => `${where}: ${path}`));
  record("leaks", { "places searched": seen.length, leaks: leaks.length });
  expect(leaks).toEqual([]);
});

async function step(name: string, run: () => Promise<unknown>): Promise<DeploymentError | undefined> {
  try {
    look(`${name}: result`, await run());
    return undefined;
  } catch (error) {
    if (!(error instanceof DeploymentError)) throw error;
    look(`${name}: errors`, error.errors);
    look(`${name}: message`, error.message);
    return error;
  } finally {
    look(`${name}: state`, stack.engine.state);
    look(`${name}: registrations`, stack.engine.lastRegistrations);
  }
}

test("a wrong password fails the preview", async () => {
  const error = await step("preview", () => stack.engine.preview());
  expect(error?.errors.join("\n")).toMatch(/Authentication to jira\.secure\.example failed/);
});

test("up, with debug logging of every request", async () => {
  jiraPassword = SECRETS.password;
  expect(await step("up", () => stack.engine.up())).toBeUndefined();
  expect(stack.hostLog.join("\n")).toMatch(/^debug: sdelements: POST \/api\/v2\/connections\/issue-tracker\/ → 201/m);
});

test("a 400 from the API on an update that also rotates the password", async () => {
  jiraPassword = ROTATED_PASSWORD;
  jiraProject = 999;
  const error = await step("up (400)", () => stack.engine.up());
  expect(error?.errors.join("\n")).toMatch(/project: Invalid pk "999"/);
  jiraProject = 1;
  jiraPassword = SECRETS.password;
});

test("a retry storm during an update", async () => {
  jiraAlias = "Canary Jira (renamed)";
  stack.emulator.faults.throttle({ count: 2, retryAfter: 0, method: "PATCH" });
  stack.emulator.faults.serverError({ count: 2, status: 503, method: "PATCH" });
  expect(await step("up (storm)", () => stack.engine.up())).toBeUndefined();
  expect(stack.hostLog.join("\n")).toMatch(/PATCH .* → 200 in \d+ ms \(5 attempts\)/);
});

test("refresh, after a password changed by hand", async () => {
  const client = new SdeClient({ url: stack.emulator.url, token: SECRETS.sdeToken }, {});
  const id = Number(stack.engine.state.find((r) => r.name === "jira")!.id);
  await client.connections.update(id, { params: { issue_tracker_pass: WRONG_PASSWORD } });
  await client.close();
  expect(await step("refresh", () => stack.engine.refresh())).toBeUndefined();
});

test("a 401: the same program with a wrong SD Elements token", async () => {
  const wrong = await startLocalStack(program, {
    config: { "sdelements:apiToken": WRONG_SDE_TOKEN, "lifecycle:githubToken": SECRETS.trackerApiToken, "sdelements:debug": "true" },
    secretKeys: ["lifecycle:githubToken"],
  });
  try {
    const error: DeploymentError = await wrong.engine.preview().catch((e) => e);
    expect(error.errors.join("\n")).toMatch(/401.*token is wrong or expired/);
    look("401: errors", error.errors);
    look("401: state", wrong.engine.state);
  } finally {
    await wrong.stop();
    look("401: host output", wrong.hostLog.join("\n"));
  }
});

test("destroy", async () => {
  expect(await step("destroy", () => stack.engine.destroy())).toBeUndefined();
});

test("no test snapshot holds a secret", () => {
  const snapshots: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.includes("__snapshots__")) snapshots.push(path);
    }
  };
  walk(join(PROJECT_ROOT, "test"));
  for (const file of snapshots) look(file, readFileSync(file, "utf8"));
  expect(snapshots.flatMap((f) => plaintextOccurrences(readFileSync(f, "utf8"), CANARIES))).toEqual([]);
});
