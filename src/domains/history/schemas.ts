import { z } from "@hono/zod-openapi";
import { PLAY_DEVICE_TYPES, PLAY_SOURCES, TrackListQuerySchema, TrackSummarySchema } from "../tracks/schemas";

/** The shapes of the listening history (spec §7.4), shared by routes, services and tests. */

export const HistoryListQuerySchema = TrackListQuerySchema;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

export const PlaySchema = z
  .object({
    id: z.uuid(),
    played_at: timestamp,
    played_duration: z.number().int().openapi({ description: "Seconds listened" }),
    completion_percentage: z.number().int().min(0).max(100),
    source: z.enum(PLAY_SOURCES).nullable(),
    source_id: z.uuid().nullable().openapi({ description: "The playlist or album played from" }),
    device_type: z.enum(PLAY_DEVICE_TYPES).nullable(),
    track: TrackSummarySchema,
  })
  .openapi("Play");
export type Play = z.infer<typeof PlaySchema>;

export const HistorySchema = z.object({ items: z.array(PlaySchema), next_cursor: z.string().nullable() }).openapi("ListeningHistory");

export const HistoryClearedSchema = z
  .object({ deleted: z.number().int().openapi({ description: "How many plays were deleted" }) })
  .openapi("ListeningHistoryCleared");

export const PlayIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
