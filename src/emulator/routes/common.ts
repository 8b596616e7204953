import type { z } from "zod";
import { toFieldErrors, type FieldErrors, type ParamProblem } from "../../schema";
import { badRequest, HttpError, type ApiResponse } from "../http";

/** DRF's PrimaryKeyRelatedField message for an id that names nothing. */
export function invalidPk(value: number): string {
  return `Invalid pk "${value}" - object does not exist.`;
}

/** A zod failure as DRF's 400 field-error body. */
export function validationFailed(error: z.ZodError): ApiResponse {
  return badRequest(toFieldErrors(error));
}

/**
 * An id filter such as `?project=2`. Absent or empty means no filter (django-filter ignores empty values);
 * an id of nothing simply matches nothing. A value that is not a whole number is 400 with Django's
 * IntegerField message.
 */
export function idFilter(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new HttpError(badRequest({ [name]: ["Enter a whole number."] }));
  return Number(value);
}

/** Whether `?include=a,b` names `field`. */
export function includes(query: URLSearchParams, field: string): boolean {
  return query
    .getAll("include")
    .flatMap((v) => v.split(","))
    .some((v) => v.trim() === field);
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** `checkMergedParams` problems as DRF's nested field errors: `{"params": {"<key>": ["<message>"]}}`. */
export function paramProblemsFailed(problems: readonly ParamProblem[]): ApiResponse {
  const params: Record<string, string[]> = {};
  for (const { key, message } of problems) (params[key] ??= []).push(message);
  return badRequest({ params });
}
