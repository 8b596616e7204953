/**
 * The ConnectionTests resource's provider as the host runs it (`pulumi-sdelements/tests`, which its
 * serialized provider loads by name). Only a door into host.ts: the same module, so the same settings,
 * client, request budget and connection tests as the connections of the deployment.
 */
import { connectionTests } from "./host";

export { configure } from "./host";
export const { check, diff, create, read, update } = connectionTests;
const remove = connectionTests.delete;
export { remove as delete };
