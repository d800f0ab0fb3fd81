import { z } from "@hono/zod-openapi";
import { MEMBER_ROLES } from "../../../durable-objects/chat-room/members";
import { notificationLevel } from "../../db/schema/enums";
import { UsernameParamSchema } from "../tracks/schemas";

/**
 * The shapes of the rooms domain, shared by routes, services and tests. Limits mirror
 * migrations/0005_chat.sql (VARCHAR lengths and CHECKs), so bad input is a 422 with a field path,
 * never a database error.
 */

export const ROOM_TYPES = ["public", "private"] as const;
export const NOTIFICATION_LEVELS = notificationLevel.enumValues;

/** Shareable codes: 8 characters of Crockford's base32 (no I, L, O, U), within chk_rooms_room_code_format. */
export const ROOM_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const ROOM_CODE_LENGTH = 8;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const line = (max: number) => z.string().trim().min(1).max(max).refine(noControl, "must not contain control characters");
const text = (max: number) => z.string().trim().max(max).refine(noControlButNewlines, "must not contain control characters").nullable().optional();

/** bcrypt reads 72 bytes at most: a longer password would be silently cut. */
const password = z
  .string()
  .min(4)
  .max(72)
  .refine((s) => new TextEncoder().encode(s).length <= 72, "must be at most 72 bytes")
  .openapi({ description: "Members must give it to join (stored as a bcrypt hash, never returned)" });

const settingsFields = {
  description: text(5000),
  topic: text(500),
  rules: text(10000),
  welcome_message: text(2000),
  max_members: z.number().int().min(1).max(10000).nullable().optional().openapi({ description: "At most this many members (null: no limit)" }),
  slow_mode_seconds: z.number().int().min(0).max(3600).optional().openapi({ description: "Seconds a member waits between two messages (0: off)" }),
  is_nsfw: z.boolean().optional(),
  message_retention_days: z.number().int().min(0).max(3650).optional().openapi({ description: "Messages older than this are deleted (0: kept forever)" }),
};

export const CreateRoomSchema = z
  .object({
    name: line(255).openapi({ example: "Modular synth nerds" }),
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters and digits separated by dashes").min(3).max(100).optional().openapi({ description: "A readable address (public rooms only)" }),
    room_type: z.enum(ROOM_TYPES).default("public").openapi({ description: "Public rooms are listed and joined by anyone; private ones by invitation or room code" }),
    password: password.optional(),
    ...settingsFields,
  })
  .strict()
  .refine((room) => room.slug === undefined || room.room_type === "public", { path: ["slug"], message: "only public rooms have a slug" })
  .openapi("CreateRoom");
export type CreateRoomInput = z.infer<typeof CreateRoomSchema>;

export const UpdateRoomSchema = z
  .object({ name: line(255).optional(), password: password.nullable().optional().openapi({ description: "A new password, or null to remove it" }), ...settingsFields })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "name at least one field to change")
  .openapi("UpdateRoom");
export type UpdateRoomInput = z.infer<typeof UpdateRoomSchema>;

const id = (param: string) => z.uuid().openapi({ param: { name: param, in: "path" } });
export const RoomIdParamSchema = z.object({ id: id("id") });
export const RoomMemberParamSchema = z.object({ id: id("id"), userId: id("userId") });
export const RoomInviteParamSchema = z.object({ id: id("id"), inviteId: id("inviteId") });
export const MyInviteParamSchema = z.object({ inviteId: id("inviteId") });
export const RoomCodeParamSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9]{6,16}$/, "is not a room code").openapi({ param: { name: "code", in: "path" }, example: "7K3QX9MD" }),
});

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});
export const DiscoverQuerySchema = ListQuerySchema.extend({
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Part of the room's name (case-insensitive)" }),
});
export const MembersQuerySchema = ListQuerySchema.extend({
  banned: z.enum(["true", "false"]).default("false").transform((v) => v === "true").openapi({ description: "List the banned instead (needs manage_members)" }),
});

export const JoinSchema = z
  .object({
    password: z.string().max(200).optional().openapi({ description: "The room's password, when it has one (an invitation admits without it)" }),
    code: RoomCodeParamSchema.shape.code.optional().openapi({ description: "The room's code: admits to a private room" }),
  })
  .strict()
  .openapi("JoinRoom");
export type JoinInput = z.infer<typeof JoinSchema>;

