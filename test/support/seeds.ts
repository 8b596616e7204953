import { DEFAULT_SEED, DEFAULT_TOKEN, type SeedData } from "../../src/emulator";

/** Distinctive secrets, so a leak scan cannot miss them or mistake anything else for them. */
export const SECRETS = {
  password: "Leak-Canary-Passw0rd-7f3a9c",
  sdeToken: "sde-canary-token-4b8e2d1f",
  trackerApiToken: "ghp_CanaryTrackerToken9d2e",
} as const;

/**
 * The default seed plus a Jira tracker (jira.secure.example, user ci-bot with the canary password,
 * projects PAY and OPS), a GitHub tracker (github.secure.example, the canary API token, repository
 * infra) and an SD Elements token equal to the canary token.
 */
export function canarySeed(): SeedData {
  const seed = structuredClone(DEFAULT_SEED);
  (seed.trackers ??= []).push({
    system: "jira",
    server: "jira.secure.example",
    method: "https",
    users: [{ user: "ci-bot", pass: SECRETS.password }],
    apiTokens: [],
    projects: ["PAY", "OPS"],
  });
  seed.trackers.push({
    system: "github",
    server: "github.secure.example",
    method: "https",
    users: [],
    apiTokens: [SECRETS.trackerApiToken],
    projects: ["infra"],
  });
  const tokens = (seed.tokens ??= []);
  const admin = tokens.find((t) => t.token === DEFAULT_TOKEN);
  if (admin) tokens.push({ ...admin, token: SECRETS.sdeToken });
  return seed;
}

/**
 * The canary seed plus names that need telling apart, for the lookups:
 * - "Checkout" in "Finance App" (business unit "BU", project 10) and in "Demo Application" ("General", 11):
 *   the application tells them apart;
 * - "Ledger" in two applications both named "Shared", of "BU" (project 12) and of "Retail" (13): only the
 *   business unit tells them apart;
 * - connectors "Tracker" of jira (4, its password the canary) and of github (5, the canary API token): the
 *   system tells them apart; jira then has two connectors (1 and 4), which the name tells apart.
 */
export function lookupSeed(): SeedData {
  const seed = canarySeed();
  (seed.businessUnits ??= []).push({ id: 3, name: "Retail" });
  (seed.applications ??= []).push({ id: 3, name: "Shared", business_unit: 1 }, { id: 4, name: "Shared", business_unit: 3 });
  (seed.projects ??= []).push(
    { id: 10, name: "Checkout", application: 1 },
    { id: 11, name: "Checkout", application: 2 },
    { id: 12, name: "Ledger", application: 3 },
    { id: 13, name: "Ledger", application: 4 },
  );
  (seed.connectors ??= []).push(
    {
      id: 4,
      name: "Tracker",
      system: "jira",
      params: { issue_tracker_server: "jira.secure.example", issue_tracker_user: "ci-bot", issue_tracker_pass: SECRETS.password },
    },
    {
      id: 5,
      name: "Tracker",
      system: "github",
      params: {
        issue_tracker_server: "github.secure.example",
        issue_tracker_auth_mode: "api_token",
        issue_tracker_api_token: SECRETS.trackerApiToken,
      },
    },
  );
  return seed;
}
