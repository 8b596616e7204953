import * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "node:util";
import { ProviderHost, HostError } from "./provider-host";
import { RecordingMonitor, urnOf, type Registration, type RegistrationResult } from "./recording-monitor";
import { annotateSecrets, makeSecret, markSecretOutputs, stripSecrets } from "./secrets";
import { loadProgram, type Program } from "./program";
import { PROVIDER_KEY } from "../provider/inputs";

/**
 * A small stand-in for the Pulumi engine, for running a program where the Pulumi CLI is not installed:
 * the demo, the tests, and users' CI checks of their own programs. It runs the real program under a
 * recording resource monitor and drives every dynamic resource through @pulumi/pulumi's real
 * dynamic-provider host over gRPC, step for step as the engine does (Check, then Create, or Diff then
 * Update, Replace or Same; Read on refresh; Delete for what the program dropped and on destroy), and keeps a
 * state view with secrets as the engine's envelopes.
 *
 * A create that fails as a partial failure (the provider's error carries an id: ErrorResourceInitFailed)
 * leaves the resource in the state with that id, those outputs and its init errors, as the engine does; the
 * next `up` diffs it, updates it even without changes, and re-checks a replacement with no old inputs.
 *
 * Not emulated: protect, retainOnDelete, ignoreChanges, replaceOnChanges, import, aliases, dependency
 * ordering of deletes, state encryption, pending deletes (the old resource of a replacement whose create
 * failed is dropped, not deleted later). Other (non-dynamic) resources are mocked.
 */

type Bag = Record<string, unknown>;

/** One resource as the state holds it: inputs and outputs in wire form (secrets as envelopes). */
export interface StateResource {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: Bag;
  outputs: Bag;
  additionalSecretOutputs: string[];
  /** A partial failure's reasons: the resource exists in the state but failed to initialise. */
  initErrors?: string[];
}

export type StepOp = "create" | "update" | "replace" | "same" | "delete" | "refresh" | "gone";

export interface Step {
  op: StepOp;
  urn: string;
  name: string;
  /** For update and replace: the properties whose inputs changed. */
  changed?: string[];
}

/** What one operation did (or, in preview, would do). */
export interface StepsResult {
  steps: Step[];
  /** The stack's outputs, wire form. */
  outputs: Bag;
}

/** A failed operation: every error the engine would have shown, and the steps done before it. */
export class DeploymentError extends Error {
  constructor(
    readonly errors: string[],
    readonly steps: Step[],
  ) {
    super(errors.join("\n"));
    this.name = "DeploymentError";
  }
}

export interface LocalEngineOptions {
  program: Program;
  /** Pulumi project name (config without a namespace belongs to it). */
  project: string;
  stack?: string;
  /** Stack config, `namespace:key` → value. */
  config?: Record<string, string>;
  /** Which config keys are secrets (`pulumi config set --secret`). */
  secretKeys?: string[];
  /** The host's working directory: where `require("pulumi-sdelements/provider")` must resolve. */
  hostCwd: string;
  /** Each line the host prints (the engine shows them as diagnostics). */
  onHostLog?: (line: string) => void;
}

const isDynamic = (type: string) => type.startsWith("pulumi-nodejs:dynamic");

export class LocalEngine {
  private readonly resources = new Map<string, StateResource>();
  private registrations: Registration[] = [];
  private host?: ProviderHost;
  private readonly options: LocalEngineOptions & { stack: string; config: Record<string, string>; secretKeys: string[] };

  constructor(options: LocalEngineOptions) {
    this.options = { stack: "dev", config: {}, secretKeys: [], ...options };
  }

  /** The state view: every dynamic resource with inputs and outputs as they would be stored. */
  get state(): StateResource[] {
    return [...this.resources.values()].map((r) => structuredClone(r));
  }

  /** What the program registered in the last preview or up, exactly as it went over the wire. */
  get lastRegistrations(): readonly Registration[] {
    return this.registrations;
  }

  /** What the host of the last operation printed (each operation has its own host). */
  get hostLog(): readonly string[] {
    return this.host?.log ?? [];
  }

  /** Runs the program and reports what an update would do, changing nothing. */
  preview(): Promise<StepsResult> {
    return this.run(true);
  }

  /** Runs the program and applies it. */
  up(): Promise<StepsResult> {
    return this.run(false);
  }

  /** Reads every resource in the state from the provider (Read), updating outputs and inputs. */
  refresh(): Promise<StepsResult> {
    return this.everyResource("refreshing", async (host, r) => {
      const read = await host.read(r.urn, r.id, plain(r.outputs), plain(r.inputs));
      if (!read.id) {
        this.resources.delete(r.urn);
        return { op: "gone", urn: r.urn, name: r.name };
      }
      // As the engine does for a provider that does not accept secrets: what was secret stays secret.
      const outputs = annotateSecrets(read.properties, r.outputs);
      const inputs = read.inputs ? annotateSecrets(read.inputs, r.inputs) : r.inputs;
      const changed = changedKeys(plain(r.outputs), plain(outputs));
      this.resources.set(r.urn, { ...r, id: read.id, outputs, inputs });
      return { op: "refresh", urn: r.urn, name: r.name, changed };
    });
  }

