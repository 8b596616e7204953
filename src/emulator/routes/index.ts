import { route, type Route } from "../router";
import { getApplication, listApplications } from "./applications";
import { getBusinessUnit, listBusinessUnits } from "./business-units";
import { createConnection, deleteConnection, getConnection, listConnections, updateConnection } from "./connections";
import { getConnector, listConnectors } from "./connectors";
import { createJob, getJob, listJobs } from "./jobs";
import { getProject, listProjects } from "./projects";
import { testConnection } from "./test-connection";

/** Every API route. Paths end with the slash the API requires. */
export const API_ROUTES: readonly Route[] = [
  route("/api/v2/connections/issue-tracker/", { GET: listConnections, POST: createConnection }),
  route("/api/v2/connections/issue-tracker/:id/", { GET: getConnection, PATCH: updateConnection, DELETE: deleteConnection }),
  route("/api/v2/connections/test-issue-tracker/", { POST: testConnection }),
  route("/api/v2/connectors/issue-tracker/", { GET: listConnectors }),
  route("/api/v2/connectors/issue-tracker/:id/", { GET: getConnector }),
  route("/api/v2/projects/", { GET: listProjects }),
  route("/api/v2/projects/:id/", { GET: getProject }),
  route("/api/v2/applications/", { GET: listApplications }),
  route("/api/v2/applications/:id/", { GET: getApplication }),
  route("/api/v2/business-units/", { GET: listBusinessUnits }),
  route("/api/v2/business-units/:id/", { GET: getBusinessUnit }),
  route("/api/v2/jobs/issue-tracker/", { GET: listJobs, POST: createJob }),
  route("/api/v2/jobs/issue-tracker/:id/", { GET: getJob }),
];
