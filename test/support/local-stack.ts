import { resolve } from "node:path";
import { startEmulator, type Emulator } from "../../src/emulator";
import { LocalEngine, type LocalEngineOptions } from "../../src/engine";
import { canarySeed, SECRETS } from "./seeds";

/**
 * A stack run by the local engine through Pulumi's real dynamic-provider host, against a fresh emulator
 * seeded with the canary secrets. The SD Elements token reaches the provider only as a secret stack config
 * value, as `pulumi config set --secret sdelements:apiToken` would give it.
 */
export interface LocalStack {
  emulator: Emulator;
  engine: LocalEngine;
  /** Everything the provider host printed. */
  hostLog: string[];
  stop(): Promise<void>;
}

export const PROJECT_ROOT = resolve(__dirname, "..", "..");

export async function startLocalStack(program: LocalEngineOptions["program"], more: Partial<LocalEngineOptions> = {}): Promise<LocalStack> {
  const emulator = await startEmulator({ seed: canarySeed() });
  const hostLog: string[] = [];
  const engine = new LocalEngine(localStackOptions(emulator, program, { onHostLog: (line) => hostLog.push(line), ...more }));
  return {
    emulator,
    engine,
    hostLog,
    stop: async () => {
      await engine.close();
      await emulator.stop();
    },
  };
}

/** The options of a local stack's engine on `emulator` (another engine on the same stack: the next run). */
export function localStackOptions(
  emulator: Emulator,
  program: LocalEngineOptions["program"],
  more: Partial<LocalEngineOptions> = {},
): LocalEngineOptions {
  const { config, secretKeys, ...rest } = more;
  return {
    program,
    project: "lifecycle",
    hostCwd: PROJECT_ROOT,
    config: {
      "sdelements:url": emulator.url,
      "sdelements:apiToken": SECRETS.sdeToken,
      "lifecycle:jiraPassword": SECRETS.password,
      ...config,
    },
    secretKeys: ["sdelements:apiToken", "lifecycle:jiraPassword", ...(secretKeys ?? [])],
    ...rest,
  };
}