  /** Deletes every resource in the state. */
  destroy(): Promise<StepsResult> {
    return this.everyResource("deleting", async (host, r) => {
      await host.delete(r.urn, r.id, plain(r.outputs), plain(r.inputs));
      this.resources.delete(r.urn);
      return { op: "delete", urn: r.urn, name: r.name };
    });
  }

  /** One operation on every resource in the state, concurrently; all failures reported together. */
  private async everyResource(doing: string, operation: (host: ProviderHost, r: StateResource) => Promise<Step>): Promise<StepsResult> {
    const host = await this.provider();
    const steps: Step[] = [];
    const errors: string[] = [];
    await Promise.all(
      [...this.resources.values()].map(async (r) => {
        try {
          steps.push(await operation(host, r));
        } catch (error) {
          errors.push(`${r.urn}: ${doing} failed: ${messageOf(error)}`);
        }
      }),
    );
    if (errors.length > 0) throw new DeploymentError(errors, steps);
    return { steps, outputs: {} };
  }

  /** Stops the provider host. */
  async close(): Promise<void> {
    await this.host?.stop();
    this.host = undefined;
  }

  /**
   * A fresh host for each operation, as the CLI starts one for every deployment (`preview`, the update
   * of `up`, `refresh`, `destroy`) and configures it once: what a provider keeps in its host process
   * lasts one deployment, here as there.
   */
  private async provider(): Promise<ProviderHost> {
    await this.host?.stop();
    this.host = await ProviderHost.start({ cwd: this.options.hostCwd, project: this.options.project, onLog: this.options.onHostLog });
    await this.host.pluginInfo();
    // The engine sends dynamic providers the whole stack config, secrets as envelopes.
    const config: Bag = {};
    for (const [key, value] of Object.entries(this.options.config)) {
      config[key] = this.options.secretKeys.includes(key) ? makeSecret(value) : value;
    }
    await this.host.configure(config);
    return this.host;
  }

  private async run(preview: boolean): Promise<StepsResult> {
    const host = await this.provider();
    const steps: Step[] = [];
    const errors: string[] = [];
    const registered = new Set<string>();
    const { stack, project } = this.options;

    const register = async (reg: Registration): Promise<RegistrationResult> => {
      const urn = urnOf(stack, project, reg.parent, reg.type, reg.name);
      const prior = this.resources.get(urn);
      const placeholder = { urn, id: prior?.id ?? "", object: prior?.outputs ?? reg.object };
      // As the engine does: two resources with one URN would share one state entry and one connection.
      if (registered.has(urn)) {
        errors.push(`${urn}: duplicate resource URN: another resource has the name "${reg.name}" and the same type chain (its parents' types and its own); give each a unique name`);
        return placeholder;
      }
      registered.add(urn);
      // After a failure the real engine stops starting new steps; so does this one.
      if (errors.length > 0 && !preview) return placeholder;
      try {
        const checked = await host.check(urn, prior ? plain(prior.inputs) : {}, plain(reg.object));
        if (checked.failures.length > 0) {
          errors.push(...checked.failures.map((f) => `${urn}: ${f.property ? `property ${f.property}: ` : ""}${f.reason}`));
          return placeholder;
        }
        const inputs = annotateSecrets(checked.inputs, reg.object);
        const secretOutputs = reg.additionalSecretOutputs;
        // The engine keeps what a partially failed create made, with its init errors.
        const createOrKeep = async (creating: Bag) => {
          try {
            return await host.create(urn, plain(creating));
          } catch (error) {
            const partial = error instanceof HostError ? error.initFailure : undefined;
            if (partial) {
              const outputs = markSecretOutputs(annotateSecrets(partial.properties, creating), secretOutputs);
              this.resources.set(urn, { urn, type: reg.type, name: reg.name, id: partial.id, inputs: creating, outputs, additionalSecretOutputs: secretOutputs, initErrors: partial.reasons });
            }
            throw error;
          }
        };
        if (!prior) {
          steps.push({ op: "create", urn, name: reg.name });
          if (preview) return { urn, id: "", object: inputs };
          const created = await createOrKeep(inputs);
          const outputs = markSecretOutputs(annotateSecrets(created.properties, inputs), secretOutputs);
          this.resources.set(urn, { urn, type: reg.type, name: reg.name, id: created.id, inputs, outputs, additionalSecretOutputs: secretOutputs });
          return { urn, id: created.id, object: outputs };
        }
        const diff = await host.diff(urn, prior.id, plain(prior.outputs), plain(inputs), plain(prior.inputs));
        const changed = changedKeys(plain(prior.inputs), plain(inputs));
        // A resource with init errors is updated even when nothing changed, as the engine does.
        const same = !prior.initErrors && (diff.changes === "none" || (diff.changes === "unknown" && changed.length === 0));
        if (same) {
          steps.push({ op: "same", urn, name: reg.name });
          if (!preview) this.resources.set(urn, { ...prior, inputs, additionalSecretOutputs: secretOutputs });
          return { urn, id: prior.id, object: prior.outputs };
        }
        if (diff.replaces.length > 0) {
          steps.push({ op: "replace", urn, name: reg.name, changed: diff.replaces });
          if (preview) return { urn, id: prior.id, object: inputs };
          // The replacement is checked again with no old inputs (its defaults are its own), as the engine does.
          const rechecked = await host.check(urn, {}, plain(reg.object));
          if (rechecked.failures.length > 0) {
            errors.push(...rechecked.failures.map((f) => `${urn}: ${f.property ? `property ${f.property}: ` : ""}${f.reason}`));
            return placeholder;
          }
          const replacement = annotateSecrets(rechecked.inputs, reg.object);
          if (diff.deleteBeforeReplace) await host.delete(urn, prior.id, plain(prior.outputs), plain(prior.inputs));
          const created = await createOrKeep(replacement);
          const outputs = markSecretOutputs(annotateSecrets(created.properties, replacement), secretOutputs);
          if (!diff.deleteBeforeReplace) await host.delete(urn, prior.id, plain(prior.outputs), plain(prior.inputs));
          this.resources.set(urn, { urn, type: reg.type, name: reg.name, id: created.id, inputs: replacement, outputs, additionalSecretOutputs: secretOutputs });
          return { urn, id: created.id, object: outputs };
        }
        steps.push({ op: "update", urn, name: reg.name, changed });
        if (preview) return { urn, id: prior.id, object: { ...prior.outputs, ...inputs } };
        const updated = await host.update(urn, prior.id, plain(prior.outputs), plain(inputs), plain(prior.inputs));
        const outputs = markSecretOutputs(annotateSecrets(updated, inputs), secretOutputs);
        this.resources.set(urn, { urn, type: reg.type, name: reg.name, id: prior.id, inputs, outputs, additionalSecretOutputs: secretOutputs });
        return { urn, id: prior.id, object: outputs };
      } catch (error) {
        errors.push(`${urn}: ${messageOf(error)}`);
        return placeholder;
      }
    };

    const monitor = new RecordingMonitor(isDynamic, register);
    this.registrations = monitor.registrations;
    const outputs = await runProgram(monitor, this.options, preview);

    // A program that failed declared an unknown part of the stack: as the engine does, nothing it did not
    // declare is deleted then. Otherwise, what the program no longer declares is deleted.
    if (outputs.error) errors.push(`the program failed: ${outputs.error}`);
    const undeclared = outputs.error ? [] : [...this.resources.values()].filter((r) => !registered.has(r.urn));
    for (const r of undeclared) {
      steps.push({ op: "delete", urn: r.urn, name: r.name });
      if (preview || errors.length > 0) continue;
      try {
        await host.delete(r.urn, r.id, plain(r.outputs), plain(r.inputs));
        this.resources.delete(r.urn);
      } catch (error) {
        errors.push(`${r.urn}: deleting failed: ${messageOf(error)}`);
      }
    }
    if (errors.length > 0) throw new DeploymentError(errors, steps);
    return { steps, outputs: monitor.stackOutputs };
  }
}

