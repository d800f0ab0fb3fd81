import { z } from "@hono/zod-openapi";
import { UsernameParamSchema } from "../tracks/schemas";
import { GROUP_ROLES, GROUP_STATUSES } from "./roles";

/**
 * The shapes of the groups domain (spec §9.8–§9.9), shared by routes, services and tests. Limits
 * mirror migrations/0006_social.sql (VARCHAR lengths and CHECKs), so bad input is a 422 with a
 * field path, never a database error.
 */

export const GROUP_TYPES = ["public", "private"] as const;

/** Lower-case letters and digits, single dashes between them. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const noControlButNewlines = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const name = z.string().trim().min(1).max(255).refine(noControl, "must not contain control characters");
const description = z.string().trim().max(5000).refine(noControlButNewlines, "must not contain control characters").nullable().optional();

const image = (what: string) => z.uuid().nullable().optional().openapi({ description: `The ${what}: one of your image files (from /v1/uploads); null for none` });
const images = { avatar_file_id: image("avatar"), banner_file_id: image("banner") };

export const CreateGroupSchema = z
  .object({
    name: name.openapi({ example: "Modular synth nerds" }),
    slug: z
      .string()
      .min(3)
      .max(100)
      .regex(SLUG_PATTERN, "must be lower-case letters and digits separated by single dashes")
      .optional()
      .openapi({ description: "The group's address (/v1/groups/{slug}); derived from the name when left out. A taken slug is 409." }),
    description,
    group_type: z.enum(GROUP_TYPES).default("public").openapi({ description: "Private groups are never listed, and only members see their members" }),
    requires_approval: z.boolean().default(false).openapi({ description: "Joining a public group needs a moderator's approval (private groups always do)" }),
    ...images,
  })
  .strict()
  .openapi("CreateGroup");
export type CreateGroupInput = z.infer<typeof CreateGroupSchema>;

export const UpdateGroupSchema = z
  .object({ name: name.optional(), description, group_type: z.enum(GROUP_TYPES).optional(), requires_approval: z.boolean().optional(), ...images })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "name at least one field to change")
  .openapi("UpdateGroup");
export type UpdateGroupInput = z.infer<typeof UpdateGroupSchema>;

const slugParam = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,100}$/, "is not a group slug")
  .openapi({ param: { name: "slug", in: "path" }, example: "modular-synth-nerds" });
export const GroupSlugParamSchema = z.object({ slug: slugParam });
export const GroupImageParamSchema = z.object({ slug: slugParam, fileId: z.uuid().openapi({ param: { name: "fileId", in: "path" } }) });
export const GroupMemberParamSchema = z.object({ slug: slugParam, username: UsernameParamSchema.shape.username.openapi({ param: { name: "username", in: "path" } }) });

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional().openapi({ description: "next_cursor of the previous page" }),
});
export const DiscoverQuerySchema = ListQuerySchema.extend({
  q: z.string().trim().min(1).max(100).optional().openapi({ description: "Part of the group's name (case-insensitive)" }),
});
export const MyGroupsQuerySchema = ListQuerySchema.extend({
  status: z.enum(["active", "pending"]).default("active").openapi({ description: "Groups you are a member of (active), or have asked to join (pending)" }),
});

export const SetRoleSchema = z
  .object({ role: z.enum(GROUP_ROLES).exclude(["owner"]).openapi({ description: "Ownership moves with POST /v1/groups/{slug}/transfer" }) })
  .strict()
  .openapi("SetGroupRole");
export const TransferSchema = z.object({ username: UsernameParamSchema.shape.username }).strict().openapi("TransferGroup");

export const UserCardSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable(), avatar_url: z.string().nullable() })
  .openapi("GroupUserCard");
export type UserCard = z.infer<typeof UserCardSchema>;

export const MembershipSchema = z
  .object({
    role: z.enum(GROUP_ROLES),
    status: z.enum(GROUP_STATUSES).openapi({ description: "active: a member; pending: a request awaiting approval; banned: kept out" }),
    joined_at: timestamp.openapi({ description: "When you joined (or asked to)" }),
  })
  .openapi("GroupMembership");
export type Membership = z.infer<typeof MembershipSchema>;

export const GroupSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    description: z.string().nullable(),
    group_type: z.enum(GROUP_TYPES),
    requires_approval: z.boolean(),
    avatar_url: z.string().nullable().openapi({ description: "The avatar image (relative to the API origin)" }),
    banner_url: z.string().nullable().openapi({ description: "The banner image (relative to the API origin)" }),
    member_count: z.number().int(),
    post_count: z.number().int(),
    owner: UserCardSchema,
    created_at: timestamp,
    updated_at: timestamp,
    my_membership: MembershipSchema.nullable().openapi({ description: "Your membership, request or ban; null when none (or anonymous)" }),
  })
  .openapi("Group");
export type Group = z.infer<typeof GroupSchema>;
export const GroupListSchema = z.object({ items: z.array(GroupSchema), next_cursor: z.string().nullable() }).openapi("GroupList");

export const MemberSchema = z.object({ user: UserCardSchema, role: z.enum(GROUP_ROLES), status: z.enum(GROUP_STATUSES), joined_at: timestamp }).openapi("GroupMember");
export type Member = z.infer<typeof MemberSchema>;
export const MemberListSchema = z.object({ items: z.array(MemberSchema), next_cursor: z.string().nullable() }).openapi("GroupMemberList");

export const JoinResultSchema = z
  .object({ joined: z.boolean().openapi({ description: "false when you already were a member (or had asked)" }), membership: MembershipSchema })
  .openapi("GroupJoin");
export const TransferResultSchema = z.object({ owner: MemberSchema, previous_owner: MemberSchema }).openapi("GroupTransfer");
