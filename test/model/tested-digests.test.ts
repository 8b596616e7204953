import { testedDigestsSchema } from "../../src/model/tested-digests";

// A ConnectionTests state is read leniently: the digests that are strings are kept, anything else is lost
// (those connections are then tested again), and no shape of an older or edited state throws.
test.each([
  [{}, []],
  [{ __provider: "serialized" }, []],
  [{ tested: null }, []],
  [{ tested: "abc" }, []],
  [{ tested: { a: "b" } }, []],
  [{ tested: ["a", 1, null, "b", { c: 1 }] }, ["a", "b"]],
  [{ tested: ["x", "y"], other: 1 }, ["x", "y"]],
])("%j keeps %j", (stored, kept) => {
  expect(testedDigestsSchema.parse(stored).tested).toEqual(kept);
});
