import { idSchema } from "../../schema/ids";
import { projectSchema, type Project } from "../../schema/project";
import type { Transport } from "../transport";
import { checkedId } from "./id";
import { checkedListFilter, nameFilterSchema } from "./list-filter";
import { readAllPages } from "./pages";
import { PATHS } from "./paths";
import { readOne } from "./read-one";

/** The projects list's filters the API documents (projects page): exact name, application id, slug. */
export interface ListProjectsFilter {
  name?: string;
  /** The application's id. */
  application?: number;
  slug?: string;
}

const PROJECT_FILTERS = {
  name: nameFilterSchema.optional(),
  application: idSchema("application").optional(),
  slug: nameFilterSchema.optional(),
};

/** `/api/v2/projects/`: looked up to check a connection's project, to name it in messages, and by name. */
export class ProjectsApi {
  constructor(private readonly transport: Transport) {}

  /** Every project (all pages) matching the filters. */
  async list(filter: ListProjectsFilter = {}): Promise<Project[]> {
    const valid = checkedListFilter(PROJECT_FILTERS, filter, "a project list", '{ name: "Payments" }');
    return readAllPages(this.transport, PATHS.projects, projectSchema, valid);
  }

  async get(id: number): Promise<Project> {
    return await readOne(this.transport, PATHS.project(checkedId(id, "project")), projectSchema);
  }
}
