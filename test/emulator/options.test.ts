import { DEFAULT_TOKEN, READ_ONLY_TOKEN, startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";

// startEmulator's options for the organisation's modes (the same as sde-emulator's flags): each one
// reachable without writing a seed, and a misspelt option refused instead of ignored.
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const send = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${emulator!.url}${path}`, {
    method,
    headers: { authorization: `Token ${token}`, "content-type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const create = (frequency: string, connector = 1) =>
  send("POST", "/api/v2/connections/issue-tracker/", DEFAULT_TOKEN, {
    alias: `A ${frequency}`,
    connector,
    project: 3,
    frequency,
    params: { issue_tracker_project: "Example Project" },
  });

test("advancedIssueTracker: false allows only manually", async () => {
  emulator = await startEmulator({ advancedIssueTracker: false });
  const daily = await create("daily");
  expect(daily.status).toBe(400);
  expect(await daily.json()).toEqual({ frequency: [expect.stringMatching(/advanced/i)] });
  expect((await create("manually")).status).toBe(201);
});

test("inaccessibleConnectors marks connectors remote: no manually connection on them", async () => {
  emulator = await startEmulator({ inaccessibleConnectors: [1, 3] });
  const connectors = (await (await send("GET", "/api/v2/connectors/issue-tracker/", DEFAULT_TOKEN)).json()) as {
    results: { id: number; inaccessible: boolean }[];
  };
  expect(connectors.results.map((c) => [c.id, c.inaccessible])).toEqual([
    [1, true],
    [2, false],
    [3, true],
  ]);
  expect((await create("manually")).status).toBe(400);
  expect((await create("daily")).status).toBe(201);
});

test("tokenReadOnly: the given token lacks the edit permission, like the seeded read-only one", async () => {
  emulator = await startEmulator({ token: "ci-read-only", tokenReadOnly: true });
  const one = (await (await send("GET", "/api/v2/connections/issue-tracker/1/", "ci-read-only")).json()) as Record<string, unknown>;
  expect(one).not.toHaveProperty("params");
  expect((await send("DELETE", "/api/v2/connections/issue-tracker/1/", "ci-read-only")).status).toBe(403);
  // The given token replaces the public admin token, which is refused; the seeded read-only one stays.
  expect((await send("GET", "/api/v2/connections/issue-tracker/1/", DEFAULT_TOKEN)).status).toBe(401);
  expect((await send("GET", "/api/v2/connections/issue-tracker/1/", READ_ONLY_TOKEN)).status).toBe(200);
});

test.each<[string, EmulatorOptions, RegExp]>([
  [
    "a misspelt option",
    { advancedIssueTraker: false } as never,
    /^unknown option advancedIssueTraker \(did you mean advancedIssueTracker\?\): startEmulator takes host, port, seed, dataFile, token, tokenReadOnly, controlToken, advancedIssueTracker, inaccessibleConnectors and maxBodyBytes$/,
  ],
  [
    "a connector that does not exist",
    { inaccessibleConnectors: [9] },
    /^inaccessibleConnectors \(--inaccessible-connector\): there is no connector 9: use one of 1, 2, 3$/,
  ],
  ["connector ids that are not ids", { inaccessibleConnectors: ["1"] as never }, /^inaccessibleConnectors must be a list of connector ids/],
  ["a mode given as a string", { advancedIssueTracker: "false" as never }, /^advancedIssueTracker must be true or false, not a string$/],
  [
    "a read-only token without a token",
    { tokenReadOnly: true },
    new RegExp(`^tokenReadOnly applies to the given token: give one in token \\(or use the seeded ${READ_ONLY_TOKEN}\\)$`),
  ],
  ["a port out of range", { port: 70000 }, /^port must be a whole number from 0 to 65535, not 70000$/],
  ["a port as a string", { port: "8080" as never }, /^port must be a whole number from 0 to 65535, not a string$/],
  ["no room for a body", { maxBodyBytes: 0 }, /^maxBodyBytes must be a positive whole number, not 0$/],
  [
    "a host that is not a string",
    { host: 127001 as never },
    /^host must be a local address or host name such as "127\.0\.0\.1", not a number$/,
  ],
  ["a token a header cannot carry", { token: "two words" }, /^token must be 1 to 512 characters of plain ASCII, without spaces$/],
  ["an empty data file path", { dataFile: "" }, /^dataFile must be the path of a file, not an empty string$/],
  ["options that are not an object", null as never, /^startEmulator takes an object of options, not null$/],
  [
    "several bad options, each named once",
    { port: -1, advancedIssueTracker: "no" as never, inaccessibleConnectors: [0, "2"] as never },
    /^port must be a whole number from 0 to 65535, not -1; advancedIssueTracker must be true or false, not a string; inaccessibleConnectors must be a list of connector ids \(positive whole numbers\)$/,
  ],
])("%s is refused at start", async (_what, options, expected) => {
  // One that starts after all is stopped again, so the failure is this test's and nothing keeps running.
  const refusal = await startEmulator(options).then(
    (started) => started.stop().then(() => new Error("started")),
    (error: Error) => error,
  );
  expect(refusal.message).toMatch(expected);
});

test("a misspelt seed field is named with the field it was meant to be", async () => {
  await expect(startEmulator({ seed: { settings: { advancedIssueTracke: false } } as never })).rejects.toThrow(
    "settings: unknown field advancedIssueTracke (did you mean advancedIssueTracker?): use advancedIssueTracker",
  );
  await expect(startEmulator({ seed: { connector: [] } as never })).rejects.toThrow(
    /\(body\): unknown field connector \(did you mean connectors\?\): use settings, tokens/,
  );
});
