import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createHmac, type KeyObject } from "node:crypto";
import { connectionsSchema } from "../model/connection-tests-args";
import { testedDigestsSchema } from "../model/tested-digests";
import type { ConnectionInputs } from "../model/inputs";
import { UNKNOWN } from "../model/unknowns";
import type { ConnectionTest } from "./connection-test";
import { checkArguments } from "./preview-check";
import { testedSettingsText } from "./tested-settings";

type Bag = Record<string, unknown>;

/** The one id of a ConnectionTests resource: it stands for no object of the API. */
export const CONNECTION_TESTS_ID = "connection-tests";

/**
 * The provider of the ConnectionTests resource (src/connection-tests.ts): the connection tests of a whole
 * catalogue, run together in its one Check, before the engine's serial Checks of the connections.
 *
 * The engine calls Check one resource at a time (and, by default, Diff within it), so tests awaited in
 * the connections' own Checks run one distinct test after another. Registered first, with every
 * connection's arguments, this resource's Check starts the tests of all connections that are new or
 * whose project or tested settings changed since the last deployment, as wide as the request budget. The
 * verdicts stay in the host's ConnectionTest, so each connection's Check finds its own at once (a failure
 * is still said by that connection's Check, naming it); passes are also remembered for the update's host.
 *
 * What changed is told by the state: Check returns, as this resource's inputs, one keyed digest per
 * connection whose test got a verdict or was not needed (of its name, project and tested settings, under
 * a key from the API token and URL), and the next deployment's Check gets them back as `olds`. So the
 * state holds no name, setting or credential, and an unchanged catalogue tests nothing. A failed verdict
 * is kept too: an unchanged connection whose test fails is not tried again at every preview (the
 * connection's own Check still decides, as without this resource: a new one is tested there, an
 * unchanged existing one is not). Only a test that got no verdict is tried again next time. Diff always says
 * "no change": a SameStep keeps the new inputs (the engine's step.go), so the plan never shows this
 * resource changing, while its digests follow the catalogue.
 */
export class ConnectionTestsProvider implements dynamic.ResourceProvider {
  constructor(
    private readonly tests: () => ConnectionTest,
    /** The digests' key, from the host's settings; undefined without a token (then nothing is kept). */
    private readonly digestKey: () => KeyObject | undefined,
  ) {}

  async check(olds: Bag, news: Bag): Promise<dynamic.CheckResult> {
    const known = new Set(testedDigestsSchema.parse(olds).tested);
    const knownDigests = (): Bag => ({ tested: [...known].sort() });
    // Not known yet (a preview of a catalogue computed from another resource's outputs): nothing to test,
    // and what the state knows is kept.
    if (news.connections === UNKNOWN) return { inputs: knownDigests() };
    // What an Output resolved to, checked by the class's own rule: a list, a string or null is a mistake.
    const parsed = connectionsSchema.safeParse(news.connections);
    if (!parsed.success)
      return {
        inputs: knownDigests(),
        failures: parsed.error.issues.map((issue) => ({ property: ["connections", ...issue.path].join("."), reason: issue.message })),
      };
    const connections = parsed.data;
    const key = this.digestKey();
    const unchanged: string[] = [];
    const toTest: { digest: string | undefined; inputs: ConnectionInputs }[] = [];
    for (const [name, args] of Object.entries(connections)) {
      if (args === null || typeof args !== "object" || Array.isArray(args)) continue;
      // A connection whose arguments are refused or not known yet is left to its own Check.
      const checked = checkArguments(args as Bag);
      if (checked.outcome !== "checked" || !checked.complete?.testConnection) continue;
      const inputs = checked.complete;
      const digest = key && digestOf(key, name, inputs);
      if (digest && known.has(digest)) unchanged.push(digest);
      else toTest.push({ digest, inputs });
    }
    const judged = await this.tests().testAll(toTest.map((t) => t.inputs));
    const tested = toTest.filter((t, i) => judged[i] && t.digest !== undefined).map((t) => t.digest!);
    return { inputs: { tested: [...new Set([...unchanged, ...tested])].sort() } };
  }

  async diff(): Promise<dynamic.DiffResult> {
    return { changes: false };
  }

  async create(): Promise<dynamic.CreateResult> {
    return { id: CONNECTION_TESTS_ID, outs: {} };
  }

  async read(id: string, props?: Bag): Promise<dynamic.ReadResult> {
    return { id, props: props ?? {} };
  }

  async update(): Promise<dynamic.UpdateResult> {
    return { outs: {} };
  }

  /** Nothing to delete: the tests leave nothing behind on the server. */
  async delete(): Promise<void> {}
}

/**
 * One connection's digest: its resource name, its SD Elements project and its tested settings (what a
 * connection's own Check compares with its stored inputs before testing), 128 bits of HMAC-SHA256.
 */
function digestOf(key: KeyObject, name: string, inputs: ConnectionInputs): string {
  return createHmac("sha256", key)
    .update(JSON.stringify([name, inputs.project, testedSettingsText(inputs)]))
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}
