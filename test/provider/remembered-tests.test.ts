import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NOT_REMEMBERED, REMEMBER_FOR_MS, RememberedTests, rememberedTestsFile } from "../../src/provider/remembered-tests";
import { providerSettings } from "../../src/provider/settings";

const passedTestsFromConfig = (...args: Parameters<typeof providerSettings>) => providerSettings(...args).passedTests;
import { testedSettingsText } from "../../src/provider/tested-settings";
import { calls } from "../support/emulated-api";
import { FAST_LOOKUPS, startProviderUnderTest } from "../support/provider-under-test";
import { SECRETS } from "../support/seeds";

// A passed connection test is remembered between the preview's host and the update's, in a file that
// holds no secret and is of no use to anyone without the API token.
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "remembered-tests-"));
  file = join(dir, "passed.log");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const URL = "https://sde.example.com";
const settings = testedSettingsText({ connector: 1, params: { issue_tracker_user: "ci-bot", issue_tracker_pass: SECRETS.password } });
let clock = 1_000_000;
const remembered = (token: string = SECRETS.sdeToken, url = URL) => new RememberedTests({ file, url, token, now: () => clock });
/** Remembers a pass and waits for it to be in the file (passes are written after each burst). */
async function rememberNow(settings: string): Promise<void> {
  const r = remembered();
  r.remember(settings);
  await r.written();
}

test("what one host remembers, the next finds; the file is the user's alone and holds no secret", async () => {
  await rememberNow(settings);
  expect(remembered().has(settings)).toBe(true);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const text = readFileSync(file, "utf8");
  for (const secret of [SECRETS.password, SECRETS.sdeToken, "ci-bot", URL]) expect(text).not.toContain(secret);
});

test("entries are of no use with another token or server", async () => {
  await rememberNow(settings);
  expect(remembered("another-token").has(settings)).toBe(false);
  expect(remembered(SECRETS.sdeToken, "https://other.example.com").has(settings)).toBe(false);
});

test("entries expire after ten minutes", async () => {
  await rememberNow(settings);
  clock += REMEMBER_FOR_MS - 1;
  expect(remembered().has(settings)).toBe(true);
  clock += 2;
  expect(remembered().has(settings)).toBe(false);
});

const linesOf = () =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "");

test("a pass is appended, not a rewrite of all that is remembered; a file mostly expired is compacted", async () => {
  await rememberNow(settings);
  const before = readFileSync(file, "utf8");
  const inode = statSync(file).ino;
  await rememberNow(testedSettingsText({ connector: 2 }));
  expect(statSync(file).ino).toBe(inode);
  expect(readFileSync(file, "utf8").startsWith(before)).toBe(true);
  expect(linesOf()).toHaveLength(2);
  // Hundreds of passes, all expired: the next host's first read rewrites the file with the live ones.
  const r = remembered();
  for (let i = 0; i < 300; i++) r.remember(`${settings} ${i}`);
  await r.written();
  expect(linesOf()).toHaveLength(302);
  clock += REMEMBER_FOR_MS + 1;
  const live = testedSettingsText({ connector: 3 });
  await rememberNow(live);
  expect(linesOf()).toHaveLength(1);
  expect(remembered().has(live)).toBe(true);
});

test("a line not as written here (a torn write) is skipped, the others still count, the next pass too", async () => {
  await rememberNow(settings);
  appendFileSync(file, "0123 not a line\n");
  await rememberNow(testedSettingsText({ connector: 2 }));
  appendFileSync(file, "4567"); // torn: no newline
  await rememberNow(testedSettingsText({ connector: 3 }));
  for (const connector of [2, 3]) expect(remembered().has(testedSettingsText({ connector }))).toBe(true);
  expect(remembered().has(settings)).toBe(true);
});

test("a few expired lines are left in place: below 256 lines the file is never rewritten", async () => {
  const r = remembered();
  for (let i = 0; i < 200; i++) r.remember(`${settings} ${i}`);
  await r.written();
  const inode = statSync(file).ino;
  clock += REMEMBER_FOR_MS + 1;
  expect(remembered().has(settings)).toBe(false);
  expect(statSync(file).ino).toBe(inode);
  expect(linesOf()).toHaveLength(200);
});

