import type { SdeClient } from "../client/client";
import type { Connector } from "../schema/connector";

/** Where the provider gets its API client: the host's configured one, or a test's. */
export interface ClientSource {
  client(): SdeClient;
  /** A connector (its system and its params), looked up once per connector. */
  connectorOf(connector: number): Promise<Connector>;
  /** Where warnings go (the engine shows the host's stderr as diagnostics). */
  warn(message: string): void;
}

/**
 * A ClientSource around one client: each connector is looked up once (many connections share one), and a
 * failed lookup is forgotten so the next resource asks again.
 */
export function clientSource(client: () => SdeClient, warn: (message: string) => void): ClientSource {
  const connectors = new Map<number, Promise<Connector>>();
  return {
    client,
    warn,
    connectorOf(id) {
      let connector = connectors.get(id);
      if (!connector) {
        connector = client().connectors.get(id);
        connector.catch(() => connectors.delete(id));
        connectors.set(id, connector);
      }
      return connector;
    },
  };
}
