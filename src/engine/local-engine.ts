import * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "node:util";
import { ProviderHost, HostError } from "./provider-host";
import { RecordingMonitor, urnOf, type ReadRequest, type Registration, type RegistrationResult } from "./recording-monitor";
import { otherProviderMessage, readMessage, remoteComponentMessage } from "./unsupported";
import { annotateSecrets, makeSecret, markSecretOutputs, stripSecrets } from "./secrets";
import { loadProgram, type Program } from "./program";
import { StateFile } from "./state-file";
import { parallelOf, stepLimits, type PaceOptions } from "./step-limits";
import { PROVIDER_KEY } from "../model/inputs";

/**
 * A small stand-in for the Pulumi engine, for running a program where the Pulumi CLI is not installed:
 * the demo, the tests, and users' CI checks of their own programs. It runs the real program under a
 * recording resource monitor and drives every dynamic resource through @pulumi/pulumi's real
 * dynamic-provider host over gRPC, step for step as the engine does (Check, then Create, or Diff then
 * Update, Replace or Same; Read on refresh; Delete for what the program dropped and on destroy), and keeps a
 * state view with secrets as the engine's envelopes (on disk too, secrets encrypted, with `stateDir`).
 *
 * As the engine does, it honours `protect` (a protected resource is neither deleted nor replaced: the run
 * fails with the CLI's message and deletes nothing) and `retainOnDelete` (the resource leaves the state,
 * the provider's Delete is not called), keeps the stack and components in the state, and refuses what it
 * cannot serve (unsupported.ts): custom resources of any other provider (there is none to run them here),
 * remote components, and reads of existing resources (`.get`, the `id` option, StackReference).
 *
 * A create that fails as a partial failure (the provider's error carries an id: ErrorResourceInitFailed)
 * leaves the resource in the state with that id, those outputs and its init errors, as the engine does; the
 * next `up` diffs it, updates it even without changes, and re-checks a replacement with no old inputs.
 *
 * It paces the provider calls as the engine does (step-limits.ts): Check strictly one at a time in
 * registration order, though registrations arrive concurrently, and Diff with it (a resource's Diff holds
 * up the next Check) unless `parallelDiff` (PULUMI_PARALLEL_DIFF) makes Diffs steps of their own, `parallel`
 * at once; Create, Update, Delete and Read (refresh and destroy too) at most `parallel` at once
 * (PULUMI_PARALLEL, else 4 × CPUs). A provider that is slow in Check or Diff is slow here exactly as there.
 *
 * `up` is a preview deployment, then the update, each with a fresh provider host, as `pulumi up` runs them
 * (`skipPreview`, as `--skip-preview`, runs the update alone); the program runs once in each, with
 * `pulumi.runtime.isDryRun()` true in the preview. The preview's events are held back: a preview that
 * fails reports them (its errors among them) and the update does not run; one that passes shows nothing,
 * and the events are the update's, as before. Only its progress is passed on as it happens (`previewing`,
 * one per custom resource as its Check is queued), since those Checks run the connection tests, which
 * against a slow or wrong URL take long: the CLI shows progress during `up`'s preview too.
 *
 * Not emulated: ignoreChanges, replaceOnChanges, import, aliases, deletedWith, dependency ordering of
 * deletes, refresh before update, pending deletes (the old resource of a replacement whose create failed is
 * dropped, not deleted later).
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
  /** The parent's URN ("" for the stack). */
  parent: string;
  protect: boolean;
  retainOnDelete: boolean;
  /** A partial failure's reasons: the resource exists in the state but failed to initialise. */
  initErrors?: string[];
}

/** What the state holds: the custom resources, and the stack and components (custom false, no id). */
type StoredResource = StateResource & { custom: boolean };

export type StepOp = "create" | "update" | "replace" | "same" | "delete" | "refresh" | "gone";

export interface Step {
  op: StepOp;
  urn: string;
  name: string;
  /** The resource's type token, as the program registered it. */
  type: string;
  /** False for the stack and components, which no provider acts on. */
  custom: boolean;
  /** The parent's URN ("" for the stack). */
  parent: string;
  /** For update and replace: the properties whose inputs changed; for refresh, whose outputs did. */
  changed?: string[];
  /**
   * What the step compares, wire form (secrets as envelopes), without `__provider`: inputs before and after
   * (create: only after; delete: only before); for refresh, the outputs before and after.
   */
  olds?: Bag;
  news?: Bag;
  /** A delete (or a replace's delete) that leaves the resource in place: `retainOnDelete`. */
  retain?: boolean;
}

