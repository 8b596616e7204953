import { sameParam } from "../model/diff";
import { inheritedConnectorParams } from "../schema/connector";
import { PLUGIN_DEFAULTS, SERVER_SET_PARAMS, type Params } from "../schema/params";
import { isSecretParamKey } from "../schema/secrets";

/**
 * Params the server reports that are no settings of the connection, so a program never manages them:
 * its own internal keys, the time of the last successful sync, the reference context it generates, and
 * the names of the project, application and business unit it copies in.
 */
export const SERVER_REPORTED_PARAMS: readonly string[] = [...SERVER_SET_PARAMS, "sde_project", "sde_application", "sde_businessunit"];

/** What a program must manage of a connection so that its settings stay exactly what they are. */
export interface MinimalParams {
  /** Settings that differ from what the connection would inherit, with the server's exact values; keys sorted. */
  params: Params;
  /** Credential params that differ from the connector's (their values stay out of every file); sorted. */
  credentialKeys: string[];
}

/**
 * The smallest set of params that reproduces a connection. The API answers with params merged from
 * SD Elements' defaults, the connector's, the project's names and the connection's own; the connection's
 * own values cannot be told apart from inherited ones, so every param equal to what the connection would
 * inherit anyway (the connector's, else the default) is left out: the connection then keeps following
 * its connector, as it does now. A credential equal to the connector's is inherited too.
 *
 * `connectorParams` is undefined when the connector could not be read: then nothing is known to be
 * inherited but the defaults, and more params are kept (still with their exact values: no change).
 */
export function minimalParams(serverParams: Readonly<Params>, connectorParams: Readonly<Params> | undefined): MinimalParams {
  const inherited: Params = { ...PLUGIN_DEFAULTS, ...(connectorParams ? inheritedConnectorParams(connectorParams) : {}) };
  const params: Params = {};
  const credentialKeys: string[] = [];
  for (const key of Object.keys(serverParams).sort()) {
    if (SERVER_REPORTED_PARAMS.includes(key)) continue;
    const value = serverParams[key] as Params[string];
    const base = inherited[key];
    // null is how a server reports "no value": nothing to manage when nothing is inherited either.
    if (value === null && (base === undefined || base === null)) continue;
    if (base !== undefined && sameParam(base, value)) continue;
    if (isSecretParamKey(key)) credentialKeys.push(key);
    else params[key] = asDeclared(key, value);
  }
  return { params, credentialKeys };
}

/**
 * A value as a program must declare it: the API may answer sde_min_priority as a numeric string ("5"),
 * which a program's arguments refuse (schema/declared-params.ts), so the export writes the number. The
 * same value to the API (diff's sameParam), so the adopting `up` still changes nothing.
 */
function asDeclared(key: string, value: Params[string]): Params[string] {
  return key === "sde_min_priority" && typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}
