import { z } from "zod";

/** An SD Elements application (`/api/v2/applications/`): projects belong to one, and it to a business unit. */
export const applicationSchema = z.looseObject({
  id: z.int(),
  name: z.string(),
  business_unit: z.int().nullable().optional(),
});
export type Application = z.infer<typeof applicationSchema>;
