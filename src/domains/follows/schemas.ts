import { z } from "@hono/zod-openapi";
import { TrackListQuerySchema, UsernameParamSchema } from "../tracks/schemas";

/** The shapes of follows (spec §9.1), shared by routes, services and tests. */

export { UsernameParamSchema };
export const FollowListQuerySchema = TrackListQuerySchema;

export const FollowStateSchema = z
  .object({
    following: z.boolean().openapi({ description: "Whether you follow the user now" }),
    follower_count: z.number().int().openapi({ description: "The user's followers, you included" }),
  })
  .openapi("FollowState");
export type FollowState = z.infer<typeof FollowStateSchema>;

export const IsFollowingSchema = z.object({ following: z.boolean().openapi({ description: "Whether you follow the user" }) }).openapi("IsFollowing");

/** A user's public card, as playlists show their owner, plus when the follow began. */
export const FollowCardSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    display_name: z.string().nullable(),
    avatar_url: z.string().nullable(),
    followed_at: z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" }),
    followed_by_me: z.boolean().optional().openapi({ description: "Whether you follow this user; only when signed in" }),
  })
  .openapi("FollowCard");
export type FollowCard = z.infer<typeof FollowCardSchema>;

export const FollowListSchema = z.object({ items: z.array(FollowCardSchema), next_cursor: z.string().nullable() }).openapi("FollowList");
