import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

/**
 * Before any test: compile src/ into lib/ and link the package to itself (`npm run prepare`, which
 * `npm ci` also runs). The dynamic-provider host loads the provider by package name from lib/, and
 * bin/sde-emulator.js runs lib/: a stale lib/ would test old code.
 */
export default function globalSetup(): void {
  execFileSync("npm", ["run", "--silent", "prepare"], { cwd: resolve(__dirname, ".."), stdio: "inherit" });
}
