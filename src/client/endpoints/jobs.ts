import { jobCreateSchema, jobSchema, type Job, type JobCreate } from "../../schema/job";
import type { Transport } from "../transport";
import { validateInput } from "../validate-input";
import { checkedId } from "./id";
import { readAllPages } from "./pages";
import { PATHS } from "./paths";

/** `/api/v2/jobs/issue-tracker/`: a connection's sync jobs (queue one, or post a finished one's result). */
export class JobsApi {
  constructor(private readonly transport: Transport) {}

  async list(filter: { connection?: number } = {}): Promise<Job[]> {
    const connection = filter?.connection === undefined ? undefined : checkedId(filter.connection, "connection");
    return readAllPages(this.transport, PATHS.jobs, jobSchema, { connection });
  }

  /** Records a job. Not retried when its answer is lost: a second POST would record a second job. */
  async create(body: JobCreate): Promise<Job> {
    const valid = validateInput(jobCreateSchema, body, "sync job");
    const response = await this.transport.send({
      method: "POST",
      path: PATHS.jobs,
      body: valid,
      schema: jobSchema,
      retry: "create",
      creates: "the sync job",
    });
    return response.data;
  }
}
