import { unsupportedNodeMessage } from "../node-version";

// Imported first by every command (the bins, the demo, the bench), before anything loads undici: on an
// older Node.js the command prints this one sentence and exits 1, with no stack trace.
const problem = unsupportedNodeMessage();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
