import { createHash, timingSafeEqual } from "node:crypto";
import { EDIT_CONNECTIONS_PERMISSION, type TokenRecord } from "./seed-schema";

/** Who a request acts as. */
export interface Principal {
  user: number;
  /** The 'Edit Issue Tracker connections' permission: shows `params` and allows every write. */
  canEditConnections: boolean;
}

/** An `Authorization` header read the way DRF's TokenAuthentication reads it. */
export type TokenHeader = { kind: "none" } | { kind: "malformed"; message: string } | { kind: "token"; token: string };

/**
 * Parses `Authorization: Token <t>`. The keyword is case-insensitive (clients send `token` too). The API
 * page writes `Token "YOUR SDE ACCESS TOKEN"`, so a token in double or single quotes is accepted as well.
 * Any other scheme counts as no credentials, as DRF does when no authenticator claims the header.
 */
export function parseTokenHeader(header: string | undefined): TokenHeader {
  const match = /^\s*(\S+)(?:\s+(.*?))?\s*$/s.exec(header ?? "");
  if (!match || match[1]!.toLowerCase() !== "token") return { kind: "none" };
  let credentials = match[2] ?? "";
  const quoted = /^(["'])(.*)\1$/s.exec(credentials);
  if (quoted) credentials = quoted[2]!;
  if (credentials === "") return { kind: "malformed", message: "Invalid token header. No credentials provided." };
  if (/\s/.test(credentials)) {
    return { kind: "malformed", message: "Invalid token header. Token string should not contain spaces." };
  }
  return { kind: "token", token: credentials };
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; message: string };

export const INVALID_TOKEN = "Invalid token.";
/**
 * A request with no token gets the same answer as a wrong one, as the project's specification of the
 * emulator asks ("a wrong or missing token gets 401 Invalid token."). Stock DRF would say "Authentication
 * credentials were not provided."; the real server's wording is not public.
 */
export const NOT_AUTHENTICATED = INVALID_TOKEN;
export const PERMISSION_DENIED = "You do not have permission to perform this action.";
/** DRF sends this with every 401 from token authentication. */
export const AUTHENTICATE_HEADER = { "www-authenticate": "Token" } as const;

/** Authenticates a request against the known tokens. Tokens never appear in results or messages. */
export function authenticate(header: string | undefined, tokens: readonly TokenRecord[]): AuthResult {
  const parsed = parseTokenHeader(header);
  if (parsed.kind === "none") return { ok: false, message: NOT_AUTHENTICATED };
  if (parsed.kind === "malformed") return { ok: false, message: parsed.message };
  // Every token is compared, so the time taken says nothing about which one nearly matched.
  let found: TokenRecord | undefined;
  for (const record of tokens) {
    if (sameSecret(record.token, parsed.token) && !found) found = record;
  }
  if (!found) return { ok: false, message: INVALID_TOKEN };
  return {
    ok: true,
    principal: { user: found.user, canEditConnections: found.permissions.includes(EDIT_CONNECTIONS_PERMISSION) },
  };
}
