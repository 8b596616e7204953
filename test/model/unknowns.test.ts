// The preview-unknown placeholder: UNKNOWN matches the SDK's, containsUnknown and withoutUnknowns.
import * as pulumi from "@pulumi/pulumi";
import { containsUnknown, UNKNOWN, withoutUnknowns } from "../../src/model/unknowns";

test("UNKNOWN is the SDK's pulumi.runtime.unknownValue", () => {
  expect(UNKNOWN).toBe(pulumi.runtime.unknownValue);
});

describe("containsUnknown", () => {
  test.each([
    ["the placeholder itself", UNKNOWN],
    ["an object value", { a: 1, b: UNKNOWN }],
    ["a nested object value", { params: { deep: { x: UNKNOWN } } }],
    ["an array item", [1, UNKNOWN]],
    ["an object inside an array", [{ a: [{ b: UNKNOWN }] }]],
  ])("finds it as %s", (_where, value) => {
    expect(containsUnknown(value)).toBe(true);
  });

  test.each([
    ["a plain string", "abc"],
    ["a string containing it", `prefix-${UNKNOWN}`],
    ["null", null],
    ["undefined", undefined],
    ["a number", 7],
    ["a known object", { a: 1, b: { c: [true, "x", null] } }],
    ["an object keyed by it", { [UNKNOWN]: 1 }],
    ["an empty array", []],
  ])("finds none in %s", (_where, value) => {
    expect(containsUnknown(value)).toBe(false);
  });
});

describe("withoutUnknowns", () => {
  test("leaves known values as they are, with no paths", () => {
    const value = { alias: "a", connector: 1, params: { issue_tracker_project: "PAY", start_fresh: false, x: null }, list: [1, "two"] };
    expect(withoutUnknowns(value)).toEqual({ known: value, unknownPaths: [] });
  });

  test.each([
    ["a string", "abc"],
    ["a number", 3],
    ["null", null],
    ["undefined", undefined],
  ])("returns %s unchanged", (_name, value) => {
    expect(withoutUnknowns(value)).toEqual({ known: value, unknownPaths: [] });
  });

  test("a wholly unknown value is undefined at the root path", () => {
    expect(withoutUnknowns(UNKNOWN)).toEqual({ known: undefined, unknownPaths: [""] });
    expect(withoutUnknowns(UNKNOWN, "params")).toEqual({ known: undefined, unknownPaths: ["params"] });
  });

  test("drops unknown object keys and reports their dotted paths", () => {
    const result = withoutUnknowns({
      alias: UNKNOWN,
      connector: 1,
      params: { issue_tracker_project: "PAY", issue_tracker_pass: UNKNOWN, nested: { inner: UNKNOWN, kept: true } },
    });
    expect(result.known).toEqual({ connector: 1, params: { issue_tracker_project: "PAY", nested: { kept: true } } });
    expect(result.known).not.toHaveProperty("alias");
    expect(result.unknownPaths).toEqual(["alias", "params.issue_tracker_pass", "params.nested.inner"]);
  });

  test("keeps unknown array items as undefined, at their index", () => {
    const result = withoutUnknowns({ tags: ["a", UNKNOWN, "c"], rows: [{ id: 1, name: UNKNOWN }, UNKNOWN] });
    expect(result.known).toEqual({ tags: ["a", undefined, "c"], rows: [{ id: 1 }, undefined] });
    expect((result.known as { tags: unknown[] }).tags).toHaveLength(3);
    expect(result.unknownPaths).toEqual(["tags.1", "rows.0.name", "rows.1"]);
  });

  test("a top-level array uses bare indexes; a base path prefixes every path", () => {
    expect(withoutUnknowns([UNKNOWN, { a: UNKNOWN }]).unknownPaths).toEqual(["0", "1.a"]);
    expect(withoutUnknowns({ a: UNKNOWN, b: [UNKNOWN] }, "root").unknownPaths).toEqual(["root.a", "root.b.0"]);
  });

  test("does not modify its input", () => {
    const input = { params: { issue_tracker_pass: UNKNOWN, other: "x" }, list: [UNKNOWN] };
    const copy = structuredClone(input);
    withoutUnknowns(input);
    expect(input).toEqual(copy);
  });
});
