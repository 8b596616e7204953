// The project's own files bring Node 24 (the `node` devDependency puts it first on PATH for npm scripts),
// even where the system Node is older. This shows which Node runs the suite, and fails on one below 22
// (@pulumi/pulumi >= 3.249 and undici 8 need it).
test(`runs on Node ${process.version} (needs >= 22)`, () => {
  const major = Number(process.versions.node.split(".")[0]);
  expect(major).toBeGreaterThanOrEqual(22);
});
