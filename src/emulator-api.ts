/**
 * `pulumi-sdelements/emulator`: a local SD Elements API for tests and offline runs (src/emulator/). An
 * entry point of its own, so that a program importing the package's main entry never loads the emulator.
 */
import "./supported-node";
export {
  startEmulator,
  DEFAULT_SEED,
  DEFAULT_TOKEN,
  READ_ONLY_TOKEN,
  type Emulator,
  type EmulatorOptions,
  type SeedData,
} from "./emulator";
