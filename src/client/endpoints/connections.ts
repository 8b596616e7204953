import { z } from "zod";
import {
  connectionCreateSchema,
  connectionSchema,
  connectionTestResultSchema,
  connectionTestSchema,
  connectionUpdateSchema,
  type Connection,
  type ConnectionCreate,
  type ConnectionTest,
  type ConnectionUpdate,
} from "../../schema/connection";
import { fieldErrorsSchema, type FieldErrors } from "../../schema/api-error";
import { booleanSchema } from "../../schema/boolean";
import { listed, strictKeysError } from "../../schema/unknown-keys";
import { describeKind } from "../../schema/validation";
import { secretParamValues } from "../../schema/secrets";
import { isCheckedWith, type Checked } from "../../schema/checked";
import { SdeApiError } from "../errors";
import { HINTS } from "../messages";
import type { Transport } from "../transport";
import { validateInput } from "../validate-input";
import { checkedId } from "./id";
import { readAllPages } from "./pages";
import { PATHS } from "./paths";
import { readOne } from "./read-one";

export interface ListConnectionsFilter {
  /** Only the connections of this SD Elements project. */
  project?: number;
  /** Embed each connection's newest sync job as `last_job`. */
  includeLastJob?: boolean;
  /** Ask the server for pages of this size (all pages are read either way). */
  pageSize?: number;
}

/** The outcome of a connection test: `success`, or what the server said is wrong. */
export type ConnectionTestOutcome = { success: true } | { success: false; message: string; fieldErrors?: FieldErrors | undefined };

/**
 * A test's answer: `{success: true}`, or a refusal whose `success` may be missing (DRF field errors), or
 * DRF's bare list of messages.
 */
const testAnswerSchema = z.union([connectionTestResultSchema.partial({ success: true }), z.array(z.string())]);

/**
 * Bodies a caller has already parsed with the endpoint's own schema (`checking(connectionCreateSchema)`,
 * src/schema/checked.ts): sent as they are, without a second, identical parse. Any other body is checked
 * before it is sent.
 */
export type CheckedConnectionCreate = Checked<typeof connectionCreateSchema>;
export type CheckedConnectionUpdate = Checked<typeof connectionUpdateSchema>;
export type CheckedConnectionTest = Checked<typeof connectionTestSchema>;

const LIST_FILTERS = ["project", "includeLastJob", "pageSize"];
const pageSizeSchema = z
  .int({ error: "must be a whole number of connections per page" })
  .min(1, "must be at least 1")
  .max(1000, "must be at most 1000");
// Page size checked here, under its own name (`pageSize: must be at most 1000`); the project id by
// checkedId, with the message every id gets.
const listFilterSchema = z.strictObject(
  { project: z.unknown().optional(), includeLastJob: booleanSchema.optional(), pageSize: pageSizeSchema.optional() },
  {
    error: strictKeysError(
      LIST_FILTERS,
      { one: "filter", many: "filters" },
      `a connection list takes ${listed(LIST_FILTERS)}`,
      (input) => `must be an object of filters, e.g. { project: 1 }, not ${describeKind(input)}`,
    ),
  },
);

/** How a delete ended: removed now, or found already gone after an earlier attempt was cut off. */
export type DeleteOutcome = "deleted" | "already_gone";

/** `/api/v2/connections/issue-tracker/`: the project connections to issue trackers. */
export class ConnectionsApi {
  constructor(private readonly transport: Transport) {}

  /** All connections (every page), optionally of one project and with their last sync job. */
  async list(filter: ListConnectionsFilter = {}): Promise<Connection[]> {
    // A misspelt filter must not silently list every project's connections.
    const { pageSize } = validateInput(listFilterSchema, filter, "connection list filter");
    const project = filter.project === undefined ? undefined : checkedId(filter.project, "project");
    return readAllPages(this.transport, PATHS.connections, connectionSchema, {
      project,
      include: filter.includeLastJob ? "last_job" : undefined,
      page_size: pageSize,
    });
  }

  async get(id: number, options: { includeLastJob?: boolean } = {}): Promise<Connection> {
    return await readOne(this.transport, PATHS.connection(checkedId(id, "connection")), connectionSchema, {
      // `?.`: a JavaScript caller may pass null for "no options".
      include: options?.includeLastJob ? "last_job" : undefined,
    });
  }

