import { Agent, request } from "undici";
import { inheritedConnectorParams } from "../schema/connector";
import type { Variant } from "./variant";
import { CONNECTOR, createBody, declared, renamed, type Phase } from "./workload";

/**
 * The physical floor on this machine: the very requests the provider makes (same methods, paths and
 * bodies), sent with bare undici and JSON.parse, no validation, no retries, nothing else.
 */
export async function rawVariant(url: string, token: string): Promise<Variant> {
  const agent = new Agent({ connections: 32 });
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown> | undefined> => {
    const res = await request(url + path, {
      method: method as "GET",
      headers: { authorization: `Token ${token}`, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: agent,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  };
  // The connector's params, under the program's in the connection test: what the provider sends.
  const connector = (await call("GET", `/api/v2/connectors/issue-tracker/${CONNECTOR}/`)) as {
    name: string;
    params: Record<string, string | number | boolean>;
  };
  const inherited = inheritedConnectorParams(connector.params);
  const stored = new Map<string, Record<string, unknown>>();

  return {
    name: "raw",
    async op(phase: Phase, run: string, i: number) {
      const key = `${run}/${i}`;
      const d = declared(run, i);
      switch (phase) {
        case "check+create": {
          await call("POST", "/api/v2/connections/test-issue-tracker/", {
            connector: d.connector,
            project: d.project,
            alias: d.alias,
            name: connector.name,
            system: { id: "jira" },
            params: { ...inherited, ...(d.params as object) },
          });
          stored.set(key, (await call("POST", "/api/v2/connections/issue-tracker/", createBody(run, i)))!);
          return;
        }
        case "preview unchanged": {
          // The least a diff can do: compare each declared field and param with what is stored.
          const s = stored.get(key)!;
          const params = s.params as Record<string, unknown>;
          const same =
            s.alias === d.alias &&
            s.connector === d.connector &&
            s.project === d.project &&
            s.frequency === d.frequency &&
            Object.entries(d.params as object).every(([k, v]) => params[k] === v);
          if (!same) throw new Error(`unexpected difference for ${key}`);
          return;
        }
        case "update":
          stored.set(key, (await call("PATCH", `/api/v2/connections/issue-tracker/${stored.get(key)!.id}/`, { alias: renamed(run, i) }))!);
          return;
        case "read":
          await call("GET", `/api/v2/connections/issue-tracker/${stored.get(key)!.id}/?include=last_job`);
          return;
        case "delete":
          await call("DELETE", `/api/v2/connections/issue-tracker/${stored.get(key)!.id}/`);
          stored.delete(key);
          return;
      }
    },
    close: () => agent.close(),
  };
}
