/**
 * Timestamps as the server writes them: ISO-8601 with microseconds and an explicit UTC offset, e.g.
 * `2019-11-28T20:22:32.588388+00:00` (the API page's `last_successful_run`).
 */
export function serverTimestamp(now: Date = new Date()): string {
  // Date has millisecond precision; the sub-millisecond digits come from the high-resolution clock so
  // two jobs recorded in the same millisecond still differ.
  const micros = String(Number(process.hrtime.bigint() / 1000n) % 1000).padStart(3, "0");
  return now.toISOString().replace(/Z$/, `${micros}+00:00`);
}
