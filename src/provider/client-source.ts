import type { SdeClient } from "../client/client";
import type { Connector } from "../schema/connector";
import type { ClientSource } from "./connection-provider";

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
