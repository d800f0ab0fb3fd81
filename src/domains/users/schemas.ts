import { z } from "@hono/zod-openapi";

/**
 * The shapes of the users domain, shared by routes, queries and tests. Field names are the
 * columns' own (snake_case), as the account endpoints of this issue use them in requests too.
 */

export const VERIFIABLE_ROLES = ["creator", "producer", "label", "educator"] as const;
export const BADGE_CATEGORIES = ["instrument", "genre", "experience", "role"] as const;

/** Every boolean column of user_settings, in the table's order: the one list SQL and schemas use. */
export const SETTINGS_COLUMNS = [
  "email_notifications",
  "push_notifications",
  "browser_notifications",
  "email_on_follow",
  "email_on_like",
  "email_on_comment",
  "email_on_message",
  "email_on_mention",
  "email_marketing",
  "allow_search_indexing",
  "show_activity",
  "explicit_content",
  "autoplay",
  "save_search_history",
] as const;
export type SettingsColumn = (typeof SETTINGS_COLUMNS)[number];

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

export const BadgeSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.enum(BADGE_CATEGORIES),
    icon_url: z.string().nullable(),
    color: z.string().nullable(),
  })
  .openapi("Badge");

/** A badge as a user holds it: shown or not, in the user's order. */
export const UserBadgeSchema = BadgeSchema.extend({
  is_displayed: z.boolean(),
  display_order: z.number().int().nullable(),
}).openapi("UserBadge");

export const VerifiedRoleSchema = z
  .object({ role: z.enum(VERIFIABLE_ROLES), verified_at: timestamp })
  .openapi("VerifiedRole");

export const SettingsSchema = z
  .object(Object.fromEntries(SETTINGS_COLUMNS.map((k) => [k, z.boolean()])) as Record<SettingsColumn, z.ZodBoolean>)
  .extend({ updated_at: timestamp })
  .openapi("UserSettings");

const CountsSchema = z
  .object({
    followers: z.number().int(),
    following: z.number().int(),
    tracks: z.number().int(),
    playlists: z.number().int(),
  })
  .openapi("ProfileCounts");

const visibility = z.enum(["public", "unlisted", "private"]);
const theme = z.enum(["light", "dark", "auto"]);

export const MeSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    email_verified: z.boolean(),
    email_verified_at: timestamp.nullable(),
    username: z.string(),
    display_name: z.string().nullable(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    role: z.enum(["user", "creator", "premium", "moderator", "admin"]),
    verified_roles: z.array(VerifiedRoleSchema),
    consents: z.object({
      data_processing: z.boolean(),
      data_processing_at: timestamp.nullable(),
      marketing: z.boolean(),
      marketing_at: timestamp.nullable(),
    }),
    created_at: timestamp,
    profile: z.object({
      bio: z.string().nullable(),
      tagline: z.string().nullable(),
      location: z.string().nullable(),
      website_url: z.string().nullable(),
      birthdate: z.string().nullable().openapi({ format: "date" }),
      gender: z.string().nullable(),
      avatar_url: z.string().nullable(),
      banner_url: z.string().nullable(),
      language: z.string().nullable(),
      timezone: z.string().nullable(),
      theme: theme.nullable(),
      profile_visibility: visibility,
      show_email: z.boolean(),
      show_location: z.boolean(),
      counts: CountsSchema,
    }),
    settings: SettingsSchema,
    badges: z.array(UserBadgeSchema),
  })
  .openapi("Me");
export type Me = z.infer<typeof MeSchema>;

export const PublicProfileSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    display_name: z.string().nullable(),
    /** Only when the user chose show_email. */
    email: z.string().optional(),
    bio: z.string().nullable(),
    tagline: z.string().nullable(),
    /** Only when the user chose show_location (on by default). */
    location: z.string().nullable().optional(),
    website_url: z.string().nullable(),
    avatar_url: z.string().nullable(),
    banner_url: z.string().nullable(),
    profile_visibility: visibility,
    verified_roles: z.array(VerifiedRoleSchema),
    counts: CountsSchema,
    stats: z
      .object({
        total_plays: z.number().int(),
        total_likes: z.number().int(),
        public_tracks: z.number().int(),
        last_track_published_at: timestamp.nullable(),
      })
      .openapi("ProfileStats"),
    badges: z.array(BadgeSchema),
    created_at: timestamp,
  })
  .openapi("PublicProfile");
export type PublicProfile = z.infer<typeof PublicProfileSchema>;
