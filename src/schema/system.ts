import { z } from "zod";

/**
 * `system` as the API returns it: lists carry `id`, `short_name` and `name`, single-object responses
 * `id` and `name` (the API page shows both shapes).
 */
export const systemRefSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  short_name: z.string().optional(),
});
export type SystemRef = z.infer<typeof systemRefSchema>;
