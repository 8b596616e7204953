import { hash } from "node:crypto";
import type { ConnectionInputs } from "../model/inputs";

/**
 * When the preview's connection test need not run again: the settings it depends on are the stored ones
 * (an unchanged connection), or they passed it a moment ago in this process (check runs in the preview and
 * again in the update of one `pulumi up`).
 */

/**
 * The inputs the connection test depends on: a change to any of them re-runs the test in preview (with
 * `adoptId`, the test starts from that connection's own params).
 */
type TestedSettings = Partial<Record<"connector" | "project" | "params" | "adoptId", unknown>>;

/**
 * Whether two sets of inputs agree on everything the connection test depends on. Checked inputs hold
 * plain scalars in params, so a key-by-key comparison is exact (and far cheaper than serialising both).
 */
export function sameTestedSettings(a: TestedSettings, b: TestedSettings): boolean {
  if (a.connector !== b.connector || a.project !== b.project || a.adoptId !== b.adoptId) return false;
  const left = (a.params ?? {}) as Record<string, unknown>;
  const right = (b.params ?? {}) as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && left[key] === right[key]);
}

/** The settings the connection test depends on as one text, param keys sorted: equal settings, equal text. */
export function testedSettingsText(inputs: TestedSettings): string {
  const params = (inputs.params ?? {}) as Record<string, unknown>;
  const sorted = Object.keys(params)
    .sort()
    .map((key) => [key, params[key]]);
  return JSON.stringify([inputs.connector, inputs.project, sorted, inputs.adoptId ?? null]);
}

/**
 * Keys seen recently, forgotten after `ttlMs`. Holds hashes only, so remembering which settings passed
 * the connection test keeps no credential in memory longer than the request did.
 */
export class RecentSet {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  has(key: string): boolean {
    const until = this.seen.get(key);
    if (until === undefined) return false;
    if (until < Date.now()) {
      this.seen.delete(key);
      return false;
    }
    return true;
  }

  remember(key: string): void {
    this.seen.set(key, Date.now() + this.ttlMs);
  }
}

/** A digest of what a connection test depends on. */
export function testKey(inputs: ConnectionInputs): string {
  return hash("sha256", testedSettingsText(inputs), "hex");
}
