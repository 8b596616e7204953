import { readableParts, readState, type ConnectionState } from "../model/state";
import { providerError } from "./errors";

type Bag = Record<string, unknown>;

/**
 * The stored outputs the engine hands to diff, update and delete, parsed once there. A state this version
 * cannot read (edited by hand, written by something else) stops the operation, naming the output and the
 * way out: a refresh, which rebuilds it from the server (see {@link stateToRefresh}).
 */
export function storedState(id: string, props: Bag): ConnectionState {
  const reading = readState(props);
  if (reading.readable) return reading.state;
  throw providerError(`${unreadable(id, props, reading.problem)}; run \`pulumi refresh\` to read it again from SD Elements`);
}

/**
 * The stored outputs a refresh starts from. One that is not readable does not stop it: the refresh is the
 * way out, so it keeps what is readable, and what is not (the managed param keys, say) starts again from
 * its default, which the next `up` sets right from the program. The user is told which.
 */
export function stateToRefresh(
  id: string,
  props: Bag,
  warn: (message: string) => void,
): Partial<ConnectionState> & Pick<ConnectionState, "managedParams" | "testConnection"> {
  const reading = readState(props);
  if (reading.readable) return reading.state;
  warn(
    `${unreadable(id, props, reading.problem)}, so it is read again from SD Elements and the unreadable outputs start again from their defaults; the next \`pulumi up\` sets them from the program`,
  );
  return readableParts(props);
}

function unreadable(id: string, props: Bag, problem: string): string {
  const alias = typeof props.alias === "string" ? ` ("${props.alias}")` : "";
  return `the stored state of connection ${id}${alias} is not readable: ${problem}`;
}
