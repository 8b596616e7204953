import { z } from "zod";
import { paramsResponseSchema } from "./params";
import { systemRefSchema } from "./system";

/**
 * An issue-tracker connector (the organisation-wide "system connection" a project connection uses):
 * `/api/v2/connectors/issue-tracker/`. Its params are the defaults its connections start from.
 */
export const connectorSchema = z.looseObject({
  id: z.int(),
  name: z.string(),
  system: systemRefSchema,
  inaccessible: z.boolean(),
  params: paramsResponseSchema.optional(),
});
export type Connector = z.infer<typeof connectorSchema>;
