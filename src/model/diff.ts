import type { ParamValue } from "../schema/params";
import { isSecretParamKey } from "../schema/secrets";
import { PROVIDER_OWN_FIELDS, SCALAR_FIELDS } from "./fields";
import type { ConnectionInputs } from "./inputs";
import { currentParam, type ConnectionState } from "./state";
import type { PropertyChange } from "./property-change";
import { containsUnknown } from "./unknowns";

/** What a program declares, as diff gets it: any argument may be missing, or a preview unknown. */
export type DeclaredInputs = { readonly [K in keyof ConnectionInputs]?: unknown };

/**
 * The per-property difference between what is stored (the last known outputs) and what the program
 * declares, comparing only what the program manages: params the server filled in never differ, a param the
 * program stopped setting does. No API call. Inputs may hold preview unknowns.
 */
export function diffConnection(olds: ConnectionState, news: DeclaredInputs): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const field of SCALAR_FIELDS) {
    const value = news[field.program];
    if (value === undefined) continue; // check fills every default, so only an unchecked bag lacks one
    if (containsUnknown(value) || value !== olds[field.stored]) {
      changes.push({ property: field.program, kind: "update", secret: false, unknown: containsUnknown(value) });
    }
  }
  const newParams = (news.params ?? {}) as Record<string, ParamValue>;
  if (containsUnknown(news.params) && typeof news.params !== "object") {
    changes.push({ property: "params", kind: "update", secret: false, unknown: true });
    return changes;
  }
  // The declared keys and the managed ones the program dropped, in a stable order for messages.
  const keys = Object.keys(newParams);
  for (const key of olds.managedParams) if (!Object.hasOwn(newParams, key) && !keys.includes(key)) keys.push(key);
  keys.sort();
  const paramChange = (key: string, kind: PropertyChange["kind"], unknown: boolean) =>
    changes.push({ property: `params.${key}`, kind, secret: isSecretParamKey(key), unknown });
  for (const key of keys) {
    if (!Object.hasOwn(newParams, key)) {
      paramChange(key, "delete", false);
      continue;
    }
    const next = newParams[key];
    const managed = olds.managedParams.includes(key);
    if (containsUnknown(next)) paramChange(key, managed ? "update" : "add", true);
    else if (!managed || !sameParam(currentParam(olds, key), next)) paramChange(key, managed ? "update" : "add", false);
  }
  return changes;
}

/**
 * Whether the provider's own arguments (testConnection, adoptId) differ from the stored ones: they change
 * no API object, but the stored outputs must follow them.
 */
export function providerOwnChanged(olds: ConnectionState, news: DeclaredInputs): boolean {
  return PROVIDER_OWN_FIELDS.some((field) => news[field.program] !== olds[field.stored]);
}

/**
 * Whether a stored param equals the program's value. The API answers sde_min_priority with an integer
 * whether it was given "7" or 7; a program's must be a number (declared-params.ts), and this tolerates
 * state written by versions that took "7", and a server that answers with a string.
 */
export function sameParam(stored: ParamValue | undefined, declared: ParamValue | undefined): boolean {
  if (stored === declared) return true;
  if (typeof stored === "number" && typeof declared === "string") return String(stored) === declared.trim();
  if (typeof stored === "string" && typeof declared === "number") return stored.trim() === String(declared);
  return false;
}

/** A one-line, secret-free description of changes, e.g. `alias, params.issue_tracker_pass [secret]`. */
export function describeChanges(changes: readonly PropertyChange[]): string {
  return changes
    .map((c) => `${c.property}${c.kind === "update" ? "" : ` (${c.kind === "add" ? "added" : "removed"})`}${c.secret ? " [secret]" : ""}`)
    .join(", ");
}
