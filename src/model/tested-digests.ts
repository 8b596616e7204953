import { z } from "zod";

/**
 * What a ConnectionTests resource keeps in the state (its inputs and outputs): the keyed digests of the
 * connections whose tests got a verdict (connection-tests-provider.ts). Read leniently: a state written
 * by another version, or edited by hand, keeps the digests that are strings and loses the rest, which at
 * worst means those connections are tested again.
 */
export const testedDigestsSchema = z.object({
  tested: z
    .array(z.unknown())
    .catch([])
    .transform((digests) => digests.filter((digest): digest is string => typeof digest === "string")),
});
