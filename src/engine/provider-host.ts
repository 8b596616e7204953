import { spawn, type ChildProcess } from "node:child_process";
import { dirname } from "node:path";
import { createInterface } from "node:readline";

/**
 * Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, the program behind the
 * `pulumi-resource-pulumi-nodejs` plugin), started and called over gRPC exactly as the engine does: same
 * command, working directory (the program's, where `node_modules` resolves), environment and requests.
 */

type Bag = Record<string, unknown>;

export interface CheckOutcome {
  inputs: Bag;
  failures: { property: string; reason: string }[];
}
export interface DiffOutcome {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}
export interface ReadOutcome {
  id: string;
  properties: Bag;
  inputs?: Bag | undefined;
}

/**
 * A create or update that failed after making something: the engine keeps the resource under this id, with
 * these outputs and the reasons as its init errors (the host sends them as ErrorResourceInitFailed).
 */
export interface InitFailure {
  id: string;
  properties: Bag;
  reasons: string[];
}

/** An error the host answered with: its message, the gRPC status code, and any partial failure. */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly initFailure?: InitFailure,
  ) {
    super(message);
    this.name = "HostError";
  }
}

// The SDK's own gRPC and protobuf modules, resolved through its directory so the stubs and the messages
// come from the versions it was built with.
const sdkDir = dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromSdk = (id: string) => require(require.resolve(id, { paths: [sdkDir] }));
// The generated protobuf stubs are untyped here: they are used as `any`.
const grpc = fromSdk("@grpc/grpc-js");
const structproto = fromSdk("google-protobuf/google/protobuf/struct_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const emptyproto = fromSdk("google-protobuf/google/protobuf/empty_pb");
const statusproto = require("@pulumi/pulumi/proto/status_pb");

export interface HostOptions {
  /** The program's directory: the host resolves the provider's `require`s from here. */
  cwd: string;
  /** The Pulumi project name (`PULUMI_NODEJS_PROJECT`), for config keys without a namespace. */
  project: string;
  /** Receives each line the host writes to stderr or (after its port) stdout: the engine's diagnostics. */
  onLog?: (line: string) => void;
  /** Extra environment for the host process (e.g. NODE_OPTIONS), over this process's own. */
  env?: NodeJS.ProcessEnv;
}

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    /** What the host printed, in order. */
    readonly log: string[],
  ) {}

  static async start(options: HostOptions): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    const child = spawn(process.execPath, [entry, "127.0.0.1:0"], {
      cwd: options.cwd,
      env: {
        ...process.env,
        ...options.env,
        PULUMI_NODEJS_PROJECT: options.project,
        PULUMI_PROJECT: options.project,
        PULUMI_CONFIG: "{}",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log: string[] = [];
    const record = (line: string) => {
      log.push(line);
      options.onLog?.(line);
    };
    createInterface({ input: child.stderr! }).on("line", record);
    const stdout = createInterface({ input: child.stdout! });
    const port = await new Promise<string>((resolve, reject) => {
      let first = true;
      stdout.on("line", (line) => {
        if (first) {
          first = false;
          resolve(line.trim());
        } else record(line);
      });
      child.once("exit", (code) => reject(new Error(`the dynamic-provider host exited (${code}) before listening: ${log.join(" | ")}`)));
      child.once("error", reject);
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      // __provider travels in every request; the SDK itself allows 400 MiB.
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
    });
    return new ProviderHost(child, client, log);
  }

  /** The host's SDK version (the engine asks first). */
  async pluginInfo(): Promise<string> {
    const info = await this.call<any>("getPluginInfo", new emptyproto.Empty());
    return info.getVersion();
  }

  /** Configure with the whole stack config (namespaced keys, secrets as envelopes), as the engine sends it. */
  async configure(config: Bag): Promise<{ acceptSecrets: boolean }> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(struct(config));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    req.setType("pulumi:providers:pulumi-nodejs");
    const res = await this.call<any>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(urn: string, olds: Bag, news: Bag): Promise<CheckOutcome> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await this.call<any>("check", req);
    return {
      inputs: res.getInputs()?.toJavaScript() ?? {},
      failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Bag, news: Bag, oldInputs: Bag): Promise<DiffOutcome> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const res = await this.call<any>("diff", req);
    const changes = res.getChanges();
    const kinds = provproto.DiffResponse.DiffChanges;
    return {
      changes: changes === kinds.DIFF_SOME ? "some" : changes === kinds.DIFF_NONE ? "none" : "unknown",
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async create(urn: string, properties: Bag): Promise<{ id: string; properties: Bag }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(properties));
    req.setPreview(false);
    const res = await this.call<any>("create", req);
    return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
  }

  async read(urn: string, id: string, properties: Bag, inputs: Bag): Promise<ReadOutcome> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(properties));
    req.setInputs(struct(inputs));
    const res = await this.call<any>("read", req);
    return {
      id: res.getId(),
      properties: res.getProperties()?.toJavaScript() ?? {},
      inputs: res.getInputs()?.toJavaScript(),
    };
  }

  async update(urn: string, id: string, olds: Bag, news: Bag, oldInputs: Bag): Promise<Bag> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    req.setPreview(false);
    const res = await this.call<any>("update", req);
    return res.getProperties()?.toJavaScript() ?? {};
  }

  async delete(urn: string, id: string, properties: Bag, oldInputs: Bag): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(properties));
    req.setOldInputs(struct(oldInputs));
    await this.call<any>("delete", req);
  }

  /** The host process's id (for measuring its memory). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGTERM");
    await exited;
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method](req, (err: { details?: string; message: string; code: number; metadata?: any } | null, res: T) => {
        if (err) reject(new HostError(err.details || err.message, err.code, initFailureOf(err.metadata)));
        else resolve(res);
      });
    });
  }
}

/** The partial failure the host packs into `grpc-status-details-bin`, as the engine reads it. */
function initFailureOf(metadata: any): InitFailure | undefined {
  for (const bytes of metadata?.get?.("grpc-status-details-bin") ?? []) {
    for (const detail of statusproto.Status.deserializeBinary(bytes).getDetailsList()) {
      if (detail.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const failure = provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
      return { id: failure.getId(), properties: failure.getProperties()?.toJavaScript() ?? {}, reasons: failure.getReasonsList() };
    }
  }
  return undefined;
}

function struct(bag: Bag): unknown {
  return structproto.Struct.fromJavaScript(bag);
}
