import { z } from "@hono/zod-openapi";
import { MAX_CONTENT_LENGTH } from "../../../durable-objects/chat-room/protocol";

export const RoomIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
export const AttachmentParamSchema = RoomIdParamSchema.extend({ fileId: z.uuid().openapi({ param: { name: "fileId", in: "path" } }) });

export const SocketQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional().openapi({ description: "The highest `seq` this client saw: the room sends exactly what changed after it." }),
});

const beforeSeq = z.coerce.number().int().min(1).optional().openapi({ description: "`next_before_seq` of the previous page: messages older than it." });
const limit = z.coerce.number().int().min(1).max(100).default(50);

export const MessagesQuerySchema = z.object({ before_seq: beforeSeq, limit });
export const SearchQuerySchema = z.object({ q: z.string().trim().min(1).max(200), before_seq: beforeSeq, limit });

export const PostMessageSchema = z
  .object({
    content: z.string().trim().min(1).max(MAX_CONTENT_LENGTH),
    reply_to_id: z.uuid().optional(),
    thread_root_id: z.uuid().optional(),
    attachment_file_id: z.uuid().optional().openapi({ description: "One of your uploaded files (/v1/uploads)." }),
    nonce: z.string().min(1).max(64).optional().openapi({ description: "Unique per sender: a retried request answers the first message instead of sending it twice." }),
  })
  .strict()
  .openapi("PostMessage");

export const ChatMessageSchema = z
  .object({
    id: z.uuid(),
    room_id: z.uuid(),
    seq: z.number().int(),
    rev: z.number().int(),
    sender: z.object({ id: z.uuid(), username: z.string(), nickname: z.string().nullable() }),
    content: z.string(),
    message_type: z.enum(["text", "image", "audio", "video", "file"]),
    attachment: z.object({ file_id: z.uuid(), filename: z.string(), mime_type: z.string(), size: z.number() }).nullable(),
    reply_to_id: z.uuid().nullable(),
    thread_root_id: z.uuid().nullable(),
    thread_count: z.number().int(),
    mentions: z.array(z.string()),
    is_edited: z.boolean(),
    edited_at: z.string().nullable(),
    edit_count: z.number().int(),
    is_deleted: z.boolean(),
    is_pinned: z.boolean(),
    reactions: z.array(z.object({ emoji: z.string(), count: z.number().int(), user_ids: z.array(z.uuid()) })),
    created_at: z.string(),
  })
  .openapi("ChatMessage");

export const MessagePageSchema = z.object({ items: z.array(ChatMessageSchema), next_before_seq: z.number().int().nullable() }).openapi("ChatMessagePage");
