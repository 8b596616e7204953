/**
 * What this offline engine refuses, and the words it refuses it with: each names the resource's type, why
 * it cannot be run here, and what to do. The engine reports each once, under the resource's URN, and fails
 * the operation (the preview too), as the CLI fails on a resource it cannot serve; nothing is left to the
 * SDK's mock, whose made-up answers would look like a success.
 */

const RUN_WITH_CLI = "run the program with the Pulumi CLI";

/** A custom resource of a provider other than a dynamic one: there is no provider plugin to run it here. */
export function otherProviderMessage(type: string): string {
  return `${type} is not a dynamic provider's resource: this local engine runs only dynamic providers (such as pulumi-sdelements); ${RUN_WITH_CLI}, or leave this resource out of the offline run`;
}

/**
 * A remote component (`remote: true`, a multi-language component): the CLI has its provider's Construct
 * build it and its children; run here as a local component it would register none of them.
 */
export function remoteComponentMessage(type: string): string {
  return `${type} is a remote component (remote: true), built by its provider's Construct: this local engine runs only dynamic providers (such as pulumi-sdelements) and has no provider to construct it; ${RUN_WITH_CLI}, or leave this component out of the offline run`;
}

/**
 * A read of an existing resource (`Resource.get(...)`, the `id` option, `new pulumi.StackReference(...)`).
 *
 * A dynamic resource of this package is refused too, rather than read through its provider's Read: a read
 * resource is external to the stack (kept in the state but never deleted, only discarded, and shown as
 * `read`), a kind of resource this engine's state and steps do not have, and `adoptId` already brings an
 * existing connection under the stack. So the message points there.
 */
export function readMessage(type: string, dynamic: boolean): string {
  if (type === "pulumi:pulumi:StackReference")
    return `${type} reads the outputs of another stack: this local engine has no backend holding other stacks; ${RUN_WITH_CLI}, or give the values this program needs as config for the offline run`;
  if (dynamic)
    return `${type} is read by id (.get or the id option), which this local engine does not do (a read resource stays outside the stack); to manage an existing connection, declare it with adoptId: <its id>; or ${RUN_WITH_CLI}`;
  return `${type} is read by id (.get or the id option) from its provider: this local engine runs only dynamic providers (such as pulumi-sdelements) and cannot read resources of other providers; ${RUN_WITH_CLI}, or leave this read out of the offline run`;
}
