import { z } from "@hono/zod-openapi";
import { VERIFIABLE_ROLES } from "../users/schemas";

/** Request and response schemas of the admin API (spec §16). JSON field names are snake_case. */

export const ACCOUNT_ROLES = ["user", "creator", "premium", "moderator", "admin"] as const;
export const AUDIT_SEVERITIES = ["debug", "info", "warning", "error", "critical"] as const;

const timestamp = z.string().openapi({ format: "date-time" });
const limit = z.coerce.number().int().min(1).max(100).default(50);
const cursor = z.string().max(200).optional().openapi({ description: "`next_cursor` of the previous page" });
const instant = z.iso.datetime({ offset: true });

export const UserIdParamSchema = z.object({ id: z.uuid() });

export const AuditLogQuerySchema = z
  .object({
    actor_id: z.uuid().optional().openapi({ description: "Who did it" }),
    user_id: z.uuid().optional().openapi({ description: "Whose account or data it concerns" }),
    action: z
      .string()
      .max(100)
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.?$/, "must be an action name, or a prefix ending with '.'")
      .optional()
      .openapi({ description: "An action (`role.grant`), or every action under a prefix ending with a dot (`auth.`)" }),
    entity_type: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "must be a table name").optional().openapi({ description: "The audited table of row-change entries (users, orders, ...)" }),
    entity_id: z.uuid().optional().openapi({ description: "The audited row's id" }),
    severity: z.enum(AUDIT_SEVERITIES).optional().openapi({ description: "This severity or a higher one" }),
    from: instant.optional().openapi({ description: "On or after this instant" }),
    to: instant.optional().openapi({ description: "Before this instant" }),
    limit,
    cursor,
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ["to"], message: "must be after from" });

export const AuditLogEntrySchema = z
  .object({
    id: z.uuid(),
    created_at: timestamp,
    action: z.string().nullable(),
    entity_type: z.string().nullable().openapi({ description: "Row-change entries: the audited table" }),
    operation: z.enum(["INSERT", "UPDATE", "DELETE"]).nullable(),
    entity_id: z.uuid().nullable(),
    user_id: z.uuid().nullable(),
    actor_id: z.uuid().nullable(),
    ip_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.uuid().nullable(),
    severity: z.enum(AUDIT_SEVERITIES),
    metadata: z.record(z.string(), z.unknown()),
    old_data: z.record(z.string(), z.unknown()).nullable(),
    new_data: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditLogEntry");

export const AuditLogPageSchema = z.object({ items: z.array(AuditLogEntrySchema), next_cursor: z.string().nullable() }).openapi("AuditLogPage");

export const UserSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(255).optional().openapi({ description: "Start of the email or username (case-insensitive), or a user id" }),
  role: z.enum(ACCOUNT_ROLES).optional(),
  status: z.enum(["active", "banned", "deleted"]).optional().openapi({ description: "active: neither banned nor deleted" }),
  limit,
  cursor,
});

export const AdminUserSummarySchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    username: z.string(),
    display_name: z.string().nullable(),
    role: z.enum(ACCOUNT_ROLES),
    is_banned: z.boolean(),
    email_verified: z.boolean(),
    created_at: timestamp,
    last_login_at: timestamp.nullable(),
    deleted_at: timestamp.nullable(),
  })
  .openapi("AdminUserSummary");

export const AdminUserPageSchema = z.object({ items: z.array(AdminUserSummarySchema), next_cursor: z.string().nullable() }).openapi("AdminUserPage");

export const AdminUserSchema = AdminUserSummarySchema.extend({
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  is_active: z.boolean(),
  login_count: z.number().int(),
  last_password_change_at: timestamp.nullable(),
  two_factor_enabled: z.boolean(),
  active_sessions: z.number().int().openapi({ description: "Refresh-token families neither revoked nor expired" }),
  verified_roles: z.array(z.object({ role: z.enum(VERIFIABLE_ROLES), verified_at: timestamp.nullable() })),
  sanctions: z.array(
    z.object({ id: z.uuid(), action_type: z.string(), reason: z.string(), created_at: timestamp, expires_at: timestamp.nullable(), reversed_at: timestamp.nullable() }),
  ).openapi({ description: "The 20 latest moderation actions against this account" }),
}).openapi("AdminUser");

export const ChangeRoleSchema = z.strictObject({ role: z.enum(ACCOUNT_ROLES) }).openapi("ChangeRole");
export const VerifyRoleSchema = z.strictObject({ role: z.enum(VERIFIABLE_ROLES) }).openapi("VerifyRole");

export const RoleChangeSchema = z.object({ user_id: z.uuid(), role: z.enum(ACCOUNT_ROLES), previous_role: z.enum(ACCOUNT_ROLES) }).openapi("RoleChange");
export const ForceLogoutSchema = z.object({ user_id: z.uuid(), sessions_revoked: z.number().int() }).openapi("ForceLogout");

const date = z.iso.date();
export const MetricsQuerySchema = z
  .object({
    from: date.optional().openapi({ description: "First day (default: 29 days before `to`)" }),
    to: date.optional().openapi({ description: "Last day, included (default: today, UTC)" }),
    metric: z
      .string()
      .regex(/^[a-z][a-z0-9_.]*(,[a-z][a-z0-9_.]*){0,19}$/, "must be metric names separated by commas")
      .optional()
      .openapi({ description: "Comma-separated metric names (default: all)" }),
    dimension: z.string().max(255).optional().openapi({ description: "A breakdown value; default '' (the totals). `*` for every dimension" }),
  });

export const MetricsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    series: z.array(
      z.object({ metric: z.string(), dimension: z.string(), points: z.array(z.object({ date: z.string(), value: z.number() })) }),
    ),
  })
  .openapi("PlatformMetrics");
