// clientOptionsFromConfig: stack config (sdelements:*) to client options, with unit conversion and config errors.
import { SdeClient } from "../../src/client";
import { SdeApiError, SdeConfigError } from "../../src/client/errors";
import { CONFIG_KEYS, clientOptionsFromConfig, type ConfigSource } from "../../src/provider/settings";

const config = (values: Record<string, string>): ConfigSource => ({ get: (key) => values[key] });

const ALL_UNSET = {
  url: undefined,
  token: undefined,
  timeoutMs: undefined,
  maxAttempts: undefined,
  retryTimeoutMs: undefined,
  caFile: undefined,
  insecureSkipVerify: undefined,
  maxConcurrentRequests: undefined,
  adaptiveThrottling: undefined,
};

test("the config keys live in the sdelements namespace", () => {
  expect(Object.values(CONFIG_KEYS).every((key) => key.startsWith("sdelements:"))).toBe(true);
});

test.each([
  ["no config source", undefined],
  ["an empty config", config({})],
])("%s leaves every option unset", (_name, source) => {
  expect(clientOptionsFromConfig(source)).toEqual(ALL_UNSET);
});

test("empty strings count as unset, so they are not validated", () => {
  const empty = Object.fromEntries(Object.values(CONFIG_KEYS).map((key) => [key, ""]));
  expect(clientOptionsFromConfig(config(empty))).toEqual(ALL_UNSET);
});

test("reads every setting, seconds turned into milliseconds", () => {
  expect(
    clientOptionsFromConfig(
      config({
        "sdelements:url": "https://sde.example.com",
        "sdelements:apiToken": "abc123",
        "sdelements:timeout": "12.5",
        "sdelements:maxAttempts": "3",
        "sdelements:retryTimeout": "90",
        "sdelements:caFile": "/etc/ssl/sde-ca.pem",
        "sdelements:insecureSkipVerify": "true",
        "sdelements:maxConcurrentRequests": "16",
        "sdelements:adaptiveThrottling": "false",
      }),
    ),
  ).toEqual({
    url: "https://sde.example.com",
    token: "abc123",
    timeoutMs: 12_500,
    maxAttempts: 3,
    retryTimeoutMs: 90_000,
    caFile: "/etc/ssl/sde-ca.pem",
    insecureSkipVerify: true,
    maxConcurrentRequests: 16,
    adaptiveThrottling: false,
  });
});

test.each([
  ["sdelements:timeout", "0.25", "timeoutMs", 250],
  ["sdelements:retryTimeout", "1.0004", "retryTimeoutMs", 1000],
  ["sdelements:maxAttempts", " 4 ", "maxAttempts", 4],
  ["sdelements:insecureSkipVerify", "false", "insecureSkipVerify", false],
  ["sdelements:maxConcurrentRequests", " 3 ", "maxConcurrentRequests", 3],
  ["sdelements:adaptiveThrottling", "true", "adaptiveThrottling", true],
] as const)("%s %j gives %s %j", (key, value, option, expected) => {
  expect(clientOptionsFromConfig(config({ [key]: value }))[option]).toBe(expected);
});

test.each([
  ["sdelements:timeout", "soon"],
  ["sdelements:timeout", "0"],
  ["sdelements:timeout", "-5"],
  ["sdelements:timeout", "Infinity"],
  ["sdelements:retryTimeout", "1m"],
  ["sdelements:maxAttempts", "2.5"],
  ["sdelements:maxAttempts", "-1"],
  ["sdelements:maxAttempts", "three"],
  ["sdelements:insecureSkipVerify", "yes"],
  ["sdelements:insecureSkipVerify", "TRUE"],
  ["sdelements:insecureSkipVerify", "1"],
  ["sdelements:maxConcurrentRequests", "eight"],
  ["sdelements:maxConcurrentRequests", "4.5"],
  ["sdelements:maxConcurrentRequests", "-2"],
  ["sdelements:adaptiveThrottling", "off"],
  ["sdelements:adaptiveThrottling", "False"],
])("%s = %j is a config error naming the key", (key, value) => {
  let caught: unknown;
  try {
    clientOptionsFromConfig(config({ [key]: value }));
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SdeConfigError);
  expect((caught as SdeApiError).kind).toBe("config");
  expect((caught as SdeApiError).message).toContain(key);
  expect((caught as SdeApiError).message).toContain(JSON.stringify(value));
});

