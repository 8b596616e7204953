/** The API's documented paths, each with its trailing slash (the server redirects or refuses without it). */
export const PATHS = {
  connections: "/api/v2/connections/issue-tracker/",
  connection: (id: number) => `/api/v2/connections/issue-tracker/${id}/`,
  testConnection: "/api/v2/connections/test-issue-tracker/",
  connectors: "/api/v2/connectors/issue-tracker/",
  connector: (id: number) => `/api/v2/connectors/issue-tracker/${id}/`,
  project: (id: number) => `/api/v2/projects/${id}/`,
  jobs: "/api/v2/jobs/issue-tracker/",
} as const;
