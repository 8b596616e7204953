import { closestName, listed, unknownKeysMessage, unknownKeysOf, withSuggestion } from "../../src/schema/unknown-keys";

const ARGUMENTS = ["alias", "connector", "project", "frequency", "debugMode", "params", "testConnection", "adoptId"];

test.each([
  ["a letter left out", "frequncy", "frequency"],
  ["a letter doubled", "connnector", "connector"],
  ["two letters swapped", "alais", "alias"],
  ["snake case for camel case", "debug_mode", "debugMode"],
  ["another case", "TestConnection", "testConnection"],
  ["a plural dropped", "param", "params"],
  ["a suffix added", "projectId", "project"],
])("%s: %s is taken for %s", (_what, given, meant) => {
  expect(closestName(given, ARGUMENTS)).toBe(meant);
});

test.each([
  ["nothing alike", "name"],
  ["too short to guess", "x"],
  ["only separators", "__"],
  ["far off", "schedule"],
])("%s: no guess for %s", (_what, given) => {
  expect(closestName(given, ARGUMENTS)).toBeUndefined();
});

test("the closest of several near names wins", () => {
  expect(closestName("--secret-fil", ["--secret-env", "--secret-file", "--secret-stdin"])).toBe("--secret-file");
});

test("messages name every key, each with its suggestion, and what the map takes", () => {
  expect(unknownKeysMessage(["frequncy"], ARGUMENTS, { one: "argument", many: "arguments" }, "it takes alias...")).toBe(
    "unknown argument frequncy (did you mean frequency?): it takes alias...",
  );
  expect(unknownKeysMessage(["name", "debug_mode"], ARGUMENTS, { one: "argument", many: "arguments" }, "it takes alias...")).toBe(
    "unknown arguments name, debug_mode (did you mean debugMode?): it takes alias...",
  );
  expect(withSuggestion("tokn", ["token"], "--")).toBe("--tokn (did you mean --token?)");
  expect(listed(["a"])).toBe("a");
  expect(listed(["a", "b", "c"])).toBe("a, b and c");
  expect(unknownKeysOf({ alias: 1, alais: 2 }, ARGUMENTS)).toEqual(["alais"]);
  expect(unknownKeysOf("x", ARGUMENTS)).toEqual([]);
});
