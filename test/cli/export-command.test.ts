import { SdeClient } from "../../src/client/client";
import type { ClientOptionsInput } from "../../src/client/options";
import * as messages from "../../src/client/messages";
import { inExportTerms } from "../../src/cli/export-command";

// The export's messages name only the settings the export reads (export-args.ts): --url or SDE_URL,
// SDE_API_TOKEN, SDE_CA_FILE, SDE_INSECURE_SKIP_VERIFY and the proxy variables. Every message of the client
// that names a setting goes through inExportTerms here, taken from the client itself, not copied: each
// text the messages module exports (each function of it called, and a new one fails the first test until
// it is called here too), and the settings errors the client's constructor gives.
const EXPORT_READS = new Set([
  "SDE_URL",
  "SDE_API_TOKEN",
  "SDE_CA_FILE",
  "SDE_INSECURE_SKIP_VERIFY",
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
]);

const BUDGET = { maxAttempts: 5, retryTimeoutMs: 60_000, retryBaseDelayMs: 500, retryMaxDelayMs: 10_000 };
const CALLS: Record<string, () => string[]> = {
  redirectedTo: () => [messages.redirectedTo("https://sde.example.com")],
  hintForStatus: () => Array.from({ length: 500 }, (_, i) => messages.hintForStatus(100 + i)).filter((h) => h !== undefined),
  budgetSpentHint: () => [
    messages.budgetSpentHint({ startedAt: 0, attempts: 5, budgetSpent: "attempts", lastStatus: 503 }, BUDGET),
    messages.budgetSpentHint({ startedAt: 0, attempts: 2, budgetSpent: "time", lastCode: "ECONNRESET" }, BUDGET),
  ],
  // Named by number when it has no words of its own: one such is enough.
  statusText: () =>
    Array.from({ length: 500 }, (_, i) => messages.statusText(100 + i)).filter((t) => !/^HTTP \d+$/.test(t) || t === "HTTP 100"),
  deadlineMissed: () => [messages.deadlineMissed(30_000, 60_000)],
  answerTooLarge: () => [messages.answerTooLarge("64 MB")],
  noSuch: () => [messages.noSuch("project 99")],
};

/** What the client's constructor says of settings the export passes on (the URL, the token, the CA file, proxies). */
function settingsErrors(): string[] {
  const url = "https://sde.example.com";
  const wrong: Partial<ClientOptionsInput>[] = [
    {},
    { url: "sde-token@sde.example.com", token: "t" },
    { url: "https://user:password@sde.example.com", token: "t" },
    { url, token: " " },
    { url, token: "t", caFile: "/nonexistent/ca.pem" },
    { url, token: "t", httpsProxy: "not a url" },
  ];
  return wrong.map((options) => {
    try {
      new SdeClient(options as ClientOptionsInput, {});
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`no error for ${JSON.stringify(options)}`);
  });
}

const texts = (value: unknown): string[] =>
  typeof value === "string" ? [value] : value !== null && typeof value === "object" ? Object.values(value).flatMap(texts) : [];

test("every function of the client's messages is called here", () => {
  const functions = Object.entries(messages)
    .filter(([, value]) => typeof value === "function")
    .map(([name]) => name);
  expect(functions.sort()).toEqual(Object.keys(CALLS).sort());
});

const every = [
  ...new Set([...Object.values(messages).flatMap(texts), ...Object.values(CALLS).flatMap((call) => call()), ...settingsErrors()]),
];

test.each(every)("in the export's terms: %s", (message) => {
  const said = inExportTerms(message);
  expect(said).not.toMatch(/sdelements:/);
  // Nothing the export cannot change: no retry, timeout or size to raise, no option of the client's own.
  expect(said).not.toMatch(/\braise\b|pageSize|maxResponseBytes|testConnection/i);
  const named = said.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? [];
  for (const name of named) expect(EXPORT_READS).toContain(name);
});

test("the settings named are the export's, as it reads them", () => {
  expect(inExportTerms(messages.hintForStatus(401)!)).toBe(
    "The API token is wrong or expired: set SDE_API_TOKEN to a current token (SD Elements → your name → API Settings)",
  );
  expect(inExportTerms(messages.HINTS.noAnswer)).toBe("The server is slow or unreachable: check --url (or SDE_URL)");
  expect(inExportTerms(messages.HINTS.untrustedCertificate)).toBe(
    "Set SDE_CA_FILE to the PEM file of the CA that signed it, or SDE_INSECURE_SKIP_VERIFY=true for a lab server",
  );
  expect(inExportTerms(messages.deadlineMissed(30_000, 60_000))).toBe("the request did not finish within its deadline of 90 s");
  expect(inExportTerms(messages.HINTS.tooLarge)).toBe("Check that --url (or SDE_URL) points at SD Elements (not a proxy or a download)");
  expect(inExportTerms(settingsErrors()[0]!)).toBe(
    "invalid client settings: url (--url, SDE_URL): is required: set --url (or SDE_URL) to your SD Elements server, e.g. https://sde.example.com; token (SDE_API_TOKEN): is required: set SDE_API_TOKEN to an SD Elements API token",
  );
});
