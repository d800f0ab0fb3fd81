import { z } from "@hono/zod-openapi";
import { MAX_QUEUE_ITEMS, REPEAT_MODES } from "../../../durable-objects/playback-queue/protocol";

/**
 * The REST shapes of the live queue. The operations themselves are the PlaybackQueue protocol's
 * (durable-objects/playback-queue/protocol.ts): these schemas document and validate the same
 * fields at the edge, so bad input is a 422 with field paths before the object is reached.
 */

const version = z.number().int().min(0).openapi({ description: "The version your state is at; any other is refused (409 with the current state)", example: 12 });
const optionalVersion = version.optional().openapi({ description: "When given, the change is refused (409) unless the queue is at this version" });
const trackIds = z.array(z.uuid()).min(1).max(MAX_QUEUE_ITEMS);
const volume = z.number().int().min(0).max(100);
const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

export const QueueItemSchema = z
  .object({
    item_id: z.uuid().openapi({ description: "This entry of the queue (a track may be queued twice)" }),
    track_id: z.uuid(),
    title: z.string(),
    artist: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    creator_username: z.string(),
    cover_url: z.string().nullable(),
    available: z.boolean().openapi({ description: "false once the track was deleted, made private or its creator banned: kept in the queue, skipped by next/ended" }),
    added_at: timestamp,
  })
  .openapi("QueueItem");

export const QueueStateSchema = z
  .object({
    version: z.number().int().openapi({ description: "+1 on every change" }),
    items: z.array(QueueItemSchema).openapi({ description: "In play order (shuffled while shuffle is on)" }),
    current_item_id: z.uuid().nullable(),
    position_ms: z.number().int(),
    position_updated_at: timestamp.openapi({ description: "When position_ms was true: while playing, the position is position_ms + (now - position_updated_at)" }),
    is_playing: z.boolean(),
    shuffle: z.boolean(),
    repeat: z.enum(REPEAT_MODES),
    volume,
  })
  .openapi("QueueState");

export const ReplaceQueueSchema = z
  .object({
    version,
    track_ids: z.array(z.uuid()).max(MAX_QUEUE_ITEMS).openapi({ description: "The whole list, in order (ready tracks visible to you)" }),
    current_index: z.number().int().min(0).nullable().optional().openapi({ description: "Index in track_ids of the current item; defaults to 0 (null: none)" }),
    position_ms: z.number().int().min(0).max(86_400_000).optional(),
    is_playing: z.boolean().optional(),
    shuffle: z.boolean().optional().openapi({ description: "The list is kept as sent; shuffle only affects later shuffling" }),
    repeat: z.enum(REPEAT_MODES).optional(),
    volume: volume.optional(),
  })
  .strict()
  .openapi("ReplaceQueue");

export const AddQueueItemsSchema = z
  .object({
    version,
    track_ids: trackIds.openapi({ description: `Ready tracks visible to you, 1-${MAX_QUEUE_ITEMS}; the queue holds at most ${MAX_QUEUE_ITEMS} items` }),
    position: z
      .union([z.number().int().min(0), z.literal("next")])
      .optional()
      .openapi({ description: 'Where to insert (0-based index in play order), "next" to play next; the end by default' }),
  })
  .strict()
  .openapi("AddQueueItems");

export const MoveQueueItemSchema = z.object({ version, position: z.number().int().min(0) }).strict().openapi("MoveQueueItem");

export const VersionQuerySchema = z.object({ version: z.coerce.number().int().min(0).openapi({ description: "The version your state is at" }) });

export const ItemIdParamSchema = z.object({ itemId: z.uuid().openapi({ param: { name: "itemId", in: "path" } }) });

export const TransportSchema = z.object({ version: optionalVersion }).strict().openapi("QueueTransport");
export const PlaySchema = z
  .object({ version: optionalVersion, item_id: z.uuid().optional().openapi({ description: "Play this item from its start; resume the current one without it" }) })
  .strict()
  .openapi("QueuePlay");
export const SeekSchema = z.object({ version: optionalVersion, position_ms: z.number().int().min(0).max(86_400_000) }).strict().openapi("QueueSeek");

export const QueueSettingsSchema = z
  .object({ version: optionalVersion, shuffle: z.boolean().optional(), repeat: z.enum(REPEAT_MODES).optional(), volume: volume.optional() })
  .strict()
  .refine((s) => s.shuffle !== undefined || s.repeat !== undefined || s.volume !== undefined, "name at least one setting to change")
  .openapi("QueueSettings");

export const SocketQuerySchema = z.object({
  device_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -")
    .optional()
    .openapi({ description: "A stable id of this device (a random one by default)" }),
  device_name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters")
    .optional()
    .openapi({ description: "e.g. \"Kitchen speaker\"" }),
});
