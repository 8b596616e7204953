import { z } from "zod";
import { describeKind } from "./validation";

/** How often a connection syncs. The API spells these in lower case only. */
export const FREQUENCIES = ["hourly", "daily", "weekly", "monthly", "manually"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** The one frequency an organisation without the advanced Issue Tracker feature may use. */
export const MANUAL_FREQUENCY: Frequency = "manually";

export const frequencySchema = z.enum(FREQUENCIES, {
  error: (issue) => {
    const given = issue.input;
    if (typeof given === "string" && (FREQUENCIES as readonly string[]).includes(given.trim().toLowerCase())) {
      return `"${given}" is not a valid choice: write it in lower case, "${given.trim().toLowerCase()}"`;
    }
    if (typeof given !== "string" && typeof given !== "number")
      return `must be one of ${FREQUENCIES.join(", ")}, not ${describeKind(given)}`;
    return `${JSON.stringify(given)} is not a valid choice: use one of ${FREQUENCIES.join(", ")}`;
  },
});
