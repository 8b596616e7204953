import { z } from "zod";
import { toFieldErrors } from "../schema/validation";
import { parseTokenHeader, sameSecret } from "./auth";
import { InvalidFaultError, type Faults } from "./faults";
import { badRequest, json, notFound, type ApiResponse } from "./http";
import type { RequestLog } from "./request-log";
import { invalidPk } from "./rules/fields";
import { jobRepresentation } from "./serializers";
import type { Store } from "./store";

/**
 * The HTTP control surface under `/_emulator/`, for tests that drive an emulator in another process (the
 * CLI). It exists only when a control token is configured, and answers only that token: to anyone else
 * `/_emulator/...` is an unknown path like any other (404, not even 401), so it cannot be discovered.
 * Control requests are not faulted and not logged.
 *
 * - `POST /_emulator/faults/` `{"kind": ..., ...}`, any fault of faults.ts (throttle, rateLimit, serverError, reset,
 *   dropResponse, hang, latency, slowBody, oversizedBody, foreignAnswer, foreignId, echo, redirect)
 * - `GET /_emulator/faults/` (armed faults), `DELETE /_emulator/faults/`
 * - `GET /_emulator/requests/` (the request log, `maxInFlight`, and `counts`: requests by method, path and status, complete past the log's 10,000 entries), `DELETE /_emulator/requests/`
 * - `POST /_emulator/jobs/` `{"connection", "succeeded", "ready"?, "automatic"?, "resultMessage"?}`
 */

export const CONTROL_PREFIX = "/_emulator/";

/** A sync job recorded by the test harness rather than by an API user. */
export const syncJobSchema = z.strictObject({
  connection: z.int({ error: "must be the id of a connection" }).positive("must be the id of a connection"),
  succeeded: z.boolean({ error: "must be true or false" }),
  ready: z.boolean({ error: "must be true or false" }).default(true),
  automatic: z.boolean({ error: "must be true or false" }).default(false),
  resultMessage: z.string({ error: "must be a string" }).max(4096).default(""),
});
export type SyncJobOptions = Omit<z.input<typeof syncJobSchema>, "connection">;

export interface ControlTarget {
  faults: Faults;
  log: RequestLog;
  store: Store;
}

/** Whether a request is for the control surface and carries its token. */
export function isControlRequest(controlToken: string | undefined, path: string, authorization: string | undefined): boolean {
  if (controlToken === undefined || !path.startsWith(CONTROL_PREFIX)) return false;
  const header = parseTokenHeader(authorization);
  return header.kind === "token" && sameSecret(header.token, controlToken);
}

export async function handleControl(
  target: ControlTarget,
  method: string,
  path: string,
  readJson: () => Promise<unknown>,
): Promise<ApiResponse> {
  const resource = path.slice(CONTROL_PREFIX.length);
  const methodNotAllowed = (allow: string) => json(405, { detail: `Method "${method}" not allowed.` }, { allow });

  switch (resource) {
    case "faults/":
      if (method === "GET") return json(200, { results: target.faults.list() });
      if (method === "DELETE") {
        target.faults.clear();
        return { status: 204 };
      }
      if (method === "POST") {
        try {
          return json(201, target.faults.arm(await readJson()));
        } catch (err) {
          if (err instanceof InvalidFaultError) return badRequest(toFieldErrors(err.zodError));
          throw err;
        }
      }
      return methodNotAllowed("GET, POST, DELETE");
    case "requests/":
      if (method === "GET")
        return json(200, { results: target.log.snapshot(), maxInFlight: target.log.maxInFlight, counts: target.log.counts() });
      if (method === "DELETE") {
        target.log.clear();
        return { status: 204 };
      }
      return methodNotAllowed("GET, DELETE");
    case "jobs/": {
      if (method !== "POST") return methodNotAllowed("POST");
      const parsed = syncJobSchema.safeParse((await readJson()) ?? {});
      if (!parsed.success) return badRequest(toFieldErrors(parsed.error));
      const { connection, ...job } = parsed.data;
      if (!target.store.connection(connection)) return badRequest({ connection: [invalidPk(connection)] });
      if (!job.ready && job.succeeded)
        return badRequest({ succeeded: ["must be false for a queued job (ready: false): it has not run yet"] });
      const { record, saved } = target.store.recordJob(connection, { ...job, user: null });
      await saved;
      return json(201, jobRepresentation(record));
    }
    default:
      return notFound();
  }
}
