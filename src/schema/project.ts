import { z } from "zod";

/** An SD Elements project (`/api/v2/projects/{id}/`): the fields connections and lookups use. */
export const projectSchema = z.looseObject({
  id: z.int(),
  name: z.string(),
  slug: z.string().optional(),
  application: z.int().nullable().optional(),
  archived: z.boolean().optional(),
});
export type Project = z.infer<typeof projectSchema>;
