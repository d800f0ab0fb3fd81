import { z } from "@hono/zod-openapi";

/** Queue message type of an Art. 20 export job (src/jobs/queue.ts dispatches on it). */
export const GDPR_EXPORT = "gdpr.export";

export const ExportMessageSchema = z.object({
  type: z.literal(GDPR_EXPORT),
  userId: z.string().uuid(),
});

export type ExportMessage = z.infer<typeof ExportMessageSchema>;