/**
 * What happens while an operation runs, in order, as the Pulumi engine reports it to the CLI's display: a
 * custom resource's registration arrives (`check`: its Check, and in preview the connection test, is queued), a
 * step starts (`pre`; in preview, is planned) and ends (`done`) or fails (`failed`), and diagnostics: every
 * error once, under its resource (`urn`), and what the provider host printed (no `urn`), after the operation.
 */
export type EngineEvent =
  | { kind: "check"; urn: string; type: string; name: string; parent: string }
  /** The `check` of `up`'s preview, passed on as it happens while the rest of that preview is held back. */
  | { kind: "previewing"; urn: string; type: string; name: string; parent: string }
  | { kind: "pre" | "done" | "failed"; step: Step }
  | { kind: "diagnostic"; urn?: string; severity: "error" | "warning" | "info"; message: string };

/** What one operation did (or, in preview, would do). */
export interface StepsResult {
  /** The custom resources' steps (the stack's and components' are in the events). */
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
  /** The program: a function, or a directory (a TypeScript one needs ts-node registered: see the README). */
  program: Program;
  /** Pulumi project name (config without a namespace belongs to it). */
  project: string;
  /** Default "dev". */
  stack?: string;
  /** Stack config, `namespace:key` → value. */
  config?: Record<string, string>;
  /** Which config keys are secrets (`pulumi config set --secret`). */
  secretKeys?: string[];
  /**
   * The host's working directory: where `require("pulumi-sdelements/provider")` must resolve, so a
   * directory whose node_modules holds this package (the program's own, as the CLI uses).
   */
  hostCwd: string;
  /**
   * Keep the stack here between engines (runs), as a local backend does: `state.json` (secrets encrypted)
   * and `secrets.key`. Loaded when the engine is made, saved after every up, refresh and destroy. Default:
   * in memory only.
   */
  stateDir?: string;
  /** Each line the host prints, as it comes. */
  onHostLog?: (line: string) => void;
  /** Each event of an operation, as it happens (see {@link EngineEvent}). */
  onEvent?: (event: EngineEvent) => void;
  /** Create, Update, Delete and Read steps at once (`pulumi up --parallel`); default PULUMI_PARALLEL, else 4 × CPUs. */
  parallel?: PaceOptions["parallel"];
  /** Diff as many at once as `parallel`, as PULUMI_PARALLEL_DIFF does; default: one at a time (unless that variable is "true"). */
  parallelDiff?: PaceOptions["parallelDiff"];
}

/** How `up` runs. */
export interface UpOptions {
  /** The update alone, without the preview deployment before it (`pulumi up --skip-preview`). */
  skipPreview?: boolean;
}

const isDynamic = (type: string) => type.startsWith("pulumi-nodejs:dynamic");
const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The CLI's messages for a protected resource an operation would delete (pkg/resource/deploy/step.go,
 * `deleteProtectedError`, the URN quoted for a POSIX shell) or replace (step_generator.go), word for word.
 */
export const protectedDeleteMessage = (urn: string) =>
  `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn}'\``;
