/** The API's documented paths, each with its trailing slash (the server redirects or refuses without it). */
export const PATHS = {
  connections: "/api/v2/connections/issue-tracker/",
  connection: (id: number) => `/api/v2/connections/issue-tracker/${id}/`,
  testConnection: "/api/v2/connections/test-issue-tracker/",
  connectors: "/api/v2/connectors/issue-tracker/",
  connector: (id: number) => `/api/v2/connectors/issue-tracker/${id}/`,
  projects: "/api/v2/projects/",
  project: (id: number) => `/api/v2/projects/${id}/`,
  applications: "/api/v2/applications/",
  businessUnits: "/api/v2/business-units/",
  jobs: "/api/v2/jobs/issue-tracker/",
} as const;
