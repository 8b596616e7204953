import { z } from "zod";
import { listed, strictKeysError } from "../schema/unknown-keys";
import { describeKind } from "../schema/validation";
import { READ_ONLY_TOKEN } from "./seed";
import { headerTokenSchema, type SeedData } from "./seed-schema";

export interface EmulatorOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default: the API page's world, `DEFAULT_SEED` (copied; the emulator never changes the object given). */
  seed?: SeedData;
  /**
   * Persistence: loaded on start if the file exists (a corrupt file is an error), else started from the seed
   * and written. Rewritten atomically after every change.
   */
  dataFile?: string;
  /**
   * An API token (CLI --token-env, --token-file, --token-stdin) in place of the public `DEFAULT_TOKEN`,
   * which is then refused: an emulator others can reach is not open to a token printed in the README. Full
   * permissions unless `tokenReadOnly`. The seeded read-only token stays.
   */
  token?: string;
  /**
   * The given token lacks 'Edit Issue Tracker connections': it sees connections without `params` and gets
   * 403 on writes (CLI --token-read-only). Default false.
   */
  tokenReadOnly?: boolean;
  /** Enables the HTTP control surface under /_emulator/ (off when unset). */
  controlToken?: string;
  /**
   * Whether the organisation has the advanced Issue Tracker feature; without it every frequency but
   * "manually" is refused (CLI --no-advanced-issue-tracker). Default: the seed's (or data file's) setting,
   * true in the default seed. Set here, it is saved with the data like the rest.
   */
  advancedIssueTracker?: boolean;
  /**
   * Connectors to mark inaccessible (remote, synced by the Remote Integration Client): no "manually"
   * connections and no manual syncs on them (CLI --inaccessible-connector ID). Each must exist.
   */
  inaccessibleConnectors?: readonly number[];
  /** Default 1 MiB; larger bodies get 413. */
  maxBodyBytes?: number;
}

const CONNECTOR_IDS = "must be a list of connector ids (positive whole numbers)";
const trueOrFalse = z.boolean({ error: (iss) => `must be true or false, not ${describeKind(iss.input)}` });
/** A number as the message quotes it: itself, or what kind of value came instead. */
const given = (input: unknown) => (typeof input === "number" ? String(input) : describeKind(input));

const SHAPE = {
  host: z.string({ error: (iss) => `must be a local address or host name such as "127.0.0.1", not ${describeKind(iss.input)}` }).optional(),
  port: z
    .int({ error: (iss) => `must be a whole number from 0 to 65535, not ${given(iss.input)}` })
    .min(0)
    .max(65535)
    .optional(),
  // Judged by parseSeed, and only when there is no data file to load instead.
  seed: z.custom<SeedData>().optional(),
  dataFile: z
    .string({ error: (iss) => `must be the path of a file, not ${describeKind(iss.input)}` })
    .min(1, "must be the path of a file, not an empty string")
    .optional(),
  token: headerTokenSchema.optional(),
  tokenReadOnly: trueOrFalse.optional(),
  controlToken: headerTokenSchema.optional(),
  advancedIssueTracker: trueOrFalse.optional(),
  inaccessibleConnectors: z
    .array(z.int({ error: CONNECTOR_IDS }).positive(CONNECTOR_IDS), { error: CONNECTOR_IDS })
    .readonly()
    .optional(),
  maxBodyBytes: z
    .int({ error: (iss) => `must be a positive whole number, not ${given(iss.input)}` })
    .min(1)
    .optional(),
} satisfies Record<keyof EmulatorOptions, z.ZodType>;
const OPTIONS = Object.keys(SHAPE);

/** startEmulator's options: each of its kind, and a misspelt one refused (named with the one it was meant to be), not ignored. */
const optionsSchema = z
  .strictObject(SHAPE, {
    error: strictKeysError(
      OPTIONS,
      { one: "option", many: "options" },
      `startEmulator takes ${listed(OPTIONS)}`,
      (input) => `startEmulator takes an object of options, not ${describeKind(input)}`,
    ),
  })
  .superRefine((options, ctx) => {
    if (options.tokenReadOnly && options.token === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["tokenReadOnly"],
        message: `applies to the given token: give one in token (or use the seeded ${READ_ONLY_TOKEN})`,
      });
    }
  });

/**
 * The options, checked; throws an Error naming each bad option (`port must be a whole number from 0 to
 * 65535, not 70000`), so nothing starts on options it would misread.
 */
export function parseEmulatorOptions(options: unknown): EmulatorOptions {
  const parsed = optionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  // Each option once: every bad id of a list says the same thing.
  const problems = new Set(
    parsed.error.issues.map((issue) => (issue.path.length === 0 ? issue.message : `${String(issue.path[0])} ${issue.message}`)),
  );
  throw new Error([...problems].join("; "));
}
