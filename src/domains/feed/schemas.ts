import { z } from "@hono/zod-openapi";
import { PlaylistSchema } from "../playlists/schemas";
import { PostSchema } from "../posts/schemas";
import { TrackListQuerySchema, TrackSummarySchema } from "../tracks/schemas";

/** The shapes of the home feed: what the people I follow posted, published and shared, newest first. */

export const FeedQuerySchema = TrackListQuerySchema;

const at = z.string().openapi({ format: "date-time", description: "When it entered the feed: a post's creation, a track's publication, a playlist's creation" });

export const FeedItemSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("post"), id: z.uuid(), at, post: PostSchema }),
    z.object({ type: z.literal("track"), id: z.uuid(), at, track: TrackSummarySchema }),
    z.object({ type: z.literal("playlist"), id: z.uuid(), at, playlist: PlaylistSchema }),
  ])
  .openapi("FeedItem");
export type FeedItem = z.infer<typeof FeedItemSchema>;

export const FeedSchema = z.object({ items: z.array(FeedItemSchema), next_cursor: z.string().nullable() }).openapi("Feed");
export type Feed = z.infer<typeof FeedSchema>;
