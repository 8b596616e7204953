import { isSecret } from "../engine/secrets";
import type { Step, StepOp } from "../engine/local-engine";

/**
 * What the Pulumi CLI would print for a step list and stack outputs, in its layout: one line per resource
 * with its operation, a summary, and outputs with secrets shown as [secret].
 */
const SYMBOL: Record<StepOp, string> = { create: "+", update: "~", replace: "+-", same: " ", delete: "-", refresh: "~", gone: "-" };
const PAST: Record<StepOp, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  same: "unchanged",
  delete: "deleted",
  refresh: "refreshed",
  gone: "gone (deleted outside Pulumi; removed from the state)",
};
const FUTURE: Record<StepOp, string> = { ...PAST, create: "create", update: "update", replace: "replace", same: "", delete: "delete" };

export function renderSteps(steps: readonly Step[], preview: boolean, type = "pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection"): string[] {
  const sorted = [...steps].sort((a, b) => a.name.localeCompare(b.name));
  const width = Math.max(4, ...sorted.map((s) => s.name.length));
  const lines = [`     ${"Type".padEnd(type.length)}  ${"Name".padEnd(width)}  ${preview ? "Plan" : "Status"}`];
  for (const step of sorted) {
    const what = preview ? FUTURE[step.op] : PAST[step.op];
    const changed = step.changed && step.changed.length > 0 ? ` [diff: ${step.changed.join(", ")}]` : "";
    lines.push(` ${SYMBOL[step.op].padEnd(3)} ${type}  ${step.name.padEnd(width)}  ${what}${changed}`.trimEnd());
  }
  lines.push("", "Resources:");
  const counts = new Map<StepOp, number>();
  for (const step of steps) counts.set(step.op, (counts.get(step.op) ?? 0) + 1);
  for (const [op, n] of counts) {
    const label = op === "same" ? "unchanged" : preview ? `to ${FUTURE[op]}` : PAST[op];
    lines.push(`    ${SYMBOL[op].trim() || " "} ${n} ${label}`);
  }
  if (steps.length === 0) lines.push("    (none)");
  return lines;
}

/** Stack outputs as the CLI shows them: secrets as [secret], unknowns as "output<string>". */
export function renderOutputs(outputs: Record<string, unknown>): string[] {
  const keys = Object.keys(outputs).sort();
  if (keys.length === 0) return [];
  const width = Math.max(...keys.map((k) => k.length));
  return ["Outputs:", ...keys.map((k) => `    ${`${k}:`.padEnd(width + 1)} ${show(outputs[k])}`)];
}

function show(value: unknown): string {
  if (isSecret(value)) return "[secret]";
  if (value === "04da6b54-80e4-46f7-96ec-b56ff0331ba9") return "output<string>";
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}
