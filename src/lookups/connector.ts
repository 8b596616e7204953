import type { SdeClient } from "../client/client";
import type { ConnectorLookup } from "./arguments";
import type { Connector } from "../schema/connector";
import { candidateNames, describedList, offeredList } from "./candidates";
import { SdeLookupError } from "./errors";

/** The connector a lookup found: id, name and system, never its params. */
export interface ConnectorMatch {
  id: number;
  name: string;
  system: { id: string; name: string };
}

/**
 * The one connector with this name and/or of this system. The connectors list filters by system (the
 * connectors page documents `?system=`); it has no name filter, so names are matched on the list here.
 */
export async function findConnector(client: SdeClient, lookup: ConnectorLookup): Promise<ConnectorMatch> {
  const listed = (await client.connectors.list({ system: lookup.system })).map(toMatch);
  const matches = lookup.name === undefined ? listed : listed.filter((c) => c.name === lookup.name);
  if (matches.length === 1) return matches[0]!;

  const what = [
    lookup.name === undefined ? undefined : `named ${JSON.stringify(lookup.name)}`,
    lookup.system === undefined ? undefined : `of system ${JSON.stringify(lookup.system)}`,
  ]
    .filter(Boolean)
    .join(" ");
  if (matches.length > 1) {
    const differ = (value: (m: ConnectorMatch) => string) => new Set(matches.map(value)).size > 1;
    const chooser =
      lookup.system === undefined && differ((m) => m.system.id)
        ? "Pass system (its id) to choose one."
        : lookup.name === undefined && differ((m) => m.name)
          ? "Pass name to choose one."
          : "They cannot be told apart by name and system: give the connector's id instead.";
    throw new SdeLookupError(
      `${matches.length} connectors are ${what}: ${describedList(matches.map(describe))}. ${chooser}`,
      "ambiguous",
      matches.map((m) => m.name),
    );
  }
  // Nothing of that system at all (or an unknown system id): offer every connector, with its system.
  const pool = listed.length > 0 || lookup.system === undefined ? listed : (await client.connectors.list()).map(toMatch);
  const names = candidateNames(
    pool.map((c) => c.name),
    lookup.name,
  );
  const offered = names.flatMap((n) => pool.filter((c) => c.name === n).map((c) => `${JSON.stringify(c.name)} (${c.system.id})`));
  const scope = listed.length > 0 && lookup.system !== undefined ? ` of system ${JSON.stringify(lookup.system)}` : "";
  throw new SdeLookupError(
    `no connector ${what} (names match exactly, case included); connectors${scope}: ${offered.length ? offeredList(offered) : "none"}`,
    "not_found",
    names,
  );
}

function toMatch(c: Connector): ConnectorMatch {
  return { id: c.id, name: c.name, system: { id: c.system.id, name: c.system.name } };
}

function describe(m: ConnectorMatch): string {
  return `id ${m.id} ${JSON.stringify(m.name)} (${m.system.id})`;
}
