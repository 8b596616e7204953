import { readFileSync } from "node:fs";
import { ProviderHost } from "../engine/provider-host";
import type { Variant } from "./variant";
import { declared, renamed, type Phase } from "./workload";

type Bag = Record<string, unknown>;

/**
 * A serialized provider driven through @pulumi/pulumi's own dynamic-provider host over gRPC, request for
 * request as the engine drives it: Check then Create; Diff for an unchanged resource; Check, Diff and
 * Update for a change; Read on refresh; Delete.
 */
export async function hostVariant(
  name: "host" | "floor",
  providerText: string,
  options: { url: string; token: string; cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Variant & { peakRssMb(): number }> {
  const host = await ProviderHost.start({ cwd: options.cwd, project: "bench", env: options.env });
  await host.pluginInfo();
  // The same requests as the floor's, and nothing the floor does not do: one GET per read (a refresh's
  // shared listing is the scale scenario's), and no file of passed tests (every test here is distinct, so
  // over a run that file holds thousands of entries and is rewritten at each pass; a catalogue's distinct
  // tests are few, and the scale scenario measures what remembering them saves).
  // And as many requests in flight as the floor's (its agent has 32 connections and no budget): the
  // default budget of 8 would hold ours to 8 of concurrency 16's operations, a deliberate gentleness the
  // scale scenario measures, not an overhead of the provider's code.
  await host.configure({
    "sdelements:url": options.url,
    "sdelements:apiToken": options.token,
    "sdelements:bulkReads": "false",
    "sdelements:rememberTests": "false",
    "sdelements:maxConcurrentRequests": "32",
  });
  const state = new Map<string, { id: string; inputs: Bag; outs: Bag }>();
  const urn = (run: string, i: number) => `urn:pulumi:bench::bench::pulumi-nodejs:dynamic/sdelements:IssueTrackerConnection::${run}-${i}`;
  return {
    name,
    async op(phase: Phase, run: string, i: number) {
      const key = `${run}/${i}`;
      const u = urn(run, i);
      const s = state.get(key);
      switch (phase) {
        case "check+create": {
          const checked = await host.check(u, {}, { ...declared(run, i), __provider: providerText });
          if (checked.failures.length > 0) throw new Error(`${u}: ${JSON.stringify(checked.failures)}`);
          const created = await host.create(u, checked.inputs);
          state.set(key, { id: created.id, inputs: checked.inputs, outs: created.properties });
          return;
        }
        case "preview unchanged": {
          const checked = await host.check(u, s!.inputs, { ...declared(run, i), __provider: providerText });
          const diff = await host.diff(u, s!.id, s!.outs, checked.inputs, s!.inputs);
          if (diff.changes !== "none") throw new Error(`${u}: unexpected difference`);
          return;
        }
        case "update": {
          const checked = await host.check(u, s!.inputs, { ...declared(run, i), alias: renamed(run, i), __provider: providerText });
          await host.diff(u, s!.id, s!.outs, checked.inputs, s!.inputs);
          const outs = await host.update(u, s!.id, s!.outs, checked.inputs, s!.inputs);
          state.set(key, { id: s!.id, inputs: checked.inputs, outs });
          return;
        }
        case "read":
          await host.read(u, s!.id, s!.outs, s!.inputs);
          return;
        case "delete":
          await host.delete(u, s!.id, s!.outs, s!.inputs);
          state.delete(key);
          return;
      }
    },
    peakRssMb() {
      const status = readFileSync(`/proc/${host.pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    close: () => host.stop(),
  };
}
