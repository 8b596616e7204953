import type * as dynamic from "@pulumi/pulumi/dynamic";
import { noSuch, SKIP_TEST } from "../client/messages";
import { createHmac, createSecretKey, randomBytes } from "node:crypto";
import type { ConnectionTestOutcome } from "../client/endpoints/connections";
import { isSdeApiError } from "../client/errors";
import { PROVIDER_KEY, type ConnectionInputs } from "../model/inputs";
import { credentialValues } from "../model/state";
import { fieldErrorEntries } from "../schema/api-error";
import { inheritedConnectorParams, type Connector } from "../schema/connector";
import { MANUAL_FREQUENCY } from "../schema/frequency";
import { connectionParamsSchema, type ParamValue } from "../schema/params";
import type { ClientSource } from "./client-source";
import { failure } from "./errors";
import { NOT_REMEMBERED, type PassedTests } from "./remembered-tests";
import { sameTestedSettings, testedSettingsText } from "./tested-settings";

type Bag = Record<string, unknown>;
type SentParams = Record<string, string | number | boolean>;

/** A test's answer: the API's verdict (failures, none if it passed), or the error that kept it from one. */
type Outcome = { failures: dynamic.CheckFailure[] } | { error: unknown };

/**
 * This process's keys for settings: an HMAC under a key made at start and never kept, so a map of them
 * holds nothing from which a password could be guessed offline, even in a heap dump.
 */
// A KeyObject, made once: given a Buffer, createHmac imports the key again each call (about six times
// the cost of the hash itself, paid by every Check and Diff).
const PROCESS_KEY = createSecretKey(randomBytes(32));
const keyOf = (text: string) => createHmac("sha256", PROCESS_KEY).update(text).digest("hex");

/**
 * The preview's connection test: for a new connection, or one whose connector, project or params changed,
 * the API tries the settings against the tracker, so a wrong server, credential or tracker project fails
 * the preview rather than the update. Three calls (the connector, an adopted connection's own params, the
 * test), each in its own `try`: a failure is said about the argument whose call failed.
 *
 * The engine calls Check one resource at a time, so a test awaited in Check makes a large change wait for
 * every test in turn. So: one test per distinct tracker settings (testedSettingsText), shared by every
 * connection with those settings, whether asked at once or later in this process; a pass remembered
 * between the preview's host and the update's (`passed`: remembered-tests.ts); and for an existing
 * connection, the test started in Check and its verdict collected in Diff, so its Check returns at once
 * (with PULUMI_PARALLEL_DIFF the engine then awaits many Diffs at once). A new connection has no Diff:
 * its test stays in Check.
 */
export class ConnectionTest {
  /** Tests of this process by settings key: one request for all who ask. Errors are forgotten, verdicts kept. */
  private readonly outcomes = new Map<string, Promise<Outcome>>();
  /** Tests Check started for an existing connection, for its Diff to collect, by connection and settings. */
  private readonly forDiff = new Map<string, { outcome: Promise<Outcome>; waiting: number }>();

  constructor(
    private readonly source: ClientSource,
    /** Where passes are remembered beyond this process: asked each time, as the host's settings may change. */
    private readonly passed: () => PassedTests = () => NOT_REMEMBERED,
  ) {}

  /**
   * Check's part, for checked inputs (`olds`: the stored ones): the failures known now. For a new
   * connection that is the test's; for an existing one the test is only started, for {@link collect}.
   */
  async failures(olds: Bag, inputs: ConnectionInputs): Promise<dynamic.CheckFailure[]> {
    const remote = await this.manualOnRemoteConnector(olds, inputs);
    if (remote) return [remote];
    const isNew = Object.keys(olds).every((key) => key === PROVIDER_KEY);
    if (!isNew && sameTestedSettings(olds, inputs)) return [];
    const settings = testedSettingsText(inputs);
    if (this.passed().has(settings)) return [];
    const outcome = this.outcome(settings, inputs);
    if (isNew) return this.verdict(inputs, await outcome);
    const key = forDiffKey(inputs, settings);
    const started = this.forDiff.get(key);
    if (started) started.waiting++;
    else this.forDiff.set(key, { outcome, waiting: 1 });
    return [];
  }

