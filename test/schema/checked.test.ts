// Checked values: made only by a parse with `checking(schema)`, recognised by that schema alone.
import { z } from "zod";
import { checking, isCheckedWith, type Checked } from "../../src/schema/checked";
import { connectionCreateSchema, connectionUpdateSchema } from "../../src/schema/connection";

const body = { alias: "Checked Jira", connector: 1, project: 1, params: { issue_tracker_project: "PAY", sde_min_priority: "8" } };

test("a parse through checking() returns the schema's own result, marked as checked with that schema", () => {
  const checked = checking(connectionCreateSchema).parse(body);
  expect(checked).toEqual(connectionCreateSchema.parse(body));
  expect(isCheckedWith(checked, connectionCreateSchema)).toBe(true);
});

test("the same issues and messages as the schema's own parse", () => {
  const bad = { ...body, alias: "", params: { sde_min_priority: 0 } };
  const own = connectionCreateSchema.safeParse(bad);
  const through = checking(connectionCreateSchema).safeParse(bad);
  expect(through.success).toBe(false);
  expect(through.error?.issues).toEqual(own.error?.issues);
});

test("a value of the same shape that no such parse returned is not checked", () => {
  const plain = connectionCreateSchema.parse(body);
  expect(isCheckedWith(plain, connectionCreateSchema)).toBe(false);
  expect(isCheckedWith({ ...checking(connectionCreateSchema).parse(body) }, connectionCreateSchema)).toBe(false); // a copy
  for (const value of [undefined, null, "text", 7]) expect(isCheckedWith(value, connectionCreateSchema)).toBe(false);
});

test("checked with one schema is not checked with another", () => {
  const checked = checking(connectionUpdateSchema).parse({ alias: "Checked Jira" });
  expect(isCheckedWith(checked, connectionUpdateSchema)).toBe(true);
  expect(isCheckedWith(checked, connectionCreateSchema)).toBe(false);
  const lax = checking(z.looseObject({ alias: z.string() })).parse(body);
  expect(isCheckedWith(lax, connectionCreateSchema)).toBe(false);
});

test("the compiler tells a checked value from a plain one", () => {
  const plain = connectionCreateSchema.parse(body);
  // @ts-expect-error a plain object is not Checked: only a parse through checking() makes one
  const forged: Checked<typeof connectionCreateSchema> = plain;
  // @ts-expect-error checked with the update schema is not checked with the create schema
  const other: Checked<typeof connectionCreateSchema> = checking(connectionUpdateSchema).parse({ alias: "x" });
  const made: Checked<typeof connectionCreateSchema> = checking(connectionCreateSchema).parse(body);
  expect([forged, other, made]).toHaveLength(3);
});
