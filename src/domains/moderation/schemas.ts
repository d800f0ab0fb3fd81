import { z } from "@hono/zod-openapi";
import { moderationReasonCategories, moderationReportStatuses } from "../../db/schema/admin";

/**
 * The shapes of moderation (spec §16): reports, the moderators' queue, actions and appeals. Limits
 * mirror migrations/0013_admin.sql (details ≤ 5000, a non-blank reason), so bad input is a 422.
 */

/** What can be reported: every kind the tables' CHECK allows (migration 0013). */
export const REPORT_TARGETS = ["user", "track", "comment", "post", "message", "product", "group", "playlist", "review", "course", "room"] as const;
export type ReportTarget = (typeof REPORT_TARGETS)[number];
/**
 * Content a moderator can hide, remove and restore: everything reportable but an account. A
 * `message` is a room's message (hidden through its room, live) or a direct message.
 */
export const CONTENT_TARGETS = ["track", "comment", "post", "message", "product", "group", "playlist", "review", "course", "room"] as const;
export type ContentTarget = (typeof CONTENT_TARGETS)[number];

export const ACTIONS = ["warn", "hide_content", "remove_content", "suspend", "ban"] as const;
export type ActionKind = (typeof ACTIONS)[number];

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const text = (max: number) => z.string().trim().min(1).max(max).refine(noControl, "must not contain control characters");
const uuid = z.string().uuid();

export const IdParamSchema = z.object({ id: uuid.openapi({ param: { name: "id", in: "path" } }) });

export const CreateReportSchema = z
  .object({
    target_type: z.enum(REPORT_TARGETS),
    target_id: uuid,
    reason_category: z.enum(moderationReasonCategories),
    details: text(5000).optional(),
  })
  .strict()
  .openapi("CreateModerationReport");
export type CreateReport = z.infer<typeof CreateReportSchema>;

export const ReportSchema = z
  .object({
    id: uuid,
    reporter_id: uuid.nullable(),
    target_type: z.enum(REPORT_TARGETS),
    target_id: uuid,
    target_user_id: uuid.nullable(),
    reason_category: z.enum(moderationReasonCategories),
    details: z.string().nullable(),
    status: z.enum(moderationReportStatuses),
    assigned_to: uuid.nullable(),
    resolved_at: timestamp.nullable(),
    resolved_by: uuid.nullable(),
    resolution_note: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("ModerationReport");
export type Report = z.infer<typeof ReportSchema>;

export const QueueQuerySchema = z.object({
  status: z.enum(moderationReportStatuses).optional().openapi({ description: "Defaults to the open queue (open and in_review)" }),
  target_type: z.enum(REPORT_TARGETS).optional(),
  assigned_to: z.union([uuid, z.literal("me")]).optional().openapi({ description: "A moderator's id, or `me`" }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type QueueQuery = z.infer<typeof QueueQuerySchema>;

export const ReportPageSchema = z.object({ items: z.array(ReportSchema), next_cursor: z.string().nullable() }).openapi("ModerationReportPage");

export const UpdateReportSchema = z
  .object({
    assigned_to: uuid.nullable().optional().openapi({ description: "A moderator or admin; null unassigns" }),
    status: z.enum(moderationReportStatuses).optional().openapi({ description: "resolved / dismissed close the report; open / in_review reopen it" }),
    resolution_note: text(2000).optional(),
  })
  .strict()
  .refine((b) => b.assigned_to !== undefined || b.status !== undefined, { message: "give assigned_to or status" })
  .openapi("UpdateModerationReport");
export type UpdateReport = z.infer<typeof UpdateReportSchema>;

export const CreateActionSchema = z
  .object({
    action_type: z.enum(ACTIONS),
    /** The account (warn, suspend, ban) — or leave it out and name the content. */
    user_id: uuid.optional(),
    target_type: z.enum(CONTENT_TARGETS).optional(),
    target_id: uuid.optional(),
    reason: text(2000),
    /** Suspensions: how long, in hours (at most a year). */
    duration_hours: z.number().int().min(1).max(24 * 366).optional(),
    /** The report this acts on: it is resolved with the action. */
    report_id: uuid.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const content = b.action_type === "hide_content" || b.action_type === "remove_content";
    if (content && (!b.target_type || !b.target_id)) ctx.addIssue({ code: "custom", path: ["target_id"], message: "content actions need target_type and target_id" });
    if (!content && !b.user_id) ctx.addIssue({ code: "custom", path: ["user_id"], message: "account actions need user_id" });
    if (!content && (b.target_type || b.target_id)) ctx.addIssue({ code: "custom", path: ["target_type"], message: "account actions take user_id only" });
    if ((b.target_type === undefined) !== (b.target_id === undefined)) ctx.addIssue({ code: "custom", path: ["target_type"], message: "give both target_type and target_id" });
    if (b.action_type === "suspend" && !b.duration_hours) ctx.addIssue({ code: "custom", path: ["duration_hours"], message: "a suspension needs duration_hours" });
    if (b.action_type !== "suspend" && b.duration_hours !== undefined) ctx.addIssue({ code: "custom", path: ["duration_hours"], message: "only a suspension has a duration" });
  })
  .openapi("CreateModerationAction");
export type CreateAction = z.infer<typeof CreateActionSchema>;

export const ReasonSchema = z.object({ reason: text(2000) }).strict().openapi("ModerationReason");
export const SuspendSchema = z
  .object({ reason: text(2000), duration_hours: z.number().int().min(1).max(24 * 366) })
  .strict()
  .openapi("SuspendAccount");

export const ActionSchema = z
  .object({
    id: uuid,
    moderator_id: uuid.nullable(),
    target_user_id: uuid.nullable(),
    report_id: uuid.nullable(),
    action_type: z.enum(["warn", "hide_content", "remove_content", "suspend", "ban", "restore", "unban"]),
    target_type: z.string().nullable(),
    target_id: uuid.nullable(),
    reason: z.string(),
    expires_at: timestamp.nullable(),
    reversed_at: timestamp.nullable(),
    reversal_reason: z.string().nullable(),
    appeal_status: z.enum(["none", "pending", "accepted", "rejected"]),
    appeal_text: z.string().nullable(),
    appealed_at: timestamp.nullable(),
    appeal_resolved_at: timestamp.nullable(),
    created_at: timestamp,
  })
  .openapi("ModerationAction");
export type Action = z.infer<typeof ActionSchema>;
export const ActionListSchema = z.object({ items: z.array(ActionSchema) }).openapi("ModerationActionList");

export const AppealSchema = z.object({ text: text(5000) }).strict().openapi("CreateAppeal");
export const AppealDecisionSchema = z
  .object({ decision: z.enum(["accepted", "rejected"]), note: text(2000).optional() })
  .strict()
  .openapi("AppealDecision");
