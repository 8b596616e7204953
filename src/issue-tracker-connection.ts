import * as pulumi from "@pulumi/pulumi";
import type { Frequency } from "./schema/frequency";
import type { DeclaredParamsInput } from "./schema/declared-params";
import type { ParamValue } from "./schema/params";
import { isSecretParamKey } from "./schema/secrets";
import { CONNECTION_ARGUMENTS, unknownArgumentsMessage } from "./model/inputs";
import { serializedProvider } from "./provider/serialized";
import { describeKind } from "./schema/validation";
import type { SyncJob } from "./model/state";

/**
 * A connection's params, keys spelled as the API spells them (`issue_tracker_server`,
 * `issue_tracker_project`, `jira_version`...). The keys this package knows are typed; any other is allowed.
 * Credentials (`issue_tracker_pass`, `issue_tracker_api_token` and every key naming a pass(word), token or
 * secret) are made secret even when given as plain strings.
 */
export type IssueTrackerParams = {
  [K in keyof DeclaredParamsInput]?: pulumi.Input<DeclaredParamsInput[K]>;
};

export interface IssueTrackerConnectionArgs {
  /** The connection's name, as SD Elements shows it (at most 255 characters, one line). */
  alias: pulumi.Input<string>;
  /** Id of the issue-tracker connector (SD Elements → Integrations) whose tracker and defaults the connection uses. */
  connector: pulumi.Input<number>;
  /** Id of the SD Elements project whose tasks the connection syncs. */
  project: pulumi.Input<number>;
  /**
   * How often it syncs: "hourly", "daily", "weekly", "monthly" or "manually" (the default). Anything but
   * "manually" needs the organisation's advanced Issue Tracker feature.
   */
  frequency?: pulumi.Input<Frequency>;
  /** Verbose logging of the sync jobs (default false). */
  debugMode?: pulumi.Input<boolean>;
  /**
   * The connection's own params, overriding its connector's: typically `issue_tracker_project`, plus
   * whatever differs from the connector (credentials, phases, title format...). Only the keys given here
   * are managed; the ones the server fills in never show as a change.
   */
  params: pulumi.Input<IssueTrackerParams>;
  /**
   * Ask the API to test the connection (server reachable, credentials right, tracker project exists) in
   * preview, when the connection is new or its connector, project or params change. Default true.
   */
  testConnection?: pulumi.Input<boolean>;
  /**
   * Bring an existing connection under management instead of creating one (`pulumi import` does not work
   * for dynamic resources, pulumi/pulumi#16175). The first up reads it and changes only what differs from
   * this program (nothing, if it matches); its project and connector must be the ones given here.
   */
  adoptId?: pulumi.Input<number>;
}

/**
 * An SD Elements Issue Tracker Connection: the link between an SD Elements project and a tracker project
 * (Jira, Rally, GitHub...), managed through the SD Elements API v2.
 */
export class IssueTrackerConnection extends pulumi.dynamic.Resource {
  /** The connection's id in SD Elements (also the resource's id, as a string). */
  declare readonly connectionId: pulumi.Output<number>;
  /** The connection's name. */
  declare readonly alias: pulumi.Output<string>;
  /** Id of its connector. */
  declare readonly connector: pulumi.Output<number>;
  /** Id of its SD Elements project. */
  declare readonly project: pulumi.Output<number>;
  /** How often it syncs. */
  declare readonly frequency: pulumi.Output<Frequency>;
  /** Whether sync jobs log verbosely. */
  declare readonly debugMode: pulumi.Output<boolean>;
  /**
   * Every param as the server reports it (the connector's and the server's defaults included), except
   * credentials, which are in `credentials`.
   */
  declare readonly params: pulumi.Output<Record<string, ParamValue>>;
  /** The credential params this program sets, as the server reports them. Always secret. */
  declare readonly credentials: pulumi.Output<Record<string, ParamValue>>;
  /** The param keys this program manages (the ones it sets). */
  declare readonly managedParams: pulumi.Output<string[]>;
  /** The tracker system: id (`jira`, `rally`...), name and short name. */
  declare readonly system: pulumi.Output<{ id: string; name: string; shortName?: string }>;
  /** The sync command the server runs, `sync_<system>`. */
  declare readonly command: pulumi.Output<string>;
  /** Whether the tracker is unreachable from SD Elements (synced by a remote integration client). */
  declare readonly inaccessible: pulumi.Output<boolean>;
  /** Whether a sync job is queued or running, when the API reports it. */
  declare readonly inProgress: pulumi.Output<boolean | undefined>;
  /** The newest sync job: null when there is none yet (a new connection), undefined when not known. */
  declare readonly lastJob: pulumi.Output<SyncJob | null | undefined>;
  /** When the connection last synced successfully, when it has. */
  declare readonly lastSuccessfulRun: pulumi.Output<string | undefined>;
  /** Whether preview tests the connection. */
  declare readonly testConnection: pulumi.Output<boolean>;
  /** The existing connection this resource adopted, if it did. */
  declare readonly adoptId: pulumi.Output<number | undefined>;

