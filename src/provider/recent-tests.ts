import { hash } from "node:crypto";
import { testedSettingsText, type ConnectionInputs } from "../model/inputs";

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