test.each([
  "sdelements:timeout",
  "sdelements:retryTimeout",
  "sdelements:maxAttempts",
  "sdelements:insecureSkipVerify",
  "sdelements:maxConcurrentRequests",
  "sdelements:adaptiveThrottling",
])("the token pasted into %s by mistake is not quoted in the error (from the config or SDE_API_TOKEN)", (key) => {
  const token = ' "Pasted-Token-9d41" ';
  for (const [values, env] of [
    [{ "sdelements:apiToken": token, [key]: token }, {}],
    [{ [key]: token.trim() }, { SDE_API_TOKEN: token }],
  ] as const) {
    let caught: unknown;
    try {
      clientOptionsFromConfig(config(values), env);
    } catch (error) {
      caught = error;
    }
    expect((caught as SdeApiError).message).toMatch(new RegExp(`^${key} must be .*, not .*\\[redacted\\]`));
    expect((caught as SdeApiError).message).not.toContain("Pasted-Token");
  }
});

const messageOf = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(SdeConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a config error");
};

// Each key has the client's rule: refused here, under the key, with the client's range, rather than later
// by the client in its own units (a timeout of 601 s once came back as "timeoutMs: ... <=600000").
test.each([
  ["sdelements:timeout", "600.001", "must be a number of seconds from 0.001 to 600"],
  ["sdelements:timeout", "0.0004", "must be a number of seconds from 0.001 to 600"],
  ["sdelements:retryTimeout", "3601", "must be a number of seconds from 0.001 to 3600"],
  ["sdelements:maxAttempts", "21", "must be a whole number from 1 to 20"],
  ["sdelements:maxAttempts", "0", "must be a whole number from 1 to 20"],
  ["sdelements:maxConcurrentRequests", "0", "must be a whole number from 1 to 256"],
  ["sdelements:maxConcurrentRequests", "257", "must be a whole number from 1 to 256"],
  ["sdelements:adaptiveThrottling", "no", "must be true or false"],
])("%s = %j is refused under its key, with the client's range", (key, value, rule) => {
  expect(messageOf(() => clientOptionsFromConfig(config({ [key]: value }), {}))).toBe(`${key} ${rule}, not ${JSON.stringify(value)}`);
});

test("the stack config and the client options share each rule: the same bounds, the same words", async () => {
  const client = (options: Record<string, unknown>) => new SdeClient({ url: "https://sde.example.com", token: "t", ...options }, {});
  const fromConfig = (values: Record<string, string>) => clientOptionsFromConfig(config(values), {});
  // The bounds pass both ways.
  expect(fromConfig({ "sdelements:timeout": "600", "sdelements:retryTimeout": "3600", "sdelements:maxAttempts": "20" })).toMatchObject({
    timeoutMs: 600_000,
    retryTimeoutMs: 3_600_000,
    maxAttempts: 20,
  });
  await client({ timeoutMs: 600_000, retryTimeoutMs: 3_600_000, maxAttempts: 20 }).close();
  // One past them fails both ways, in the same words where the units are the same.
  expect(messageOf(() => fromConfig({ "sdelements:maxAttempts": "21" }))).toContain("must be a whole number from 1 to 20");
  expect(messageOf(() => client({ maxAttempts: 21 }))).toContain("maxAttempts: must be a whole number from 1 to 20");
  expect(messageOf(() => fromConfig({ "sdelements:insecureSkipVerify": "yes" }))).toContain("must be true or false");
  expect(messageOf(() => client({ insecureSkipVerify: "yes" }))).toContain("insecureSkipVerify: must be true or false");
  expect(messageOf(() => fromConfig({ "sdelements:timeout": "600.001" }))).toContain("from 0.001 to 600");
  expect(messageOf(() => client({ timeoutMs: 600_001 }))).toContain("timeoutMs: must be a whole number of milliseconds from 1 to 600000");
});

test("every bad key is named at once", () => {
  expect(messageOf(() => clientOptionsFromConfig(config({ "sdelements:maxAttempts": "many", "sdelements:debug": "yes" }), {}))).toBe(
    'sdelements:maxAttempts must be a whole number from 1 to 20, not "many"; sdelements:debug must be true or false, not "yes"',
  );
});

test.each([
  ["sdelements:debug true", { "sdelements:debug": "true" }, {}, true],
  ["SDE_DEBUG=1", {}, { SDE_DEBUG: "1" }, true],
  ["sdelements:debug false over SDE_DEBUG=1", { "sdelements:debug": "false" }, { SDE_DEBUG: "1" }, false],
  ["neither", {}, {}, false],
] as const)("%s decides whether requests are logged", (_what, values, env, logged) => {
  expect(clientOptionsFromConfig(config(values), env).logger !== undefined).toBe(logged);
});
