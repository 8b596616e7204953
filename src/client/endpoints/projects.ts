import { projectSchema, type Project } from "../../schema/project";
import type { Transport } from "../transport";
import { checkedId } from "./id";
import { PATHS } from "./paths";

/** `/api/v2/projects/{id}/`: looked up to check a connection's project and to name it in messages. */
export class ProjectsApi {
  constructor(private readonly transport: Transport) {}

  async get(id: number): Promise<Project> {
    const response = await this.transport.send({
      method: "GET",
      path: PATHS.project(checkedId(id, "project")),
      schema: projectSchema,
      retry: "idempotent",
    });
    return response.data;
  }
}
