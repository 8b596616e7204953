import { SdeClient } from "../client/client";
import { clientSource } from "../provider/client-source";
import { ConnectionProvider } from "../provider/connection-provider";
import type { Variant } from "./variant";
import { declared, renamed, type Phase } from "./workload";

type Bag = Record<string, unknown>;

/** The provider's own methods called in-process, in the order the engine calls them for each step. */
export function inProcessVariant(url: string, token: string): Variant {
  // As many requests in flight as raw's (bare undici, no budget): see host.ts.
  const client = new SdeClient({ url, token, maxConcurrentRequests: 32 }, {});
  const provider = new ConnectionProvider(
    clientSource(
      () => client,
      () => undefined,
    ),
    // One GET per read, as the other variants measure a read; bulk reads are a refresh's, not an op's.
    { bulkReads: false },
  );
  const state = new Map<string, { id: string; inputs: Bag; outs: Bag }>();
  return {
    name: "in-process",
    async op(phase: Phase, run: string, i: number) {
      const key = `${run}/${i}`;
      const s = state.get(key);
      switch (phase) {
        case "check+create": {
          const inputs = (await provider.check({}, declared(run, i))).inputs as Bag;
          const created = await provider.create(inputs);
          state.set(key, { id: created.id, inputs, outs: created.outs as Bag });
          return;
        }
        case "preview unchanged": {
          const news = (await provider.check(s!.inputs, declared(run, i))).inputs as Bag;
          const diff = await provider.diff(s!.id, s!.outs, news);
          if (diff.changes) throw new Error(`unexpected difference for ${key}`);
          return;
        }
        case "update": {
          const news = (await provider.check(s!.inputs, { ...declared(run, i), alias: renamed(run, i) })).inputs as Bag;
          await provider.diff(s!.id, s!.outs, news);
          const updated = await provider.update(s!.id, s!.outs, news);
          state.set(key, { id: s!.id, inputs: news, outs: updated.outs as Bag });
          return;
        }
        case "read":
          await provider.read(s!.id, s!.outs);
          return;
        case "delete":
          await provider.delete(s!.id, s!.outs);
          state.delete(key);
          return;
      }
    },
    close: () => client.close(),
  };
}
