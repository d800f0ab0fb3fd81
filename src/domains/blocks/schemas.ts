import { z } from "@hono/zod-openapi";
import { TrackListQuerySchema, UsernameParamSchema } from "../tracks/schemas";

/** The shapes of blocks (spec §9.2), shared by routes, services and tests. */

export { UsernameParamSchema };
export const BlockListQuerySchema = TrackListQuerySchema;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

/** PUT's body is optional: `{reason}` (kept private; a later PUT without one keeps the old reason). */
export const BlockBodySchema = z
  .object({ reason: z.string().trim().min(1).max(255).refine(noControl, "must not contain control characters").optional() })
  .strict()
  .openapi("BlockRequest");

export const BlockedUserSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("BlockedUser");

export const BlockSchema = z
  .object({
    user: BlockedUserSchema,
    reason: z.string().nullable().openapi({ description: "Your private note; never shown to them" }),
    created_at: timestamp,
  })
  .openapi("Block");
export type Block = z.infer<typeof BlockSchema>;

export const BlockListSchema = z.object({ items: z.array(BlockSchema), next_cursor: z.string().nullable() }).openapi("BlockList");
