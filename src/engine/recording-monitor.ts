import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { getProject, getStack } from "@pulumi/pulumi/runtime/settings";

/**
 * What a program sent to register one resource, exactly as it went over the wire: inputs with nested
 * secret envelopes and preview unknowns, and the resource options the engine acts on.
 */
export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  /** Inputs as the wire Struct holds them (secrets as envelopes, unknowns as the sentinel string). */
  object: Record<string, unknown>;
  additionalSecretOutputs: string[];
  parent: string;
  /** The `protect` and `retainOnDelete` resource options (a child inherits its parent's protect in the SDK). */
  protect: boolean;
  retainOnDelete: boolean;
  /** A component its provider constructs (a multi-language component), not the program. */
  remote: boolean;
}

/** What a program sent to read an existing resource: `Resource.get(...)`, the `id` option, a StackReference. */
export interface ReadRequest {
  type: string;
  name: string;
  parent: string;
  id: string;
}

/** The engine's answer to a registration. */
export interface RegistrationResult {
  urn: string;
  id: string;
  object: Record<string, unknown>;
}

// The monitor's protobuf messages are untyped in the SDK's d.ts: they are used as `any`.
const sdkStruct = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require("node:path").dirname(require.resolve("@pulumi/pulumi/package.json"))],
  }),
);
const resproto = require("@pulumi/pulumi/proto/resource_pb");

/**
 * A resource monitor for running a real program without the Pulumi CLI. It sees each full
 * RegisterResourceRequest (plain mocks only get hoisted inputs and no options) and hands every
 * registration to `onRegister`, which answers it or (undefined) leaves it to the mock: the stack, components,
 * and resources the engine refuses. Reads go to `onRead`, which reports them (the engine serves none) and
 * gives their URN; the read is answered as failed, so the program goes on with unknown outputs rather
 * than the mock's made-up ones.
 */
export class RecordingMonitor extends MockMonitor {
  readonly registrations: Registration[] = [];
  /** The stack's outputs, wire form, once the program has returned them. */
  stackOutputs: Record<string, unknown> = {};

  constructor(
    private readonly onRegister: (registration: Registration) => Promise<RegistrationResult | undefined>,
    private readonly onRead: (read: ReadRequest) => string,
  ) {
    super({
      newResource: (args) => ({ id: args.custom ? `${args.name}-id` : undefined, state: args.inputs }),
      call: (args) => {
        throw new Error(`this local engine runs no provider functions (${args.token})`);
      },
    });
    // URNs of the resources this monitor mocks (the stack, components) with the whole parent type chain,
    // as the engine builds them (the SDK's mock keeps only the parent's last type), so the URNs of their
    // children are the engine's too. The SDK declares newUrn private; an own property replaces it.
    Object.assign(this, { newUrn: (parent: string, type: string, name: string) => urnOf(getStack(), getProject(), parent, type, name) });
  }

  override async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
    const registration: Registration = {
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      object: req.getObject()?.toJavaScript() ?? {},
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      parent: req.getParent(),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      remote: req.getRemote() ?? false,
    };
    this.registrations.push(registration);
    try {
      const result = await this.onRegister(registration);
      if (!result) return super.registerResource(req, callback);
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(result.urn);
      response.setId(result.id);
      response.setObject(sdkStruct.Struct.fromJavaScript(result.object));
      callback(null, response);
    } catch (err) {
      callback(err, undefined);
    }
  }

  override async readResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
    try {
      const urn = this.onRead({ type: req.getType(), name: req.getName(), parent: req.getParent(), id: req.getId() });
      const response = new resproto.ReadResourceResponse();
      response.setUrn(urn);
      response.setResult(resproto.Result.FAIL);
      callback(null, response);
    } catch (err) {
      callback(err, undefined);
    }
  }

  override registerResourceOutputs(req: any, callback: (err: any, response: any) => void): void {
    // Components register outputs too; only the stack's are the stack's outputs.
    if (String(req.getUrn()).split("::")[2] === "pulumi:pulumi:Stack") this.stackOutputs = req.getOutputs()?.toJavaScript() ?? {};
    try {
      super.registerResourceOutputs(req, callback);
    } catch {
      callback(null, {});
    }
  }
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * A resource's URN as the engine builds it: its type is its parents' type chain (the stack left out), then
 * `$` and its own, so children of different components may share a name.
 */
export function urnOf(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
  const parentType = parent ? (parent.split("::")[2] ?? "") : "";
  const chain = parentType.split("$").filter((t) => t !== "" && t !== STACK_TYPE);
  return `urn:pulumi:${stack}::${project}::${chain.length > 0 ? `${chain.join("$")}$${type}` : type}::${name}`;
}
