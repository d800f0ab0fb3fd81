import { z } from "@hono/zod-openapi";
import { TrackIdParamSchema, TrackListQuerySchema, TrackSummarySchema } from "../tracks/schemas";

/** The shapes of the likes domain (spec §7.5), shared by routes, services and tests. */

export { TrackIdParamSchema };
export const LikeListQuerySchema = TrackListQuerySchema;

/** A player fills the hearts of a whole screen of tracks in one call: at most this many ids. */
export const MAX_CONTAINS_IDS = 50;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

export const LikeStateSchema = z
  .object({
    liked: z.boolean().openapi({ description: "Whether you like the track now" }),
    like_count: z.number().int().openapi({ description: "The track's likes, yours included" }),
  })
  .openapi("LikeState");
export type LikeState = z.infer<typeof LikeStateSchema>;

export const LikedTrackSchema = z
  .object({ liked_at: timestamp, track: TrackSummarySchema })
  .openapi("LikedTrack");
export type LikedTrack = z.infer<typeof LikedTrackSchema>;

export const LikeListSchema = z.object({ items: z.array(LikedTrackSchema), next_cursor: z.string().nullable() }).openapi("LikeList");

/** `?track_ids=a,b,c`: 1 to 50 track ids, comma-separated; a repeated id is answered once. */
export const LikesContainQuerySchema = z.object({
  track_ids: z
    .string()
    .max(MAX_CONTAINS_IDS * 40)
    .transform((ids) => [...new Set(ids.split(",").map((id) => id.trim().toLowerCase()))])
    .pipe(z.array(z.uuid()).min(1).max(MAX_CONTAINS_IDS))
    .openapi({ description: `Up to ${MAX_CONTAINS_IDS} track ids, comma-separated`, example: "0b0e5a4c-...,5f1c2d3e-..." }),
});

export const LikesContainSchema = z
  .array(z.object({ track_id: z.uuid(), liked: z.boolean() }).openapi("TrackLiked"))
  .openapi("LikesContain", { description: "One entry per distinct id asked, in the order asked" });