  constructor(name: string, args: IssueTrackerConnectionArgs, opts: pulumi.CustomResourceOptions = {}) {
    if (args === null || typeof args !== "object" || Array.isArray(args) || pulumi.Output.isInstance(args) || args instanceof Promise) {
      const kind = pulumi.Output.isInstance(args)
        ? "an Output (give each argument its own Output instead)"
        : args instanceof Promise
          ? "a Promise"
          : describeKind(args);
      throw new pulumi.RunError(
        `IssueTrackerConnection "${name}": the arguments must be an object ({ alias, connector, project, params, ... }), not ${kind}`,
      );
    }
    super(
      serializedProvider,
      name,
      {
        alias: args.alias,
        connector: args.connector,
        project: args.project,
        frequency: args.frequency,
        debugMode: args.debugMode,
        params: withSecretCredentials(name, args.params),
        testConnection: args.testConnection,
        adoptId: args.adoptId,
        // Outputs the provider computes: declared so the SDK exposes them.
        connectionId: undefined,
        credentials: undefined,
        managedParams: undefined,
        system: undefined,
        command: undefined,
        inaccessible: undefined,
        inProgress: undefined,
        lastJob: undefined,
        lastSuccessfulRun: undefined,
        // Last: an output's name given as an argument (`credentials: {...}`) is refused too.
        ...unknownArguments(name, args),
      },
      { ...opts, additionalSecretOutputs: [...new Set([...(opts.additionalSecretOutputs ?? []), "credentials"])] },
      "sdelements",
      "IssueTrackerConnection",
    );
  }
}

/** Names the SDK keeps for itself: they cannot travel to the provider's check as arguments. */
const RESERVED = (key: string) => key === "id" || key === "urn" || key.startsWith("__");

/**
 * The keys of `args` this class does not take, passed on so that the provider's check refuses each by
 * name at preview, like any other bad argument (left out here, a misspelt `frequncy` would be dropped
 * before anything could see it). Each travels as a secret, since it may be a password put in the wrong
 * place, and as null when it has no value, so that even an unset one is named.
 */
function unknownArguments(name: string, args: object): Record<string, pulumi.Output<unknown>> {
  const strangers: Record<string, pulumi.Output<unknown>> = {};
  for (const [key, value] of Object.entries(args)) {
    if (CONNECTION_ARGUMENTS.includes(key)) continue;
    if (RESERVED(key)) throw new pulumi.RunError(`IssueTrackerConnection "${name}": ${unknownArgumentsMessage([key])}`);
    strangers[key] = pulumi.secret(
      pulumi.output(value as pulumi.Input<object | string | number | boolean | null>).apply((v): unknown => v ?? null),
    );
  }
  return strangers;
}

/** A map written in the program: an object literal, or one made from JSON or YAML. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Params with every credential wrapped as a secret, key by key, so the rest stay readable in previews and
 * the state. Params given as one Output (not a map) are made secret whole: their keys are not known here.
 */
function withSecretCredentials(name: string, params: pulumi.Input<IssueTrackerParams>): pulumi.Input<IssueTrackerParams> {
  if (pulumi.Output.isInstance(params) || params instanceof Promise) return pulumi.secret(params);
  // Not a map (missing, null, a string, a list): passed on as it is, for the provider's check to name the
  // problem and the fix. Never taken apart: a list's items would become params named "0", "1"...
  if (params === null || typeof params !== "object" || Array.isArray(params)) return params;
  if (!isPlainObject(params)) {
    // A Map, a Date, a class instance: nothing the provider would receive as it was written.
    const kind =
      typeof params.constructor?.name === "string" && params.constructor.name !== ""
        ? `a ${params.constructor.name}`
        : describeKind(params);
    throw new pulumi.RunError(
      `IssueTrackerConnection "${name}": params: must be a map of param names to values written as a plain object, e.g. { issue_tracker_project: "KEY" }, not ${kind}`,
    );
  }
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    wrapped[key] = isSecretParamKey(key) && value !== undefined ? pulumi.secret(value) : value;
  }
  return wrapped as IssueTrackerParams;
}
