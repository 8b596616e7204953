import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Before any test: compile src/ into lib/ and link the package to itself (`npm run prepare`, which
 * `npm ci` also runs). The dynamic-provider host loads the provider by package name from lib/, and
 * bin/sde-emulator.js runs lib/: a stale lib/ would test old code. Also starts the reliability suite's
 * metrics file (the test workers inherit this environment).
 */
export default function globalSetup(): void {
  execFileSync("npm", ["run", "--silent", "prepare"], { cwd: resolve(__dirname, ".."), stdio: "inherit" });
  const metrics = join(tmpdir(), `sde-reliability-${process.pid}.jsonl`);
  writeFileSync(metrics, "");
  process.env.RELIABILITY_METRICS = metrics;
}
