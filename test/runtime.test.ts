import { MINIMUM_NODE_VERSION, unsupportedNodeMessage } from "../src/node-version";

// The project's own files bring Node 24 (the `node` devDependency puts it first on PATH for npm scripts),
// even where the system Node is older. This shows which Node runs the suite, and fails on one the package
// does not support.
test(`runs on Node ${process.version} (needs >= ${MINIMUM_NODE_VERSION})`, () => {
  expect(unsupportedNodeMessage()).toBeUndefined();
});
