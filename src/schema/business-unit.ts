import { z } from "zod";

/** An SD Elements business unit (`/api/v2/business-units/`): the top of business unit → application → project. */
export const businessUnitSchema = z.looseObject({
  id: z.int(),
  name: z.string(),
});
export type BusinessUnit = z.infer<typeof businessUnitSchema>;
