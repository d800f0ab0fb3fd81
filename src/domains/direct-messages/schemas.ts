import { z } from "@hono/zod-openapi";
import { UsernameParamSchema } from "../tracks/schemas";

/**
 * The shapes of direct messages (spec §8.5), shared by routes, services, the inbox protocol and
 * tests. content mirrors chk_direct_messages_content_length (1-10000; zod counts UTF-16 units,
 * LENGTH() code points, so what passes here always passes there).
 */

export { UsernameParamSchema };
export const MAX_CONTENT = 10_000;
export const MESSAGE_TYPES = ["text", "image", "audio", "video", "file"] as const;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

export const SendMessageSchema = z
  .object({
    content: z.string().trim().min(1).max(MAX_CONTENT).refine(noControlButNewlines, "must not contain control characters").openapi({ example: "Loved your last track!" }),
    attachment_file_id: z
      .uuid()
      .optional()
      .openapi({ description: "A file of yours whose upload completed (POST /v1/uploads …/complete); the message's type follows its type (image, audio, video or file)" }),
  })
  .strict()
  .openapi("SendDirectMessage");
export type SendMessageInput = z.infer<typeof SendMessageSchema>;

export const MessageIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const ConversationUserSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("ConversationUser");
export type ConversationUser = z.infer<typeof ConversationUserSchema>;

export const AttachmentSchema = z
  .object({
    filename: z.string(),
    mime_type: z.string(),
    size: z.number().int(),
    url: z.string().openapi({ description: "Where the two participants download it (bearer token)", example: "/v1/me/direct-messages/0b0e…/attachment" }),
  })
  .openapi("DirectMessageAttachment");

export const DirectMessageSchema = z
  .object({
    id: z.uuid(),
    sender_id: z.uuid(),
    recipient_id: z.uuid(),
    content: z.string(),
    message_type: z.enum(MESSAGE_TYPES),
    attachment: AttachmentSchema.nullable().openapi({ description: "null without one, or once its file was deleted" }),
    is_read: z.boolean().openapi({ description: "Whether the recipient read it" }),
    read_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .openapi("DirectMessage");
export type DirectMessage = z.infer<typeof DirectMessageSchema>;

const blockFlags = {
  blocked: z.boolean().openapi({ description: "Either of you blocked the other: nothing can be sent until the block is lifted" }),
  blocked_by_me: z.boolean().openapi({ description: "You blocked them (DELETE /v1/me/blocks/{username} lifts it)" }),
};

export const ConversationSchema = z
  .object({
    user: ConversationUserSchema,
    last_message: DirectMessageSchema,
    unread_count: z.number().int().openapi({ description: "Their messages to you that you have not read (and not deleted)" }),
    ...blockFlags,
  })
  .openapi("Conversation");
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationListSchema = z.object({ items: z.array(ConversationSchema), next_cursor: z.string().nullable() }).openapi("ConversationList");

export const ConversationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});

export const MessageListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page: older messages" }),
});

export const MessagePageSchema = z
  .object({ user: ConversationUserSchema, ...blockFlags, items: z.array(DirectMessageSchema), next_cursor: z.string().nullable() })
  .openapi("DirectMessagePage");
export type MessagePage = z.infer<typeof MessagePageSchema>;

export const MarkReadSchema = z
  .object({ up_to_id: z.uuid().optional().openapi({ description: "A message of this conversation: theirs up to it (inclusive) are marked read; all of them without it" }) })
  .strict()
  .openapi("MarkConversationRead");

export const ReadReceiptSchema = z
  .object({
    marked: z.number().int().openapi({ description: "How many messages this marked read" }),
    up_to_id: z.uuid().nullable().openapi({ description: "The newest message it marked (null when none)" }),
    read_at: timestamp,
    unread_count: z.number().int().openapi({ description: "Their messages to you still unread" }),
  })
  .openapi("ReadReceipt");
export type ReadReceipt = z.infer<typeof ReadReceiptSchema>;
