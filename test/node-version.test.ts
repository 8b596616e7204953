import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MINIMUM_NODE_VERSION, unsupportedNodeMessage } from "../src/node-version";

const ROOT = resolve(__dirname, "..");
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { engines?: { node?: string } };

test.each(["20.20.2", "22.0.0", "22.12.0", "22.18.9", "v21.7.3"])(
  "Node.js %s is refused in one sentence naming both versions",
  (version) => {
    expect(unsupportedNodeMessage(version)).toBe(
      `pulumi-sdelements needs Node.js 22.19.0 or later, but this is Node.js ${version.replace(/^v/, "")}.`,
    );
  },
);

test.each(["22.19.0", "22.20.1", "23.0.0", "24.21.0", "v25.1.0", "22.19.0-pre"])("Node.js %s runs it", (version) => {
  expect(unsupportedNodeMessage(version)).toBeUndefined();
});

test("engines states the same minimum, and no dependency needs more than it", () => {
  expect(manifest(ROOT).engines?.node).toBe(`>=${MINIMUM_NODE_VERSION}`);
  for (const dependency of ["undici", "@pulumi/pulumi", "zod", "yaml"]) {
    const range = manifest(join(ROOT, "node_modules", dependency)).engines?.node ?? ">=0";
    const floor = /^>=\s*([\d.]+)$/.exec(range.trim())?.[1];
    expect([dependency, floor]).toEqual([dependency, expect.stringMatching(/^\d/)]);
    // The dependency's floor is supported, and anything older than ours is refused (so ours is at least its).
    const [major, minor = 0, patch = 0] = floor!.split(".").map(Number);
    const justBelow = patch > 0 ? `${major}.${minor}.${patch - 1}` : minor > 0 ? `${major}.${minor - 1}.99` : `${major! - 1}.99.99`;
    expect([dependency, unsupportedNodeMessage(justBelow)]).toEqual([dependency, expect.any(String)]);
  }
});
