import { secretParamValues } from "../../src/schema";
import { call, fixture, TEST_CONNECTION, useEmulator } from "./helpers";

/** The test-connection endpoint against the seed's fake trackers. */

const emulator = useEmulator();
const example = () => fixture("test.request");
const withParams = (params: Record<string, unknown>) => ({ ...example(), params: { ...example().params, ...params } });

describe("testing a connection", () => {
  test.each([
    [
      "an unknown server",
      withParams({ issue_tracker_server: "rally.example.com" }),
      "Could not connect to rally.example.com: the server is unknown or unreachable. Check issue_tracker_server and issue_tracker_method.",
    ],
    [
      "the right server over the wrong protocol",
      withParams({ issue_tracker_method: "http" }),
      "Could not connect to server.rallydev.com: the server is unknown or unreachable. Check issue_tracker_server and issue_tracker_method.",
    ],
    [
      "a wrong password",
      withParams({ issue_tracker_pass: "hunter2-wrong" }),
      "Authentication to server.rallydev.com failed: check issue_tracker_user and issue_tracker_pass",
    ],
    [
      "a wrong user",
      withParams({ issue_tracker_user: "mallory" }),
      "Authentication to server.rallydev.com failed: check issue_tracker_user and issue_tracker_pass",
    ],
    [
      "an unknown tracker project",
      withParams({ issue_tracker_project: "Nope" }),
      'Project "Nope" was not found on server.rallydev.com: check issue_tracker_project',
    ],
    [
      "a wrong API token (GitHub connector)",
      { connector: 3, params: { issue_tracker_project: "example-repo", issue_tracker_api_token: "ghp_wrong_token_value" } },
      "Authentication to api.github.com failed: check issue_tracker_api_token",
    ],
  ])("%s: 400 with success false and a detail that names params, never secrets", async (_name, body, detail) => {
    const reply = await call(emulator.current, "POST", TEST_CONNECTION, { json: body });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ success: false, detail });
    for (const secret of secretParamValues(body.params)) expect(reply.text).not.toContain(secret);
  });

  test("a secret typed into a quoted field is not echoed", async () => {
    const reply = await call(emulator.current, "POST", TEST_CONNECTION, {
      // Basic auth succeeds, so the project is looked up and quoted; the token is unused but still secret.
      json: withParams({ issue_tracker_project: "s3cret-t0ken", issue_tracker_api_token: "s3cret-t0ken" }),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.detail).toBe('Project "[redacted]" was not found on server.rallydev.com: check issue_tracker_project');
  });

  test.each([
    ["the connector's own settings (Jira)", { connector: 1, project: 1, params: { issue_tracker_project: "Example Project" } }],
    [
      "a system without a connector",
      {
        system: { id: "jira" },
        params: {
          issue_tracker_server: "bugs.server.co",
          issue_tracker_user: "Sindy",
          issue_tracker_pass: "id",
          jira_version: "5",
          issue_tracker_project: "Project Name",
        },
      },
    ],
    ["the GitHub connector's token", { connector: 3, params: { issue_tracker_project: "example-repo" } }],
    ["the Rally connector's server", { connector: 2, params: { issue_tracker_project: "Rally Project" } }],
  ])("succeeds with %s", async (_name, body) => {
    const reply = await call(emulator.current, "POST", TEST_CONNECTION, { json: body });
    expect([reply.status, reply.body]).toEqual([200, { success: true }]);
  });

  test("settings problems are field errors, checked before any tracker", async () => {
    const missing = await call(emulator.current, "POST", TEST_CONNECTION, {
      json: { system: { id: "jira" }, params: { issue_tracker_project: "X" } },
    });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.params).sort()).toEqual([
      "issue_tracker_pass",
      "issue_tracker_server",
      "issue_tracker_user",
      "jira_version",
    ]);
    const unknown = await call(emulator.current, "POST", TEST_CONNECTION, { json: { ...example(), connector: 9, project: 8 } });
    expect(unknown.body).toEqual({
      connector: ['Invalid pk "9" - object does not exist.'],
      project: ['Invalid pk "8" - object does not exist.'],
    });
    const mismatch = await call(emulator.current, "POST", TEST_CONNECTION, { json: { ...example(), system: { id: "jira" } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.system.id[0]).toMatch(/does not match the connector's system "rally"/);
  });

  test("nothing is saved", async () => {
    const before = emulator.current.connections();
    await call(emulator.current, "POST", TEST_CONNECTION, { json: example() });
    expect(emulator.current.connections()).toEqual(before);
  });
});
