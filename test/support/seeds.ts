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
