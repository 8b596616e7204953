import { unsupportedNodeMessage } from "./node-version";

// Imported first by every entry point of the library (index, provider, engine), before anything loads
// undici: on an older Node.js the require fails with this one sentence instead of a TypeError deep inside a
// dependency.
const problem = unsupportedNodeMessage();
if (problem) throw new Error(problem);