test("a FIFO planted at the file's name neither hangs the host nor is used", async () => {
  execFileSync("mkfifo", [file]);
  expect(remembered().has(settings)).toBe(false);
  await rememberNow(settings);
  expect(statSync(file).isFIFO()).toBe(true);
});

test("never through a symbolic link: a link planted at the file's name is neither read nor written", async () => {
  await rememberNow(settings);
  const target = join(dir, "target");
  const entries = readFileSync(file, "utf8");
  writeFileSync(target, entries, { mode: 0o600 });
  rmSync(file);
  symlinkSync(target, file);
  expect(remembered().has(settings)).toBe(false);
  await rememberNow(testedSettingsText({ connector: 2 }));
  expect(readFileSync(target, "utf8")).toBe(entries);
});

test("a file others may read or write, or not as written here, is not trusted", async () => {
  await rememberNow(settings);
  chmodSync(file, 0o666);
  expect(remembered().has(settings)).toBe(false);
  chmodSync(file, 0o640);
  expect(remembered().has(settings)).toBe(false);
  chmodSync(file, 0o600);
  expect(remembered().has(settings)).toBe(true);
  writeFileSync(file, "not lines of entries", { mode: 0o600 });
  expect(remembered().has(settings)).toBe(false);
});

test("one file per user, in the temporary directory", async () => {
  expect(rememberedTestsFile().startsWith(tmpdir())).toBe(true);
  expect(rememberedTestsFile()).toContain(String(process.getuid?.() ?? ""));
});

test("sdelements:rememberTests false, or no token, remembers nothing", async () => {
  const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
  const env = {};
  expect(
    passedTestsFromConfig(config({ "sdelements:url": URL, "sdelements:apiToken": "t", "sdelements:rememberTests": "false" }), env),
  ).toBe(NOT_REMEMBERED);
  expect(passedTestsFromConfig(config({ "sdelements:url": URL }), env)).toBe(NOT_REMEMBERED);
  expect(passedTestsFromConfig(config({ "sdelements:url": URL, "sdelements:apiToken": "t" }), env)).toBeInstanceOf(RememberedTests);
  expect(() => passedTestsFromConfig(config({ "sdelements:rememberTests": "yes" }), env)).toThrow(/sdelements:rememberTests/);
});

test("through the provider: the update's host does not test again what the preview's passed; failures are not remembered", async () => {
  const t = await startProviderUnderTest();
  try {
    const host = () => t.providerWith({}, { ...FAST_LOOKUPS, passedTests: () => remembered() });
    const connection = {
      alias: "Remembered Jira",
      connector: 1,
      project: 1,
      params: { issue_tracker_project: "Example Project", issue_tracker_user: "Sindy", issue_tracker_pass: "id" },
    };
    const tests = () => calls(t.api.emulator).filter((c) => c.includes("test-issue-tracker"));
    await host().check({}, connection);
    await host().check({}, connection);
    expect(tests()).toHaveLength(1);
    const wrong = { ...connection, params: { ...connection.params, issue_tracker_pass: "wrong" } };
    expect((await host().check({}, wrong)).failures).toHaveLength(1);
    expect((await host().check({}, wrong)).failures).toHaveLength(1);
    expect(tests()).toHaveLength(3);
    expect(readFileSync(file, "utf8")).not.toMatch(/Sindy|wrong|"id"/);
  } finally {
    await t.api.stop();
  }
});

test("a burst of passes is written once, after it, with every pass in it", async () => {
  const r = remembered();
  const many = Array.from({ length: 50 }, (_, i) => `${settings} ${i}`);
  for (const s of many) r.remember(s);
  expect(() => statSync(file)).toThrow(); // nothing written during the burst
  await r.written();
  const next = remembered();
  expect(many.every((s) => next.has(s))).toBe(true);
  expect(linesOf()).toHaveLength(50);
});