export const protectedReplaceMessage = (urn: string) =>
  `unable to replace resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``;

/** One operation's errors, each under its resource (none for the program's own failure). */
class Failures {
  readonly list: { urn?: string | undefined; message: string }[] = [];
  /** The messages the host answered with: it printed them too, and those lines are not shown again. */
  readonly fromHost: string[] = [];

  constructor(
    private readonly emit: (event: EngineEvent) => void,
    private readonly stackUrn: string,
  ) {}

  get any(): boolean {
    return this.list.length > 0;
  }

  add(urn: string | undefined, message: string): void {
    this.list.push({ urn, message });
    this.emit({ kind: "diagnostic", urn: urn ?? this.stackUrn, severity: "error", message });
  }

  /** A provider call that failed: the host's message, with what was being done when it is not an operation of the step itself. */
  addError(urn: string, error: unknown, doing?: string): void {
    if (error instanceof HostError) this.fromHost.push(error.message);
    this.add(urn, doing ? `${doing} failed: ${messageOf(error)}` : messageOf(error));
  }

  error(steps: Step[]): DeploymentError {
    return new DeploymentError(
      this.list.map((f) => (f.urn ? `${f.urn}: ${f.message}` : f.message)),
      steps,
    );
  }
}

export class LocalEngine {
  /** The state: every resource, in the order the state keeps them (registration order). */
  private readonly resources = new Map<string, StoredResource>();
  private registrations: Registration[] = [];
  private host?: ProviderHost;
  /** The events of `up`'s preview, held back until it is known whether they are to be shown. */
  private heldEvents?: EngineEvent[];
  private readonly stateFile?: StateFile;
  private readonly options: LocalEngineOptions & { stack: string; config: Record<string, string>; secretKeys: string[] };

  constructor(options: LocalEngineOptions) {
    this.options = { stack: "dev", config: {}, secretKeys: [], ...options };
    // A bad `parallel` is said now, not at the first operation.
    parallelOf(options);
    if (options.stateDir !== undefined) {
      this.stateFile = new StateFile(options.stateDir);
      for (const r of this.stateFile.load<StoredResource>(this.options.project, this.options.stack)) this.resources.set(r.urn, r);
    }
  }

  /** The state view: every custom resource with inputs and outputs as they would be stored. */
  get state(): StateResource[] {
    return [...this.resources.values()].filter((r) => r.custom).map(({ custom: _custom, ...r }) => structuredClone(r));
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

  /** A preview deployment, then the update (each with its own host), as `pulumi up` runs them. */
  async up(options: UpOptions = {}): Promise<StepsResult> {
    if (!options.skipPreview) await this.previewBeforeUpdate();
    return this.saving(() => this.run(false));
  }

  /** Reads every resource in the state from the provider (Read), updating outputs and inputs. */
  refresh(): Promise<StepsResult> {
    return this.saving(() =>
      this.everyResource("refreshing", async (host, r, step) => {
        const read = await host.read(r.urn, r.id, plain(r.outputs), plain(r.inputs));
        if (!read.id) {
          this.resources.delete(r.urn);
          return { ...step, op: "gone", olds: withoutProvider(r.outputs) };
        }
        // As the engine does for a provider that does not accept secrets: what was secret stays secret.
        const outputs = annotateSecrets(read.properties, r.outputs);
        const inputs = read.inputs ? annotateSecrets(read.inputs, r.inputs) : r.inputs;
        const changed = changedKeys(plain(r.outputs), plain(outputs));
        this.resources.set(r.urn, { ...r, id: read.id, outputs, inputs });
        return { ...step, op: "refresh", changed, olds: withoutProvider(r.outputs), news: withoutProvider(outputs) };
      }),
    );
  }

  /** Deletes every resource in the state (none if any is protected; a retained one only leaves the state). */
  destroy(): Promise<StepsResult> {
    return this.saving(async () => {
      const failures = this.failures();
      for (const r of this.resources.values()) if (r.protect) failures.add(r.urn, protectedDeleteMessage(r.urn));
      if (failures.any) throw failures.error([]);
      const result = await this.everyResource("deleting", async (host, r, step) => {
        if (!r.retainOnDelete) await host.delete(r.urn, r.id, plain(r.outputs), plain(r.inputs));
        this.resources.delete(r.urn);
        return { ...step, op: "delete", olds: withoutProvider(r.inputs), ...(r.retainOnDelete ? { retain: true } : {}) };
      });
      // The stack and components go once their children have, the innermost first.
      for (const r of [...this.resources.values()].reverse()) {
        const step = stepOf(r, "delete");
        this.emit({ kind: "pre", step });
        this.resources.delete(r.urn);
        this.emit({ kind: "done", step });
      }
      return result;
    });
  }

  /** Stops the provider host. */
  async close(): Promise<void> {
    await this.host?.stop();
    this.host = undefined;
  }

  private emit(event: EngineEvent): void {
    if (!this.heldEvents) return this.options.onEvent?.(event);
    this.heldEvents.push(event);
    // Held or not, the user sees that up's preview is under way, resource by resource.
    if (event.kind === "check") this.options.onEvent?.({ ...event, kind: "previewing" });
  }

  /** `up`'s preview: silent if it passes; if it fails, its events are shown and its error thrown. */
  private async previewBeforeUpdate(): Promise<void> {
    const held: EngineEvent[] = [];
    this.heldEvents = held;
    try {
      await this.run(true);
    } catch (error) {
      this.heldEvents = undefined;
      for (const event of held) this.emit(event);
      throw error;
    } finally {
      this.heldEvents = undefined;
    }
  }

  private failures(): Failures {
    const { stack, project } = this.options;
    return new Failures((e) => this.emit(e), urnOf(stack, project, undefined, STACK_TYPE, `${project}-${stack}`));
  }

  /** An operation that changes the state: saved afterwards, whether it succeeded or not. */
  private async saving<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } finally {
      this.stateFile?.save(this.options.project, this.options.stack, [...this.resources.values()]);
    }
  }

  /**
   * One operation on every custom resource in the state, `parallel` at once; all failures reported
   * together. The stack and components are unchanged by it (shown as such).
   */
  private async everyResource(
    doing: string,
    operation: (host: ProviderHost, r: StoredResource, step: Step) => Promise<Step>,
  ): Promise<StepsResult> {
    const host = await this.provider();
    const limits = stepLimits(this.options);
    const steps: Step[] = [];
    const failures = this.failures();
    await Promise.all(
      [...this.resources.values()].map(async (r) => {
        const planned = stepOf(r, doing === "deleting" ? "delete" : "refresh");
        if (!r.custom) {
          if (doing === "refreshing") this.emitUnchanged(stepOf(r, "same"));
          return;
        }
        try {
          const step = await limits.steps.run(() => {
            this.emit({ kind: "pre", step: planned });
            return operation(host, r, planned);
          });
          steps.push(step);
          this.emit({ kind: "done", step });
        } catch (error) {
          this.emit({ kind: "failed", step: planned });
          failures.addError(r.urn, error, doing);
        }
      }),
    );
    await this.reportHostLog(host, failures);
    if (failures.any) throw failures.error(steps);
    return { steps, outputs: {} };
  }

  /**
   * The state in registration order (then what the program no longer declares but is still there): steps
   * run `parallel` at once end in any order, and the state's order must not depend on that.
   */
  private inRegistrationOrder(registered: Iterable<string>): void {
    const before = new Map(this.resources);
    this.resources.clear();
    for (const urn of registered) {
      const r = before.get(urn);
      if (!r) continue;
      this.resources.set(urn, r);
      before.delete(urn);
    }
    for (const [urn, r] of before) this.resources.set(urn, r);
  }

  private emitUnchanged(step: Step): void {
    this.emit({ kind: "pre", step });
    this.emit({ kind: "done", step });
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

  /**
   * What the host printed during the operation, as diagnostics: the host prints every error it answers with
   * (`Error: <message>: <stack>`), which is already reported under its resource, so those copies go.
   */
  private async reportHostLog(host: ProviderHost, failures: Failures): Promise<void> {
    // Lines the host wrote before it answered may still be in the pipe: let them in.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    for (const line of withoutRepeatedErrors(host.log, failures.fromHost)) {
      const warning = /^warning: /.exec(line);
      this.emit({
        kind: "diagnostic",
        severity: warning ? "warning" : /^error: /.test(line) ? "error" : "info",
        message: warning ? line.slice(warning[0].length) : line,
      });
    }
  }

  private async run(preview: boolean): Promise<StepsResult> {
    const host = await this.provider();
    const limits = stepLimits(this.options);
    const steps: Step[] = [];
    const failures = this.failures();
    const registered = new Set<string>();
    const { stack, project } = this.options;

    const register = async (reg: Registration): Promise<RegistrationResult | undefined> => {
      const urn = urnOf(stack, project, reg.parent, reg.type, reg.name);
      const prior = this.resources.get(urn);
      const placeholder = { urn, id: prior?.id ?? "", object: prior?.outputs ?? reg.object };
      // As the engine does: two resources with one URN would share one state entry and one connection.
      if (registered.has(urn)) {
        failures.add(
          urn,
          `duplicate resource URN: another resource has the name "${reg.name}" and the same type chain (its parents' types and its own); give each a unique name`,
        );
        return reg.custom ? placeholder : undefined;
      }
      registered.add(urn);
      const base = {
        urn,
        type: reg.type,
        name: reg.name,
        parent: reg.parent,
        protect: reg.protect,
        retainOnDelete: reg.retainOnDelete,
        additionalSecretOutputs: reg.additionalSecretOutputs,
      };
      if (!reg.custom && reg.remote) {
        failures.add(urn, remoteComponentMessage(reg.type));
        return undefined;
      }
      if (!reg.custom) {
        // The stack and components: in the state, with nothing for a provider to do.
        const step: Step = { op: prior ? "same" : "create", urn, name: reg.name, type: reg.type, custom: false, parent: reg.parent };
        this.emitUnchanged(step);
        if (!preview) this.resources.set(urn, { ...base, custom: false, id: "", inputs: {}, outputs: {} });
        return undefined;
      }
      if (!isDynamic(reg.type)) {
        failures.add(urn, otherProviderMessage(reg.type));
        return undefined;
      }
      this.emit({ kind: "check", urn, type: reg.type, name: reg.name, parent: reg.parent });
      // After a failure the real engine stops starting new steps; so does this one.
      if (failures.any && !preview) return placeholder;
      const stepBase = { urn, name: reg.name, type: reg.type, custom: true, parent: reg.parent };
      let started: Step | undefined;
      const start = (step: Step) => {
        started = step;
        if (!preview) steps.push(step);
        this.emit({ kind: "pre", step });
      };
      const finish = (result: RegistrationResult): RegistrationResult => {
        if (preview && started) steps.push(started);
        if (started) this.emit({ kind: "done", step: started });
        return result;
      };
      try {
        const diffOf = (old: StoredResource, inputs: Bag) => host.diff(urn, old.id, plain(old.outputs), plain(inputs), plain(old.inputs));
        // Queued now, in registration order (nothing in `register` before this awaits). Without
        // parallelDiff the Diff is part of the registration's step generation, as in the engine.
        const generated = await limits.generation.run(async () => {
          const checked = await host.check(urn, prior ? plain(prior.inputs) : {}, plain(reg.object));
          if (checked.failures.length > 0 || limits.diff || !prior) return { checked };
          return { checked, diff: await diffOf(prior, checked.inputs) };
        });
        const checked = generated.checked;
        if (checked.failures.length > 0) {
          for (const f of checked.failures) failures.add(urn, `${f.property ? `property ${f.property}: ` : ""}${f.reason}`);
          return placeholder;
        }
        const inputs = annotateSecrets(checked.inputs, reg.object);
        const secretOutputs = reg.additionalSecretOutputs;
        const stored = (id: string, outputs: Bag, as: Bag = inputs): StoredResource => ({ ...base, custom: true, id, inputs: as, outputs });
        // The engine keeps what a partially failed create made, with its init errors.
        const createOrKeep = async (creating: Bag) => {
          try {
            return await limits.steps.run(() => host.create(urn, plain(creating)));
          } catch (error) {
            const partial = error instanceof HostError ? error.initFailure : undefined;
            if (partial) {
              const outputs = markSecretOutputs(annotateSecrets(partial.properties, creating), secretOutputs);
              this.resources.set(urn, { ...stored(partial.id, outputs, creating), initErrors: partial.reasons });
            }
            throw error;
          }
        };
        if (!prior) {
          start({ ...stepBase, op: "create", news: withoutProvider(inputs) });
          if (preview) return finish({ urn, id: "", object: inputs });
          const created = await createOrKeep(inputs);
          const outputs = markSecretOutputs(annotateSecrets(created.properties, inputs), secretOutputs);
          this.resources.set(urn, stored(created.id, outputs));
          return finish({ urn, id: created.id, object: outputs });
        }
        const diff = generated.diff ?? (await (limits.diff ?? limits.generation).run(() => diffOf(prior, inputs)));
        const changed = changedKeys(plain(prior.inputs), plain(inputs));
        // A resource with init errors is updated even when nothing changed, as the engine does.
        const same = !prior.initErrors && (diff.changes === "none" || (diff.changes === "unknown" && changed.length === 0));
        const compared = { olds: withoutProvider(prior.inputs), news: withoutProvider(inputs) };
        if (same) {
          start({ ...stepBase, op: "same" });
          if (!preview) this.resources.set(urn, { ...prior, ...base, inputs });
          return finish({ urn, id: prior.id, object: prior.outputs });
        }
        if (diff.replaces.length > 0) {
          // As the engine's step generator: only protected both before and now. Setting protect with the
          // change that replaces, or removing it with that change, lets the replacement go ahead.
          if (reg.protect && prior.protect) {
            failures.add(urn, protectedReplaceMessage(urn));
            return placeholder;
          }
          start({ ...stepBase, op: "replace", changed: diff.replaces, ...compared, ...(reg.retainOnDelete ? { retain: true } : {}) });
          if (preview) return finish({ urn, id: prior.id, object: inputs });
          // The replacement is checked again with no old inputs (its defaults are its own), as the engine does.
          const rechecked = await limits.generation.run(() => host.check(urn, {}, plain(reg.object)));
          if (rechecked.failures.length > 0) {
            for (const f of rechecked.failures) failures.add(urn, `${f.property ? `property ${f.property}: ` : ""}${f.reason}`);
            return placeholder;
          }
          const replacement = annotateSecrets(rechecked.inputs, reg.object);
          const removeOld = () =>
            reg.retainOnDelete
              ? Promise.resolve()
              : limits.steps.run(() => host.delete(urn, prior.id, plain(prior.outputs), plain(prior.inputs)));
          if (diff.deleteBeforeReplace) await removeOld();
          const created = await createOrKeep(replacement);
          const outputs = markSecretOutputs(annotateSecrets(created.properties, replacement), secretOutputs);
          if (!diff.deleteBeforeReplace) await removeOld();
          this.resources.set(urn, stored(created.id, outputs, replacement));
          return finish({ urn, id: created.id, object: outputs });
        }
        start({ ...stepBase, op: "update", changed, ...compared });
        if (preview) return finish({ urn, id: prior.id, object: { ...prior.outputs, ...inputs } });
        const updated = await limits.steps.run(() => host.update(urn, prior.id, plain(prior.outputs), plain(inputs), plain(prior.inputs)));
        const outputs = markSecretOutputs(annotateSecrets(updated, inputs), secretOutputs);
        this.resources.set(urn, stored(prior.id, outputs));
        return finish({ urn, id: prior.id, object: outputs });
      } catch (error) {
        if (started) this.emit({ kind: "failed", step: started });
        failures.addError(urn, error);
        return placeholder;
      }
    };

    const read = (req: ReadRequest): string => {
      const urn = urnOf(stack, project, req.parent, req.type, req.name);
      failures.add(urn, readMessage(req.type, isDynamic(req.type)));
      return urn;
    };

    const monitor = new RecordingMonitor(register, read);
    this.registrations = monitor.registrations;
    const outputs = await runProgram(monitor, this.options, preview);

    // A program that failed declared an unknown part of the stack: as the engine does, nothing it did not
    // declare is deleted then. Otherwise, what the program no longer declares is deleted, children first;
    // if any of it is protected, the update fails with nothing deleted.
    if (outputs.error) failures.add(undefined, `the program failed: ${outputs.error}`);
    const undeclared = outputs.error ? [] : [...this.resources.values()].filter((r) => !registered.has(r.urn)).reverse();
    for (const r of undeclared) if (r.protect) failures.add(r.urn, protectedDeleteMessage(r.urn));
    for (const r of undeclared.sort((a, b) => Number(b.custom) - Number(a.custom))) {
      if (!preview && failures.any) break;
      const step: Step = { ...stepOf(r, "delete"), olds: withoutProvider(r.inputs), ...(r.retainOnDelete ? { retain: true } : {}) };
      if (step.custom) steps.push(step);
      this.emit({ kind: "pre", step });
      if (preview) {
        this.emit({ kind: "done", step });
        continue;
      }
      try {
        if (r.custom && !r.retainOnDelete) await host.delete(r.urn, r.id, plain(r.outputs), plain(r.inputs));
        this.resources.delete(r.urn);
        this.emit({ kind: "done", step });
      } catch (error) {
        this.emit({ kind: "failed", step });
        failures.addError(r.urn, error, "deleting");
      }
    }
    if (!preview) this.inRegistrationOrder(registered);
    await this.reportHostLog(host, failures);
    if (failures.any) throw failures.error(steps);
    return { steps, outputs: monitor.stackOutputs };
  }
}

/** A step of `op` for a resource in the state. */
function stepOf(r: StoredResource, op: StepOp): Step {
  return { op, urn: r.urn, name: r.name, type: r.type, custom: r.custom, parent: r.parent };
}

/** Inputs or outputs as a step shows them: without the serialized provider, which is not the user's. */
function withoutProvider(bag: Bag): Bag {
  const { [PROVIDER_KEY]: _provider, ...rest } = bag;
  return rest;
}

/**
 * The host's lines without its copies of `messages`: for each, the line `<Error>: <message>: <stack>` the
 * host prints (the stack of this package's errors is their message; another error's frames stay).
 */
function withoutRepeatedErrors(lines: readonly string[], messages: readonly string[]): string[] {
  let text = lines.join("\n");
  for (const message of messages) {
    const m = message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    text = text.replace(new RegExp(`(^|\\n)\\w*: ${m}: (\\w*: )?${m}`), "$1");
  }
  return text.split("\n").filter((line) => line.trim() !== "");
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
