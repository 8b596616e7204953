import type { SdeClient } from "../client/client";
import type { ClientSource } from "./connection-provider";

/**
 * A ClientSource around one client: connectors' systems are looked up once each (many connections share
 * a connector), and a failed lookup is forgotten so the next resource asks again.
 */
export function clientSource(client: () => SdeClient, warn: (message: string) => void): ClientSource {
  const systems = new Map<number, Promise<string>>();
  return {
    client,
    warn,
    systemOf(connector) {
      let system = systems.get(connector);
      if (!system) {
        system = client()
          .connectors.get(connector)
          .then((c) => c.system.id);
        system.catch(() => systems.delete(connector));
        systems.set(connector, system);
      }
      return system;
    },
  };
}
