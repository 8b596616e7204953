import type { CheckedConnectionCreate, CheckedConnectionTest, CheckedConnectionUpdate } from "../../src/client/endpoints/connections";
import { checking } from "../../src/schema/checked";
import { connectionCreateSchema, connectionTestSchema, connectionUpdateSchema } from "../../src/schema/connection";
import { calls, startEmulatedApi, type EmulatedApi } from "../support/emulated-api";

// Bodies parsed with the endpoint's own schema are sent as they are (one parse, not two); any other body,
// one merely cast to the checked type included, is checked before it is sent.
let api: EmulatedApi;
beforeAll(async () => {
  api = await startEmulatedApi();
});
afterAll(() => api.stop());
beforeEach(() => api.emulator.clearRequestLog());

const body = { alias: "Checked body", connector: 1, project: 1, params: { issue_tracker_project: "Example Project" } };

/** `value`, changed after its parse as only a test would: what a client that parsed it again would refuse. */
const spoilt = <T extends object>(value: T, change: object): T => Object.assign(value, change);

test.each([
  [
    "create",
    () => api.client.connections.create(spoilt(checking(connectionCreateSchema).parse(body), { alias: "" })),
    "POST /api/v2/connections/issue-tracker/",
  ],
  [
    "update",
    () => api.client.connections.update(1, spoilt(checking(connectionUpdateSchema).parse({ alias: "Checked update" }), { alias: "" })),
    "PATCH /api/v2/connections/issue-tracker/1/",
  ],
  [
    "test",
    () =>
      api.client.connections.test(
        spoilt(checking(connectionTestSchema).parse({ connector: 1, project: 1, params: body.params }), { params: 5 }),
      ),
    "POST /api/v2/connections/test-issue-tracker/",
  ],
] as const)(
  "%s: a checked body is sent as its parse returned it, not parsed again (the server judges it)",
  async (_method, send, request) => {
    // A second parse would refuse it before sending (kind invalid_input, no request).
    const outcome = await send().catch((e) => e);
    expect(outcome).not.toMatchObject({ kind: "invalid_input" });
    expect(calls(api.emulator)).toEqual([request]);
  },
);

test.each([
  ["create", () => api.client.connections.create({ ...body, alias: "" } as unknown as CheckedConnectionCreate)],
  ["update", () => api.client.connections.update(1, { alias: "" } as unknown as CheckedConnectionUpdate)],
  ["test", () => api.client.connections.test({ params: 5 } as unknown as CheckedConnectionTest)],
] as const)("%s: a plain body cast to the checked type is checked, and refused before sending", async (_method, send) => {
  await expect(send()).rejects.toMatchObject({ kind: "invalid_input" });
  expect(calls(api.emulator)).toEqual([]);
});
