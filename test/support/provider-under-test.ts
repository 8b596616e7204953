import type { ClientOptionsInput } from "../../src/client/options";
import { clientSource } from "../../src/provider/client-source";
import { ConnectionProvider, type ProviderOptions } from "../../src/provider/connection-provider";
import type { EmulatorOptions } from "../../src/emulator";
import { startEmulatedApi, type EmulatedApi } from "./emulated-api";

/**
 * The provider in-process (as the host runs it, minus gRPC) against a fresh emulator: for unit-speed
 * tests of check, diff, create, read, update and delete, and for coverage (the host is a child process).
 */
export interface ProviderUnderTest {
  api: EmulatedApi;
  provider: ConnectionProvider;
  warnings: string[];
  /** Another provider instance (fresh caches) on the same emulator, with other client (or provider) settings. */
  providerWith(options: Partial<ClientOptionsInput>, providerOptions?: ProviderOptions): ConnectionProvider;
}

/** Lookups after an unknown outcome over a fraction of a second, not seconds, so fault tests stay fast. */
export const FAST_LOOKUPS: ProviderOptions = { lookupPausesMs: [20, 50, 100] };

export async function startProviderUnderTest(
  options: Partial<ClientOptionsInput> = {},
  emulatorOptions: EmulatorOptions = {},
): Promise<ProviderUnderTest> {
  const api = await startEmulatedApi(options, emulatorOptions);
  const warnings: string[] = [];
  const providerWith = (more: Partial<ClientOptionsInput>, providerOptions: ProviderOptions = FAST_LOOKUPS) => {
    const client = Object.keys(more).length === 0 ? api.client : api.clientWith(more);
    return new ConnectionProvider(
      clientSource(
        () => client,
        (m) => warnings.push(m),
      ),
      providerOptions,
    );
  };
  return { api, provider: providerWith({}), warnings, providerWith };
}