  /**
   * Diff's part: the failures of the test Check started for this existing connection (its checked inputs,
   * as Diff gets them), or none if Check started none.
   */
  async collect(inputs: Bag): Promise<dynamic.CheckFailure[]> {
    // Most Diffs have no test to collect (nothing tested changed): no key to make for them.
    if (this.forDiff.size === 0) return [];
    const key = forDiffKey(inputs, testedSettingsText(inputs));
    const started = this.forDiff.get(key);
    if (!started) return [];
    if (--started.waiting === 0) this.forDiff.delete(key);
    return this.verdict(inputs, await started.outcome);
  }

  /**
   * The tests of many connections at once (connection-tests.ts runs them, ahead of the connections' own
   * serial Checks): one per distinct settings, as wide as the request budget lets them run. Their verdicts
   * stay in this process, so each connection's Check then finds its own at once, a failure included (said
   * by that Check, about that connection). Resolves, for each connection, whether its settings got a
   * verdict (passed, or failed with the API's reasons); never rejects (a test that got no verdict, the API
   * down or a timeout, is asked again by the connection's own Check).
   */
  async testAll(connections: readonly ConnectionInputs[]): Promise<boolean[]> {
    return Promise.all(
      connections.map(async (inputs) => {
        const settings = testedSettingsText(inputs);
        return this.passed().has(settings) || "failures" in (await this.outcome(settings, inputs));
      }),
    );
  }

  /** The test of these settings: the one under way or done in this process, or a new one. */
  private outcome(settings: string, inputs: ConnectionInputs): Promise<Outcome> {
    const key = keyOf(settings);
    let outcome = this.outcomes.get(key);
    if (!outcome) {
      outcome = this.run(inputs).then(
        (failures) => {
          if (failures.length === 0) this.passed().remember(settings);
          return { failures };
        },
        (error: unknown) => {
          // A test that got no verdict (the API down, a timeout) is asked again by the next connection.
          this.outcomes.delete(key);
          return { error };
        },
      );
      this.outcomes.set(key, outcome);
    }
    return outcome;
  }

  /**
   * A test's outcome for one connection: the failures, or its error said about this connection. Only its
   * alias and credentials are read, so Diff's inputs (checked, but not parsed again) serve as they are.
   */
  private verdict(inputs: Readonly<Bag>, outcome: Outcome): dynamic.CheckFailure[] {
    if ("failures" in outcome) return outcome.failures;
    throw failure(`testing connection "${String(inputs.alias)}"`, outcome.error, credentialValues(inputs));
  }

  /**
   * "manually" is unavailable to connections on an inaccessible (remote) connector, and it is the default
   * frequency: said in the preview rather than by the server's 400 in the update. Asked with the
   * connection test on (with testConnection: false the check makes no call), whenever the connection is
   * new or its connector or frequency changed, whether or not the test itself runs again. The connector
   * comes from the run's cache; one that cannot be read is left to the test.
   */
  private async manualOnRemoteConnector(olds: Bag, inputs: ConnectionInputs): Promise<dynamic.CheckFailure | undefined> {
    if (inputs.frequency !== MANUAL_FREQUENCY) return undefined;
    if (olds.connector === inputs.connector && olds.frequency === inputs.frequency) return undefined;
    const connector = await this.source.connectorOf(inputs.connector).catch(() => undefined);
    if (!connector?.inaccessible) return undefined;
    return {
      property: "frequency",
      reason: `"manually" (the default) is not available on connector ${inputs.connector}, which is inaccessible (a remote connector, synced by the Remote Integration Client): set frequency to a schedule, e.g. "daily"`,
    };
  }