  /**
   * Creates a connection (one POST). It is never re-sent when its outcome is unknown: the error then has
   * kind `outcome_unknown`, and the caller should look the connection up before trying again. An answer
   * that describes another connection than the one requested (a proxy's cache, a server bug) is such an
   * unknown outcome too, never taken for the new connection.
   */
  async create(body: ConnectionCreate | CheckedConnectionCreate): Promise<Connection> {
    const valid = isCheckedWith(body, connectionCreateSchema) ? body : validateInput(connectionCreateSchema, body, "connection");
    const response = await this.transport.send({
      method: "POST",
      path: PATHS.connections,
      body: valid,
      schema: connectionSchema,
      retry: "create",
      secrets: secretParamValues(valid.params),
    });
    const differences = answerDifferences(valid, response.data);
    if (differences.length > 0) {
      throw new SdeApiError(
        `the answer describes another connection (id ${response.data.id}: ${differences.join(", ")}), not the one requested: whether it was created is unknown`,
        { kind: "outcome_unknown", method: "POST", path: PATHS.connections, status: response.status, hint: HINTS.lookUpConnection },
      );
    }
    return response.data;
  }

  /** Changes the given fields (one PATCH); `params` are merged into the connection's stored params. */
  async update(id: number, body: ConnectionUpdate | CheckedConnectionUpdate): Promise<Connection> {
    const path = PATHS.connection(checkedId(id, "connection"));
    const valid = isCheckedWith(body, connectionUpdateSchema) ? body : validateInput(connectionUpdateSchema, body, "connection update");
    const response = await this.transport.send({
      method: "PATCH",
      path,
      body: valid,
      schema: connectionSchema,
      retry: "idempotent",
      secrets: secretParamValues(valid.params),
    });
    return response.data;
  }

  /**
   * Deletes a connection. A 404 is an error (it was not there), unless an earlier attempt may have been
   * applied (its answer was lost, or a gateway failed): then that attempt deleted it. A 429 or 503 before
   * does not count: the server declined those.
   */
  async delete(id: number): Promise<DeleteOutcome> {
    try {
      await this.transport.send({ method: "DELETE", path: PATHS.connection(checkedId(id, "connection")), retry: "idempotent" });
      return "deleted";
    } catch (error) {
      if (error instanceof SdeApiError && error.status === 404 && error.uncertain) return "already_gone";
      throw error;
    }
  }

  /**
   * Asks the server to try these settings against the tracker (server reachable, credentials, tracker
   * project) without saving anything. A refusal (400) is an outcome, not an exception.
   */
  async test(body: ConnectionTest | CheckedConnectionTest): Promise<ConnectionTestOutcome> {
    const valid = isCheckedWith(body, connectionTestSchema) ? body : validateInput(connectionTestSchema, body, "connection test");
    const response = await this.transport.send({
      method: "POST",
      path: PATHS.testConnection,
      body: valid,
      schema: testAnswerSchema,
      // Testing saves nothing, so repeating it is safe.
      retry: "idempotent",
      secrets: secretParamValues(valid.params),
      acceptStatuses: [400],
    });
    const answer: Record<string, unknown> = Array.isArray(response.data) ? { detail: response.data.join("; ") } : response.data;
    if (answer.success === true && response.status < 300) return { success: true };
    // Only an explicit `success: true` passes: a proxy's or login page's `200 {}` is not a passed test.
    if (response.status < 300 && answer.success !== false) {
      throw new SdeApiError(`the connection test's answer does not say whether it passed (status ${response.status}, no "success": true)`, {
        kind: "invalid_response",
        method: "POST",
        path: PATHS.testConnection,
        status: response.status,
        hint: HINTS.unclearTestAnswer,
      });
    }
    return refusal(answer);
  }
}

/**
 * How a create's answer differs from its request, in the fields the server keeps as sent (the alias
 * trimmed, as DRF stores it; frequency and debug mode only when they were sent, else the server chooses).
 */
function answerDifferences(sent: ConnectionCreate, answer: Connection): string[] {
  const differences: string[] = [];
  if (answer.alias !== sent.alias.trim())
    differences.push(`alias ${JSON.stringify(answer.alias)}, not ${JSON.stringify(sent.alias.trim())}`);
  for (const field of ["project", "connector", "frequency", "debug_mode"] as const) {
    if (sent[field] !== undefined && answer[field] !== sent[field])
      differences.push(`${field} ${JSON.stringify(answer[field])}, not ${JSON.stringify(sent[field])}`);
  }
  return differences;
}

/**
 * A refusal from the test endpoint: `{success: false, detail}` or DRF field errors for bad params. Keys
 * that are not field errors (a `code`, a `status`) are left out rather than taken for one.
 */
function refusal(body: Record<string, unknown>): ConnectionTestOutcome {
  const message = typeof body.detail === "string" ? body.detail : typeof body.error === "string" ? body.error : undefined;
  const { success: _s, detail: _d, error: _e, ...rest } = body;
  // Field errors are lists of messages (maps of them, for params); a bare value is not one.
  const fields = Object.entries(rest).filter(([, value]) => typeof value === "object" && value !== null);
  const parsed = fieldErrorsSchema.safeParse(Object.fromEntries(fields));
  const fieldErrors = fields.length > 0 && parsed.success ? parsed.data : undefined;
  return { success: false, message: message ?? "the settings were rejected", fieldErrors };
}