export const TransferSchema = z.object({ user_id: z.uuid() }).strict().openapi("TransferRoom");
export const InviteSchema = z.object({ username: UsernameParamSchema.shape.username }).strict().openapi("InviteToRoom");
export const ReadMarkerSchema = z.object({ seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict().openapi("RoomReadMarker");
export const MuteSchema = z
  .object({ minutes: z.number().int().min(1).max(525600).optional().openapi({ description: "For how long (at most a year); left out: until unmuted" }) })
  .strict()
  .openapi("MuteMember");
export const BanSchema = z.object({ reason: line(500).optional() }).strict().openapi("BanMember");

export const UpdateMemberSchema = z
  .object({
    role: z.enum(MEMBER_ROLES).exclude(["owner"]).optional().openapi({ description: "Ownership moves with POST /v1/rooms/{id}/transfer" }),
    can_invite: z.boolean().optional(),
    can_manage_messages: z.boolean().optional(),
    can_manage_members: z.boolean().optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "name at least one field to change")
  .openapi("UpdateRoomMember");
export type UpdateMemberInput = z.infer<typeof UpdateMemberSchema>;

export const UpdateMyMembershipSchema = z
  .object({
    nickname: line(100).nullable().optional().openapi({ description: "Your name in this room (null: your username)" }),
    notification_level: z.enum(NOTIFICATION_LEVELS).optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "name at least one field to change")
  .openapi("UpdateMyRoomMembership");
export type UpdateMyMembershipInput = z.infer<typeof UpdateMyMembershipSchema>;

const PermissionsSchema = z
  .object({ invite: z.boolean(), manage_messages: z.boolean(), manage_members: z.boolean(), manage_room: z.boolean() })
  .openapi("RoomPermissions", { description: "Effective permissions: the role's plus explicit grants" });
const UserRefSchema = z.object({ id: z.uuid(), username: z.string() }).openapi("RoomUserRef");

export const MembershipSchema = z
  .object({
    role: z.enum(MEMBER_ROLES),
    permissions: PermissionsSchema,
    nickname: z.string().nullable(),
    notification_level: z.enum(NOTIFICATION_LEVELS),
    is_muted: z.boolean(),
    muted_until: timestamp.nullable().openapi({ description: "When a temporary mute ends; null when not muted or muted until unmuted" }),
    joined_at: timestamp,
    last_read_seq: z.number().int(),
  })
  .openapi("RoomMembership");
export type Membership = z.infer<typeof MembershipSchema>;

export const RoomSchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    slug: z.string().nullable(),
    description: z.string().nullable(),
    topic: z.string().nullable(),
    rules: z.string().nullable(),
    welcome_message: z.string().nullable(),
    room_type: z.enum(["public", "private", "dm"]),
    has_password: z.boolean(),
    max_members: z.number().int().nullable(),
    member_count: z.number().int(),
    message_count: z.number().int(),
    slow_mode_seconds: z.number().int(),
    message_retention_days: z.number().int(),
    is_nsfw: z.boolean(),
    is_archived: z.boolean(),
    archived_at: timestamp.nullable(),
    room_code: z.string().nullable().openapi({ description: "The shareable code: shown for public rooms, and to members who may invite" }),
    creator: UserRefSchema.nullable(),
    last_activity_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    my_membership: MembershipSchema.nullable().openapi({ description: "Your membership; null when you are not a member (or anonymous)" }),
  })
  .openapi("Room");
export type Room = z.infer<typeof RoomSchema>;
export const RoomListSchema = z.object({ items: z.array(RoomSchema), next_cursor: z.string().nullable() }).openapi("RoomList");

export const LastMessageSchema = z
  .object({ id: z.uuid(), seq: z.number().int().nullable(), sender: UserRefSchema, content: z.string().openapi({ description: "Empty for a deleted message" }), is_deleted: z.boolean(), created_at: timestamp })
  .openapi("RoomLastMessage");
export const MyRoomSchema = RoomSchema.extend({
  last_message: LastMessageSchema.nullable(),
  unread_count: z.number().int().openapi({ description: "Messages after your read marker, not yours, not deleted (counted up to 1000)" }),
}).openapi("MyRoom");
export const MyRoomListSchema = z.object({ items: z.array(MyRoomSchema), next_cursor: z.string().nullable() }).openapi("MyRoomList");

export const RoomByCodeSchema = z
  .object({ id: z.uuid(), name: z.string().nullable(), room_type: z.enum(ROOM_TYPES), has_password: z.boolean(), member_count: z.number().int() })
  .openapi("RoomByCode");

export const MemberSchema = z
  .object({
    user: UserRefSchema,
    nickname: z.string().nullable(),
    role: z.enum(MEMBER_ROLES),
    can_invite: z.boolean(),
    can_manage_messages: z.boolean(),
    can_manage_members: z.boolean(),
    permissions: PermissionsSchema,
    is_muted: z.boolean(),
    muted_until: timestamp.nullable(),
    joined_at: timestamp,
    is_banned: z.boolean(),
    banned_at: timestamp.nullable(),
    banned_reason: z.string().nullable().openapi({ description: "Shown to those who may manage members" }),
  })
  .openapi("RoomMember");
export type Member = z.infer<typeof MemberSchema>;
export const MemberListSchema = z.object({ items: z.array(MemberSchema), next_cursor: z.string().nullable() }).openapi("RoomMemberList");
export const TransferResultSchema = z.object({ owner: MemberSchema, previous_owner: MemberSchema }).openapi("RoomTransfer");
export const ReadMarkerResultSchema = z.object({ last_read_seq: z.number().int(), last_read_at: timestamp }).openapi("RoomReadMarkerResult");

export const InviteViewSchema = z
  .object({
    id: z.uuid(),
    room: z.object({ id: z.uuid(), name: z.string().nullable(), room_type: z.enum(["public", "private", "dm"]), has_password: z.boolean() }),
    inviter: UserRefSchema.nullable(),
    invitee: UserRefSchema,
    status: z.enum(["pending", "accepted", "declined", "revoked"]),
    expires_at: timestamp,
    created_at: timestamp,
  })
  .openapi("RoomInvite");
export type InviteView = z.infer<typeof InviteViewSchema>;
export const InviteListSchema = z.object({ items: z.array(InviteViewSchema), next_cursor: z.string().nullable() }).openapi("RoomInviteList");