  /** The test itself, for every connection with these settings; an error it throws {@link verdict} says. */
  private async run(inputs: ConnectionInputs): Promise<dynamic.CheckFailure[]> {
    let connector: Connector;
    try {
      connector = await this.source.connectorOf(inputs.connector);
    } catch (error) {
      if (isSdeApiError(error) && error.status === 404) {
        return [
          {
            property: "connector",
            reason: `${noSuch(`issue-tracker connector with id ${inputs.connector}`)}: use the id of a connector from SD Elements → Integrations`,
          },
        ];
      }
      if (isSdeApiError(error) && error.status === 403) {
        return [
          {
            property: "connector",
            reason: `this API token may not read connector ${inputs.connector} (403), so the connection cannot be tested: use a token that can, or ${SKIP_TEST}`,
          },
        ];
      }
      throw error;
    }
    // An adopted connection keeps its own params where the program sets none (its own password, say):
    // test those, not the connector's.
    let adopted: SentParams | undefined;
    if (inputs.adoptId !== undefined) {
      try {
        adopted = await this.adoptedParams(inputs.adoptId);
      } catch (error) {
        if (isSdeApiError(error) && error.status === 404) {
          return [
            {
              property: "adoptId",
              reason: `${noSuch(`connection ${inputs.adoptId}`)}: check adoptId, or remove it to create a new connection`,
            },
          ];
        }
        throw error;
      }
    }
    // A failure of the test call itself (the API down, a 401) is not a verdict: it propagates to verdict().
    const outcome: ConnectionTestOutcome = await this.source.client().connections.test({
      connector: inputs.connector,
      project: inputs.project,
      alias: inputs.alias,
      // The endpoint's field table requires the connector's name; its example sends the alias instead.
      name: connector.name,
      system: { id: connector.system.id },
      // The connection's params over its connector's: the test then works whether or not the server
      // fills in the connector's itself (the API page's example spells out server and credentials).
      params: { ...(adopted ?? inheritedFrom(connector)), ...inputs.params },
    });
    if (outcome.success) return [];
    const fields = outcome.fieldErrors ? fieldErrorEntries(outcome.fieldErrors) : [];
    if (fields.length > 0) return fields.map((f) => ({ property: f.path, reason: `${f.message} (the API's connection test)` }));
    const why = outcome.message.replace(/\.+$/, "");
    return [{ property: "params", reason: `the connection test failed: ${why}. Fix the params, or ${SKIP_TEST}` }];
  }

  /** The params an existing connection runs with, as the test may send them; undefined if hidden. */
  private async adoptedParams(id: number): Promise<SentParams | undefined> {
    const existing = await this.source.client().connections.get(id);
    return existing.params === undefined ? undefined : acceptedParams(existing.params);
  }
}

/**
 * Params from the server (a connector's, an adopted connection's) as a connection test may send them: only
 * those that pass the request's schema, each on its own. Data this package would refuse (an old title
 * format, an empty server, the server's own keys) must not fail the test of a connection that does not
 * set it; the server fills such values in itself anyway.
 */
function acceptedParams(params: Readonly<Record<string, ParamValue>>): SentParams {
  return Object.fromEntries(
    Object.entries(params).filter(
      (entry): entry is [string, string | number | boolean] =>
        entry[1] !== null && connectionParamsSchema.safeParse({ [entry[0]]: entry[1] }).success,
    ),
  );
}

/** A connector's params as its connections inherit them, accepted; once per connector object (a run looks each up once). */
const inheritedCache = new WeakMap<Connector, SentParams>();
function inheritedFrom(connector: Connector): SentParams {
  let inherited = inheritedCache.get(connector);
  if (!inherited) {
    inherited = acceptedParams(inheritedConnectorParams(connector.params ?? {}));
    inheritedCache.set(connector, inherited);
  }
  return inherited;
}

/** One connection (its project and alias) with these settings: what its Check and its Diff both know. */
function forDiffKey(inputs: Bag, settings: string): string {
  return keyOf(JSON.stringify([inputs.project, inputs.alias, settings]));
}
