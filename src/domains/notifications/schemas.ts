import { z } from "@hono/zod-openapi";
import { notificationType } from "../../db/schema/enums";
import { TrackListQuerySchema } from "../tracks/schemas";

/** The shapes of the notifications inbox, shared by routes, services and tests. */

export const NOTIFICATION_TYPES = notificationType.enumValues;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** One POST /read marks at most this many ids; "all of mine" is the call without ids. */
export const MAX_READ_IDS = 100;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

export const NotificationListQuerySchema = TrackListQuerySchema.extend({
  unread: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ type: "string", enum: ["true", "false"], description: "true: only the notifications not read yet" }),
});

export const NotificationActorSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("NotificationActor");

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    actor: NotificationActorSchema.nullable().openapi({ description: "Who caused it; null for system notices and for deleted or banned accounts" }),
    type: z.enum(NOTIFICATION_TYPES),
    entity_type: z.string().nullable().openapi({ description: "What it is about (message, track, ...), with entity_id", example: "message" }),
    entity_id: z.uuid().nullable(),
    title: z.string().nullable(),
    body: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).openapi({ description: "Per type: a mention carries {room_id, seq}" }),
    is_read: z.boolean(),
    read_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .openapi("Notification");
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationListSchema = z
  .object({ items: z.array(NotificationSchema), next_cursor: z.string().nullable() })
  .openapi("NotificationList");

export const UnreadCountSchema = z
  .object({ unread: z.number().int().openapi({ description: "Your notifications not read yet (as the list shows them)" }) })
  .openapi("UnreadNotifications");

/** `{ids}` marks those; no body (or `{}`) marks all. An empty list is refused: it would be ambiguous. */
export const MarkReadBodySchema = z
  .object({ ids: z.array(z.uuid()).min(1).max(MAX_READ_IDS).optional().openapi({ description: `Up to ${MAX_READ_IDS} of your notifications' ids; omit to mark all` }) })
  .strict()
  .openapi("MarkNotificationsRead");

export const NotificationIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
