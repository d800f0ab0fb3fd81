import { z } from "@hono/zod-openapi";
import { BADGE_CATEGORIES, SETTINGS_COLUMNS, VERIFIABLE_ROLES, type SettingsColumn } from "./schemas";

/** Request schemas of the users domain: every field checked as the columns and CHECKs require. */

/** Free text shown to others: trimmed, no control characters (line breaks allowed in bio only). */
const text = (max: number, { multiline = false } = {}) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !(multiline ? /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/ : /\p{Cc}/u).test(s), "must not contain control characters");

const name = (max: number) => text(max).pipe(z.string().min(1)).nullable();

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const MINIMUM_AGE = 13;

/** A real calendar date in the past, of someone at least 13 years old (and born after 1900). */
const birthdate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((s) => {
    const [y, m, d] = s.split("-").map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, "is not a calendar date")
  .refine((s) => s < new Date().toISOString().slice(0, 10), "must be in the past")
  .refine((s) => {
    const now = new Date();
    const limit = `${now.getUTCFullYear() - MINIMUM_AGE}${now.toISOString().slice(4, 10)}`;
    return s <= limit;
  }, `you must be at least ${MINIMUM_AGE} years old`)
  .refine((s) => s >= "1900-01-01", "must be after 1900-01-01")
  .openapi({ format: "date", example: "1990-04-12" });

/** Columns of `users` that PATCH /v1/me may change. */
export const USER_FIELDS = ["display_name", "first_name", "last_name"] as const;
/** Columns of `user_profiles` that PATCH /v1/me may change. */
export const PROFILE_FIELDS = [
  "bio", "tagline", "location", "website_url", "birthdate", "gender",
  "language", "timezone", "theme", "profile_visibility", "show_email", "show_location",
] as const;

export const UpdateMeSchema = z
  .strictObject({
    display_name: name(100),
    first_name: name(100),
    last_name: name(100),
    bio: text(2000, { multiline: true }).nullable(),
    tagline: text(255).nullable(),
    location: text(255).nullable(),
    website_url: z
      .url({ protocol: /^https?$/, hostname: z.regexes.domain, error: "must be an http(s) URL" })
      .max(500)
      .nullable()
      .openapi({ example: "https://example.com" }),
    birthdate: birthdate.nullable(),
    gender: text(50).nullable(),
    language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be an ISO 639-1 code such as en or fr-FR").openapi({ example: "fr-FR" }),
    timezone: z.string().max(50).refine(isTimeZone, "must be an IANA time zone such as Europe/Paris").openapi({ example: "Europe/Paris" }),
    theme: z.enum(["light", "dark", "auto"]),
    profile_visibility: z.enum(["public", "unlisted", "private"]),
    show_email: z.boolean(),
    show_location: z.boolean(),
  })
  .partial()
  .openapi("UpdateMe");
export type UpdateMe = z.infer<typeof UpdateMeSchema>;

export const UpdateSettingsSchema = z
  .strictObject(Object.fromEntries(SETTINGS_COLUMNS.map((k) => [k, z.boolean()])) as Record<SettingsColumn, z.ZodBoolean>)
  .partial()
  .openapi("UpdateSettings");
export type UpdateSettings = z.infer<typeof UpdateSettingsSchema>;

export const MAX_BADGES = 20;

export const ReplaceBadgesSchema = z
  .strictObject({
    badges: z
      .array(z.strictObject({ badge_id: z.uuid(), is_displayed: z.boolean().default(true) }))
      .max(MAX_BADGES, `at most ${MAX_BADGES} badges`)
      .refine((list) => new Set(list.map((b) => b.badge_id.toLowerCase())).size === list.length, "lists a badge twice"),
  })
  .openapi("ReplaceBadges");

export const BadgeListQuerySchema = z.object({ category: z.enum(BADGE_CATEGORIES).optional() });

export const RoleSchema = z.enum(VERIFIABLE_ROLES);
