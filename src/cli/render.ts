import { isDeepStrictEqual } from "node:util";
import { isSecret } from "../engine/secrets";
import type { EngineEvent, Step, StepOp } from "../engine/local-engine";

/**
 * What the Pulumi CLI prints for an operation, from the engine's events (pure functions, so they are tested
 * against recorded events): a progress line per step as it starts, then the resource tree under the
 * `pulumi:pulumi:Stack` root in registration order (or, with `--diff`, each change property by property),
 * the diagnostics (each error once, under its resource), the outputs, the summary and, for an update, its
 * duration.
 */

type Bag = Record<string, unknown>;

export type OperationKind = "preview" | "update" | "refresh" | "destroy";

export interface RenderOptions {
  kind: OperationKind;
  /** ANSI colours (a terminal that has not asked for NO_COLOR). */
  color: boolean;
  /** `--diff`: every change property by property instead of the table. */
  diff: boolean;
  /** The stack's URN: the root of the tree. */
  stackUrn: string;
}

/** Whether output to `stream` gets colour: a terminal, and NO_COLOR (https://no-color.org) not set. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}

const SYMBOL: Record<Kind, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };
const PLAN: Record<Kind, string> = { create: "create", update: "update", replace: "replace", delete: "delete", same: "" };
const DONE: Record<Kind, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "" };
const DOING: Record<Kind, string> = { create: "creating", update: "updating", replace: "replacing", delete: "deleting", same: "reading" };
const COLOR: Record<Kind, number> = { create: 32, update: 33, replace: 35, delete: 31, same: 0 };

/** What a step is, as the CLI shows it: a refresh is an update when the resource drifted, else unchanged. */
type Kind = "create" | "update" | "replace" | "delete" | "same";
function kindOf(step: Step): Kind {
  const kinds: Record<StepOp, Kind> = {
    create: "create",
    update: "update",
    replace: "replace",
    delete: "delete",
    gone: "delete",
    same: "same",
    refresh: "same",
  };
  return step.op === "refresh" && (step.changed?.length ?? 0) > 0 ? "update" : kinds[step.op];
}

