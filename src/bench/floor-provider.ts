import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The cost any dynamic provider pays: one plain HTTP call per operation (the same requests as this
 * package's provider, including the connection test in check), no validation, no retries, no state
 * shaping. Run through the same host as the real provider, it is what "host / floor" is measured against.
 * Its settings come through configure, like the real provider's. Deliberately minimal, down to its types
 * (`any`).
 *
 * Like the real provider, what is serialized is only a shim that loads this module in the host
 * ({@link floorShim}), so both send texts of the same size in every RPC: a floor whose whole code
 * travelled with each request (4.3 KB against our 2 KB) would flatter the ratio.
 */
export const floorProvider: dynamic.ResourceProvider & Record<string, any> = {
  async configure(req: any) {
    this.url = req.config.get("sdelements:url");
    this.token = req.config.get("sdelements:apiToken");
    this.agent = new (require("undici").Agent)({ connections: 32 });
  },
  async call(method: string, path: string, body?: unknown) {
    const res = await require("undici").request(this.url + path, {
      method,
      headers: { authorization: `Token ${this.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.agent,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode}`);
    return text ? JSON.parse(text) : undefined;
  },
  async check(olds: any, news: any) {
    if (Object.keys(olds).length === 0) {
      // The same request as the real provider's: the connector's params (looked up once) under the program's.
      this.connector ??= this.call("GET", `/api/v2/connectors/issue-tracker/${news.connector}/`);
      const connector = await this.connector;
      await this.call("POST", "/api/v2/connections/test-issue-tracker/", {
        connector: news.connector,
        project: news.project,
        alias: news.alias,
        system: { id: connector.system.id },
        params: { ...connector.params, ...news.params },
      });
    }
    return { inputs: news };
  },
  async diff(_id: string, olds: any, news: any) {
    // The least a diff can be: one field. It makes "preview unchanged" a shade cheaper for the floor.
    return { changes: olds.alias !== news.alias };
  },
  async create(inputs: any) {
    const c = await this.call("POST", "/api/v2/connections/issue-tracker/", {
      alias: inputs.alias,
      connector: inputs.connector,
      project: inputs.project,
      frequency: inputs.frequency,
      debug_mode: false,
      params: inputs.params,
    });
    return { id: String(c.id), outs: c };
  },
  async read(id: string) {
    return { id, props: await this.call("GET", `/api/v2/connections/issue-tracker/${id}/?include=last_job`) };
  },
  async update(id: string, _olds: any, news: any) {
    return { outs: await this.call("PATCH", `/api/v2/connections/issue-tracker/${id}/`, { alias: news.alias }) };
  },
  async delete(id: string) {
    await this.call("DELETE", `/api/v2/connections/issue-tracker/${id}/`);
  },
};

/** The host loads the floor from this module; the shim finds it through SDE_BENCH_FLOOR (set on the host). */
export const FLOOR_MODULE = __filename;

// One-line arrows as in src/provider/serialized.ts; the module is loaded in configure, which the host
// calls before anything else.
/** What is serialized for the floor: no larger than the real provider's serialized text. */
export const floorShim: dynamic.ResourceProvider = {
  configure: (r) => ((globalThis as any).f = require(process.env.SDE_BENCH_FLOOR!).floorProvider).configure(r),
  check: (o, n) => (globalThis as any).f.check(o, n),
  diff: (i, o, n) => (globalThis as any).f.diff(i, o, n),
  create: (n) => (globalThis as any).f.create(n),
  read: (i, p) => (globalThis as any).f.read(i, p),
  update: (i, o, n) => (globalThis as any).f.update(i, o, n),
  delete: (i, p) => (globalThis as any).f.delete(i, p),
};
