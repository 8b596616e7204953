import { PROVIDER_KEY, type ConnectionInputs } from "../model/inputs";

/**
 * Creates whose outcome stayed unknown: the POST may or may not have made the connection, and looking for
 * it found nothing conclusive. Pulumi keeps no state for a failed create, so the next `up` would post again
 * and could make a duplicate. Instead the create fails as a *partial* failure (the dynamic-provider host
 * passes an error's `id`, `properties` and `reasons` to the engine as ErrorResourceInitFailed): the engine
 * records the resource under {@link UNCONFIRMED_ID}, with its init error, and on the next `up` asks `diff`
 * about it. `diff` then asks for a replacement and notes the project and alias; the replacement's `create`
 * (same deployment, same provider process) looks the connection up before posting, and adopts it if it is
 * there. Nothing of this costs a request on the normal path.
 */

/** The id Pulumi records for a connection whose create's outcome is unknown (no connection id is "unconfirmed"). */
export const UNCONFIRMED_ID = "unconfirmed";

/** The output that marks such a resource in the state. */
const MARK = "createOutcome";

type Bag = Record<string, unknown>;

/** Whether a resource in the state is a create of unknown outcome rather than a connection. */
export function isUnconfirmed(id: string, props: Bag): boolean {
  return id === UNCONFIRMED_ID || props[MARK] === "unknown";
}

/**
 * The create's failure, as a partial failure the engine keeps: the message, and outputs that name what was
 * requested (never its params: nothing secret) and carry the serialized provider, which the host needs to
 * call this provider for the resource again.
 */
export function unconfirmedCreate(message: string, inputs: ConnectionInputs, news: Bag): Error {
  const error = new Error(message) as Error & { id: string; properties: Bag; reasons: string[] };
  error.stack = message;
  error.id = UNCONFIRMED_ID;
  error.properties = {
    [PROVIDER_KEY]: news[PROVIDER_KEY],
    alias: inputs.alias,
    connector: inputs.connector,
    project: inputs.project,
    [MARK]: "unknown",
  };
  error.reasons = [message];
  return error;
}

/** What the next `up` tells the user about such a create. */
export const NEXT_UP =
  "It is recorded as unconfirmed: the next `pulumi up` looks for it again before creating anything (it adopts the connection if it has appeared, and creates it if there is none)";

/** The project and alias of creates to look up before posting, noted by `diff` for this process's `create`. */
export class PendingLookups {
  private readonly pending = new Set<string>();
  private readonly settled = new Set<string>();

  note(inputs: Where): void {
    this.pending.add(keyOf(inputs));
  }

  /** Whether a create of these inputs must look first; true once per note. */
  take(inputs: Where): boolean {
    const key = keyOf(inputs);
    if (!this.pending.delete(key)) return false;
    this.settled.add(key);
    return true;
  }

  /** Whether this process's create has already dealt with the unconfirmed resource of these inputs. */
  wasSettled(inputs: Where): boolean {
    return this.settled.has(keyOf(inputs));
  }
}

/** Where a create looks: project and alias, as the program or the stored outputs give them. */
type Where = { readonly project?: unknown; readonly alias?: unknown };

const keyOf = (inputs: Where) => `${String(inputs.project)}\u0000${String(inputs.alias)}`;
