import { createHmac, createSecretKey, type KeyObject } from "node:crypto";

/**
 * A key for keyed digests of tested settings, derived from the API token and the URL: the token is the
 * secret that makes the digests unguessable (settings hold passwords), the URL ties them to one server,
 * and `purpose` keeps the digests of one use from matching another's. A KeyObject, made once: a Buffer
 * would be imported again at every digest.
 */
export function tokenKey(token: string, url: string, purpose: string): KeyObject {
  return createSecretKey(createHmac("sha256", token).update(`${purpose}\n${url}`).digest());
}
