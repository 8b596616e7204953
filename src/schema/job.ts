import { z } from "zod";

/**
 * A sync job of a connection, as `include=last_job` embeds it. `ready` is false while it is queued or
 * running; `user` is the id of who triggered it (the jobs endpoint itself says email; both are accepted).
 */
export const lastJobSchema = z.looseObject({
  id: z.int(),
  succeeded: z.boolean(),
  ready: z.boolean(),
  automatic: z.boolean(),
  last_run: z.string().nullable(),
  result_message: z.string().nullable(),
  user: z.union([z.int(), z.string()]).nullable().optional(),
  triggered_by: z.int().nullable().optional(),
});
export type LastJob = z.infer<typeof lastJobSchema>;

/** A job from `/api/v2/jobs/issue-tracker/`. */
export const jobSchema = lastJobSchema.extend({ connection: z.int() });
export type Job = z.infer<typeof jobSchema>;

/** Records a sync job: queued (`ready: false`) or finished with its result. */
export const jobCreateSchema = z.strictObject({
  connection: z.int({ error: "must be the id of the connection the job belongs to" }).positive(),
  automatic: z.boolean({ error: "must be true or false" }).default(false),
  ready: z.boolean({ error: "must be true or false" }).default(true),
  succeeded: z.boolean({ error: "must be true or false" }).default(false),
  result_message: z.string({ error: "must be a string" }).max(4096).default(""),
});
export type JobCreate = z.input<typeof jobCreateSchema>;
