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

/**
 * A job from `/api/v2/jobs/issue-tracker/`. The jobs page shows `connection` as the nested connection, the
 * embedded `last_job` its id alone; both are read, as the id.
 */
export const jobSchema = lastJobSchema.extend({
  connection: z.union([z.int(), z.looseObject({ id: z.int() }).transform((c) => c.id)]),
});
export type Job = z.infer<typeof jobSchema>;

/**
 * Records a sync job (jobs page): `automatic` always, and either `ready: false` to queue a sync, or
 * `succeeded` and `result_message` to record a finished one (a remote runner's result).
 */
export const jobCreateSchema = z
  .strictObject({
    connection: z.int({ error: "must be the id of the connection the job belongs to" }).positive(),
    automatic: z.boolean({
      error: (iss) =>
        iss.input === undefined ? "is required: true for a scheduled sync, false for one started by hand" : "must be true or false",
    }),
    ready: z.boolean({ error: "must be true or false" }).optional(),
    succeeded: z.boolean({ error: "must be true or false" }).optional(),
    result_message: z.string({ error: "must be a string" }).max(4096).optional(),
  })
  .superRefine((job, ctx) => {
    if (job.ready === undefined && (job.succeeded === undefined || job.result_message === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["ready"],
        message: "is required: false queues a sync; to record a finished one, give succeeded and result_message",
      });
    }
    // A queued job has not run: it cannot have succeeded (its connection would show a sync that never was).
    if (job.ready === false && job.succeeded === true) {
      ctx.addIssue({ code: "custom", path: ["succeeded"], message: "must be false for a queued job (ready: false): it has not run yet" });
    }
  })
  .transform((job) => ({ ...job, ready: job.ready ?? true, succeeded: job.succeeded ?? false, result_message: job.result_message ?? "" }));
export type JobCreate = z.input<typeof jobCreateSchema>;