const paint = (on: boolean, code: number, text: string) => (on && code !== 0 && text !== "" ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * The line for an event while the operation runs, if it gets one: a custom resource whose Check starts
 * (in a preview, the connection test; in `up`'s preview, whose other events are held back, `previewing`),
 * and each step that starts work against the provider.
 */
export function progressLine(event: EngineEvent, options: RenderOptions): string | undefined {
  if (event.kind === "check") return `    ${event.type} ${event.name} checking...`;
  if (event.kind === "previewing") return `    ${event.type} ${event.name} previewing...`;
  if (event.kind !== "pre" || !event.step.custom || options.kind === "preview") return undefined;
  const kind = kindOf(event.step);
  if (kind === "same" && event.step.op !== "refresh") return undefined;
  const symbol = event.step.op === "refresh" ? " " : SYMBOL[kind];
  return ` ${paint(options.color, COLOR[kind], symbol.padEnd(2))} ${event.step.type} ${event.step.name} ${event.step.op === "refresh" ? "refreshing" : DOING[kind]}...`;
}

interface Diagnostic {
  severity: "error" | "warning" | "info";
  message: string;
}

interface Node {
  urn: string;
  type: string;
  name: string;
  parent: string;
  step?: Step;
  done: boolean;
  failed: boolean;
  diagnostics: Diagnostic[];
  children: Node[];
}

/**
 * The resources of the events, each with its latest step and its diagnostics, in order of first appearance,
 * under the stack (`stackUrn`), which also gets the diagnostics that name no resource (the host's output).
 */
function resourceTree(events: readonly EngineEvent[], stackUrn: string): { roots: Node[]; nodes: Node[] } {
  const byUrn = new Map<string, Node>();
  const node = (urn: string, type?: string, name?: string, parent?: string): Node => {
    let n = byUrn.get(urn);
    if (!n) {
      // A URN is urn:pulumi:STACK::PROJECT::TYPE-CHAIN::NAME; the type is the chain's last.
      const parts = urn.split("::");
      n = {
        urn,
        type: type ?? parts[2]?.split("$").pop() ?? urn,
        name: name ?? parts[3] ?? urn,
        parent: parent ?? "",
        done: false,
        failed: false,
        diagnostics: [],
        children: [],
      };
      byUrn.set(urn, n);
    }
    if (parent !== undefined) n.parent = parent;
    return n;
  };
  const loose: Diagnostic[] = [];
  for (const event of events) {
    // Progress of up's preview: the table is the update's (a failed preview's own events follow).
    if (event.kind === "previewing") continue;
    if (event.kind === "check") node(event.urn, event.type, event.name, event.parent);
    else if (event.kind === "diagnostic")
      (event.urn ? node(event.urn).diagnostics : loose).push({ severity: event.severity, message: event.message });
    else {
      const n = node(event.step.urn, event.step.type, event.step.name, event.step.parent);
      n.step = event.step;
      n.done = event.kind === "done";
      n.failed = event.kind === "failed";
    }
  }
  const root = node(stackUrn);
  root.diagnostics.unshift(...loose);
  const nodes = [...byUrn.values()];
  const roots: Node[] = [];
  for (const n of nodes) {
    const parent = n === root ? undefined : (byUrn.get(n.parent) ?? root);
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return { roots, nodes };
}

/** A node is shown when it changes, failed, has something to say, or holds one that does; the stack always. */
function shown(n: Node): boolean {
  const changes = n.step !== undefined && kindOf(n.step) !== "same";
  return n.type === "pulumi:pulumi:Stack" || changes || n.failed || n.diagnostics.length > 0 || n.children.some(shown);
}

function statusOf(n: Node, options: RenderOptions, runFailed: boolean): string {
  if (n.type === "pulumi:pulumi:Stack" && runFailed && options.kind !== "preview") return "**failed**";
  if (!n.step) return "";
  const kind = kindOf(n.step);
  if (n.failed) return `**${n.step.op === "refresh" ? "refreshing" : DOING[kind]} failed**`;
  const text = options.kind === "preview" ? PLAN[kind] : n.done ? DONE[kind] : "";
  return n.step.retain && text !== "" ? `${text}[retain]` : text;
}

function countLabel(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function infoOf(n: Node, options: RenderOptions): string {
  const parts: string[] = [];
  const step = n.step;
  if (step && (step.op === "update" || step.op === "replace" || step.op === "refresh") && (step.changed?.length ?? 0) > 0) {
    parts.push(`[diff: ~${step.changed!.join(",")}]`);
  }
  const adopted = step?.op === "create" ? step.news?.adoptId : undefined;
  if (typeof adopted === "number")
    parts.push(options.kind === "preview" ? `[adopts connection ${adopted}]` : `[adopted connection ${adopted}]`);
  for (const severity of ["error", "warning", "info"] as const) {
    const count = n.diagnostics.filter((d) => d.severity === severity).length;
    if (count > 0) parts.push(countLabel(count, severity === "info" ? "message" : severity));
  }
  return parts.join(" ");
}

/** The resource table, as the CLI draws it: `Type  Name  Plan|Status  Info`, children under their parents. */
function table(roots: readonly Node[], options: RenderOptions, runFailed: boolean): string[] {
  const rows: { symbol: string; color: number; type: string; name: string; status: string; info: string }[] = [];
  const walk = (n: Node, prefix: string, branch: string) => {
    const kind = n.step ? kindOf(n.step) : "same";
    rows.push({
      symbol: SYMBOL[kind],
      color: COLOR[kind],
      type: `${prefix}${branch}${n.type}`,
      name: n.name,
      status: statusOf(n, options, runFailed),
      info: infoOf(n, options),
    });
    const children = n.children.filter(shown);
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      walk(child, branch === "" ? prefix : `${prefix}${branch === "└─ " ? "   " : "│  "}`, last ? "└─ " : "├─ ");
    });
  };
  for (const root of roots.filter(shown)) walk(root, "", "");
  if (rows.length === 0) return [];
  const typeWidth = Math.max(4, ...rows.map((r) => r.type.length));
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const statusWidth = Math.max(6, ...rows.map((r) => r.status.length));
  const heading = options.kind === "preview" ? "Plan" : "Status";
  const withInfo = rows.some((r) => r.info !== "");
  const line = (symbol: string, color: number, type: string, name: string, status: string, info: string) =>
    ` ${paint(options.color, color, symbol.padEnd(3))} ${type.padEnd(typeWidth)}  ${name.padEnd(nameWidth)}  ${paint(options.color, color, status.padEnd(withInfo ? statusWidth : 0))}${withInfo && info ? `  ${info}` : ""}`.trimEnd();
  return [
    line("", 0, "Type", "Name", heading, withInfo ? "Info" : ""),
    ...rows.map((r) => line(r.symbol, r.color, r.type, r.name, r.status, r.info)),
  ];
}

/** A value as the CLI shows it: secrets as [secret], preview unknowns as output<string>. */
export function showValue(value: unknown): string {
  if (isSecret(value)) return "[secret]";
  if (value === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") return "output<string>";
  if (Array.isArray(value)) return `[${value.map(showValue).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${showValue(v)}`)
      .join(", ")} }`;
  return JSON.stringify(value);
}

const isObject = (v: unknown): v is Bag => v !== null && typeof v === "object" && !Array.isArray(v) && !isSecret(v);

/** Property lines of a diff (`+ key: value`, `- key: value`, `~ key: old => new`), objects key by key. */
function propertyDiff(olds: Bag | undefined, news: Bag | undefined, indent: string, color: boolean): string[] {
  const lines: string[] = [];
  const keys = [...new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})])]
    .filter((key) => !(olds !== undefined && news !== undefined && key in olds && key in news && isDeepStrictEqual(olds[key], news[key])))
    .sort();
  const width = Math.max(0, ...keys.map((k) => k.length));
  for (const key of keys) {
    const has = { old: olds !== undefined && key in olds, new: news !== undefined && key in news };
    const before = olds?.[key];
    const after = news?.[key];
    const label = key.padEnd(width);
    if (has.old && has.new && isObject(before) && isObject(after)) {
      lines.push(`${indent}${paint(color, 33, "~")} ${label}: {`, ...propertyDiff(before, after, `${indent}    `, color), `${indent}  }`);
    } else if (has.old && has.new) {
      lines.push(`${indent}${paint(color, 33, "~")} ${label}: ${showValue(before)} => ${showValue(after)}`);
    } else if (has.new) {
      lines.push(`${indent}${paint(color, 32, "+")} ${label}: ${showValue(after)}`);
    } else {
      lines.push(`${indent}${paint(color, 31, "-")} ${label}: ${showValue(before)}`);
    }
  }
  return lines;
}

/** `--diff`: each resource as `<sym> <type>: (<op>)` with its URN and, for a change, its properties. */
function detailedDiff(roots: readonly Node[], options: RenderOptions, runFailed: boolean): string[] {
  const lines: string[] = [];
  const walk = (n: Node, depth: number) => {
    const kind = n.step ? kindOf(n.step) : "same";
    const indent = "    ".repeat(depth);
    const status = statusOf(n, options, runFailed) || "same";
    lines.push(
      `${indent}${paint(options.color, COLOR[kind], SYMBOL[kind].trim() === "" ? " " : SYMBOL[kind])} ${n.type}: (${status})`,
      `${indent}    [urn=${n.urn}]`,
    );
    const step = n.step;
    if (step && kind !== "same")
      lines.push(
        ...propertyDiff(
          kind === "create" ? undefined : step.olds,
          kind === "delete" ? undefined : step.news,
          `${indent}    `,
          options.color,
        ),
      );
    for (const child of n.children.filter(shown)) walk(child, depth + 1);
  };
  for (const root of roots.filter(shown)) walk(root, 0);
  return lines.map((l) => `  ${l}`.trimEnd());
}

/** Diagnostics, the stack's first: each error once, under the resource it belongs to. */
function diagnostics(nodes: readonly Node[], options: RenderOptions): string[] {
  const withAny = [...nodes]
    .filter((n) => n.diagnostics.length > 0)
    .sort((a, b) => Number(b.type === "pulumi:pulumi:Stack") - Number(a.type === "pulumi:pulumi:Stack"));
  if (withAny.length === 0) return [];
  const lines = ["Diagnostics:"];
  for (const n of withAny) {
    lines.push(`  ${n.type} (${n.name}):`);
    for (const d of n.diagnostics) {
      const [first, ...rest] = d.message.trimEnd().split("\n");
      const prefix = d.severity === "info" ? "" : `${paint(options.color, d.severity === "error" ? 31 : 33, `${d.severity}:`)} `;
      lines.push(`    ${prefix}${first}`, ...rest.map((l) => `    ${l}`));
    }
    lines.push("");
  }
  return lines;
}

/** The Resources summary: `+ 3 to create` / `+ 3 created`, ..., then what stayed as it was. */
function summary(nodes: readonly Node[], options: RenderOptions): string[] {
  const counts = new Map<Kind, number>();
  for (const n of nodes) {
    if (!n.step || !n.done) continue;
    const kind = kindOf(n.step);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const lines = ["Resources:"];
  const changes: Kind[] = (["create", "update", "replace", "delete"] as const).filter((k) => counts.has(k));
  for (const kind of changes) {
    const n = counts.get(kind)!;
    const label = options.kind === "preview" ? `to ${PLAN[kind]}` : DONE[kind];
    lines.push(`    ${paint(options.color, COLOR[kind], SYMBOL[kind] === "+-" ? "+-" : `${SYMBOL[kind]} `)}${n} ${label}`);
  }
  const unchanged = counts.get("same") ?? 0;
  const total = changes.reduce((sum, k) => sum + counts.get(k)!, 0);
  if (changes.length > 1) lines.push(`    ${countLabel(total, "change")}${unchanged > 0 ? `. ${unchanged} unchanged` : ""}`);
  else if (unchanged > 0) lines.push(`    ${unchanged} unchanged`);
  return lines;
}

/** Outputs as the CLI shows them, names aligned: `    name: value`. */
export function renderOutputs(outputs: Bag): string[] {
  const keys = Object.keys(outputs).sort();
  if (keys.length === 0) return [];
  const width = Math.max(...keys.map((k) => k.length));
  return ["Outputs:", ...keys.map((k) => `    ${k.padEnd(width)}: ${showValue(outputs[k])}`), ""];
}

/** `Duration: 3s`, `Duration: 1m5s`, as the CLI rounds it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

export interface OperationResult {
  /** Every event of the operation, in order. */
  events: readonly EngineEvent[];
  /** The stack's outputs (preview and update), wire form. */
  outputs?: Bag | undefined;
  /** Whether the operation failed (the stack gets "<operation> failed"). */
  failed: boolean;
  /** How long it took (shown for an update, refresh and destroy; never for a preview). */
  durationMs?: number | undefined;
}

/** Everything printed once an operation has ended. */
export function renderOperation(result: OperationResult, options: RenderOptions): string[] {
  const events: EngineEvent[] = [...result.events];
  if (result.failed) events.push({ kind: "diagnostic", urn: options.stackUrn, severity: "error", message: `${options.kind} failed` });
  const { roots, nodes } = resourceTree(events, options.stackUrn);
  const lines = [...(options.diff ? detailedDiff(roots, options, result.failed) : table(roots, options, result.failed)), ""];
  lines.push(...diagnostics(nodes, options));
  if (result.outputs && !result.failed && (options.kind === "preview" || options.kind === "update"))
    lines.push(...renderOutputs(result.outputs));
  lines.push(...summary(nodes, options), "");
  if (options.kind !== "preview" && result.durationMs !== undefined) lines.push(`Duration: ${formatDuration(result.durationMs)}`, "");
  return lines;
}
