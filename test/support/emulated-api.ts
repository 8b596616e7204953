import { SdeClient } from "../../src/client";
import type { ClientOptionsInput } from "../../src/client/options";
import { DEFAULT_TOKEN, startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator";

/**
 * A fresh emulator (seeded as the API page's examples need) and a client pointed at it, for one test.
 * The environment is not consulted, so a developer's SDE_* variables cannot leak into tests.
 */
export interface EmulatedApi {
  emulator: Emulator;
  client: SdeClient;
  /** Another client on the same emulator, with other settings (a different token, small budgets...). */
  clientWith(options: Partial<ClientOptionsInput>): SdeClient;
  stop(): Promise<void>;
}

/** Retries that wait milliseconds, not seconds, so fault tests stay fast. */
export const FAST_RETRIES: Partial<ClientOptionsInput> = { retryBaseDelayMs: 5, retryMaxDelayMs: 20 };

export async function startEmulatedApi(
  options: Partial<ClientOptionsInput> = {},
  emulatorOptions: EmulatorOptions = {},
): Promise<EmulatedApi> {
  const emulator = await startEmulator(emulatorOptions);
  const clients: SdeClient[] = [];
  const clientWith = (more: Partial<ClientOptionsInput>) => {
    const client = new SdeClient({ url: emulator.url, token: DEFAULT_TOKEN, ...FAST_RETRIES, ...options, ...more }, {});
    clients.push(client);
    return client;
  };
  const client = clientWith({});
  return {
    emulator,
    client,
    clientWith,
    stop: async () => {
      // The emulator first: its sockets close, so a client waiting on an answer that never ends (a fault)
      // is released rather than waited for.
      await emulator.stop();
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

/** API calls the emulator saw, as `METHOD /path/` lines (control calls excluded). */
export function calls(emulator: Emulator): string[] {
  return emulator.requestLog.map((entry) => `${entry.method} ${entry.path}`);
}