/** Runs the program under the monitor; resolves once every registration it started is answered. */
async function runProgram(
  monitor: RecordingMonitor,
  options: LocalEngineOptions & { stack: string; config: Record<string, string>; secretKeys: string[] },
  preview: boolean,
): Promise<{ error?: string }> {
  pulumi.runtime.setMockOptions(monitor, options.project, options.stack, preview);
  // setMockOptions resets the runtime's feature flags; without secrets support the SDK would send secrets
  // to the monitor as plain values (pulumi.runtime.setMocks restores them the same way).
  const store = require("@pulumi/pulumi/runtime/state").getStore();
  Object.assign(store, {
    supportsSecrets: true,
    supportsResourceReferences: true,
    supportsOutputValues: false,
    supportsDeletedWith: true,
    supportsAliasSpecs: true,
    supportsTransforms: true,
    supportsInvokeTransforms: true,
  });
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);
  // A program that throws also rejects promises the SDK holds (the stack resource's) that nobody awaits;
  // the language host catches those as Pulumi's `run` does, and so does this engine while the program runs,
  // or Node would end the process over an error already reported.
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => void stray.push(reason);
  process.on("unhandledRejection", onStray);
  try {
    await pulumi.runtime.runInPulumiStack(() => loadProgram(options.program));
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    return stray.length > 0 ? { error: messageOf(stray[0]) } : {};
  } catch (error) {
    return { error: messageOf(error) };
  } finally {
    // Unhandled rejections are reported after the microtasks of the turn that made them.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onStray);
  }
}

/** Secret envelopes removed: what the engine hands a provider that does not accept secrets. */
function plain(bag: Bag): Bag {
  return stripSecrets(bag) as Bag;
}

/** Top-level keys whose values differ (the engine's own diff of inputs, used when a provider has none). */
function changedKeys(olds: Bag, news: Bag): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  keys.delete(PROVIDER_KEY);
  return [...keys].filter((k) => !isDeepStrictEqual(olds[k], news[k])).sort();
}

function messageOf(error: unknown): string {
  if (error instanceof HostError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

