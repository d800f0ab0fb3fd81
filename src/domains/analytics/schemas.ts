import { z } from "@hono/zod-openapi";
import { TrackSummarySchema, UsernameParamSchema } from "../tracks/schemas";

/**
 * The shapes of analytics (spec §15, §17.4, §23), shared by routes, services and tests. Every
 * figure is a count or a sum: no listener is ever named, nor identified by an id.
 */

export { UsernameParamSchema };

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const date = z.iso.date().openapi({ example: "2026-03-01" });

/** The longest period one analytics read or report covers. */
export const MAX_PERIOD_DAYS = 366;
/** The period when none is given: the last 28 days, today included. */
export const DEFAULT_PERIOD_DAYS = 28;

// ---------------------------------------------------------------------------------------------
// Trending (§23.1): a popularity chart of the last 7 days, the same for everyone.

export const TrendingQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  genre: z.string().trim().min(1).max(100).optional().openapi({ description: "Only tracks of this genre (case-insensitive)", example: "ambient" }),
});

export const TrendingEntrySchema = z
  .object({
    rank: z.number().int().openapi({ description: "Place in the chart (1 = first), counted after tracks you may not see are left out" }),
    score: z.number().openapi({ description: "0.4 × listeners + 0.3 × plays + 0.2 × average completion + 0.1 × likes, over 7 days" }),
    plays_7d: z.number().int(),
    unique_listeners_7d: z.number().int(),
    like_count: z.number().int(),
    track: TrackSummarySchema,
  })
  .openapi("TrendingEntry");
export type TrendingEntry = z.infer<typeof TrendingEntrySchema>;

export const TrendingListSchema = z.object({ items: z.array(TrendingEntrySchema) }).openapi("TrendingList");

// ---------------------------------------------------------------------------------------------
// A user's statistics (§23.2), from the daily user_statistics snapshot.

export const UserStatisticsSchema = z
  .object({
    user_id: z.uuid(),
    username: z.string(),
    track_count: z.number().int(),
    playlist_count: z.number().int(),
    follower_count: z.number().int(),
    following_count: z.number().int(),
    total_plays: z.number().int().nullable().openapi({ description: "Over all the user's tracks, private ones included: shown to the user only (null for others)" }),
    total_likes: z.number().int().nullable().openapi({ description: "As total_plays: the user's own view only" }),
    last_track_uploaded: timestamp.nullable(),
  })
  .openapi("UserStatistics");
export type UserStatistics = z.infer<typeof UserStatisticsSchema>;

// ---------------------------------------------------------------------------------------------
// A creator's analytics of their own tracks (§17.4: aggregated counts only).

export const PeriodQuerySchema = z
  .object({
    from: date.optional().openapi({ description: `First day (UTC), inclusive; defaults to ${DEFAULT_PERIOD_DAYS - 1} days before \`to\`` }),
    to: date.optional().openapi({ description: "Last day (UTC), inclusive; defaults to today" }),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to) {
      const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
      if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before `from`" });
      else if (days > MAX_PERIOD_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `the period is at most ${MAX_PERIOD_DAYS} days` });
    }
  });
export type PeriodQuery = z.infer<typeof PeriodQuerySchema>;

const SourceCountsSchema = z
  .object({ playlist: z.number().int(), album: z.number().int(), search: z.number().int(), direct: z.number().int(), unknown: z.number().int() })
  .openapi("PlaySourceCounts", { description: "Plays by where they were started from" });
const DeviceCountsSchema = z
  .object({ mobile: z.number().int(), desktop: z.number().int(), web: z.number().int(), unknown: z.number().int() })
  .openapi("PlayDeviceCounts", { description: "Plays by class of device" });

const figures = {
  plays: z.number().int().openapi({ description: "Plays of at least 30 s" }),
  unique_listeners: z.number().int().openapi({
    description: "Distinct signed-in listeners of the day; over a period, the sum of each day's (a listener on two days counts twice). Anonymised plays count as plays only.",
  }),
  listen_seconds: z.number().int().openapi({ description: "Time listened, skips included" }),
  avg_completion: z.number().openapi({ description: "Average completion of the plays, percent (0 without plays)" }),
};

export const AnalyticsDaySchema = z.object({ day: date, ...figures }).openapi("AnalyticsDay");
export const AnalyticsTotalsSchema = z
  .object({ ...figures, sources: SourceCountsSchema, devices: DeviceCountsSchema })
  .openapi("AnalyticsTotals");

const PeriodSchema = z.object({ from: date, to: date }).openapi("AnalyticsPeriod");

export const TrackAnalyticsSchema = z
  .object({
    track: z.object({ id: z.uuid(), title: z.string(), visibility: z.string() }).openapi("AnalyticsTrack"),
    period: PeriodSchema,
    days: z.array(AnalyticsDaySchema).openapi({ description: "Every day of the period, oldest first; days without plays are zeros" }),
    totals: AnalyticsTotalsSchema,
  })
  .openapi("TrackAnalytics");
export type TrackAnalytics = z.infer<typeof TrackAnalyticsSchema>;

export const TopTrackSchema = z
  .object({ id: z.uuid(), title: z.string(), plays: z.number().int(), listen_seconds: z.number().int() })
  .openapi("AnalyticsTopTrack");

export const AnalyticsOverviewSchema = z
  .object({
    period: PeriodSchema,
    days: z.array(AnalyticsDaySchema).openapi({ description: "All your tracks summed per day, every day of the period" }),
    totals: AnalyticsTotalsSchema,
    top_tracks: z.array(TopTrackSchema).openapi({ description: "Your 10 most played tracks of the period (ties by title)" }),
  })
  .openapi("AnalyticsOverview");
export type AnalyticsOverview = z.infer<typeof AnalyticsOverviewSchema>;

export const TrackIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
export const IdParamSchema = TrackIdParamSchema;

// ---------------------------------------------------------------------------------------------
// Reports: exports of a creator's own analytics, generated off the request path into R2.

export const REPORT_TYPES = ["track_performance", "catalog_overview"] as const;
export const REPORT_FORMATS = ["csv", "json"] as const;
export const REPORT_STATUSES = ["pending", "processing", "completed", "failed", "expired"] as const;
/** Tracks one report may name. */
export const MAX_REPORT_TRACKS = 100;

export const CreateReportSchema = z
  .object({
    report_type: z.enum(REPORT_TYPES).openapi({ description: "track_performance: one row per track and day played; catalog_overview: one row per track with its period totals" }),
    title: z.string().trim().min(1).max(255).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters").optional(),
    period_start: date,
    period_end: date,
    format: z.enum(REPORT_FORMATS).default("csv"),
    params: z
      .object({ track_ids: z.array(z.uuid()).min(1).max(MAX_REPORT_TRACKS).optional().openapi({ description: "Only these of your tracks (all your tracks when absent)" }) })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    const days = (Date.parse(r.period_end) - Date.parse(r.period_start)) / 86_400_000 + 1;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["period_end"], message: "must not be before period_start" });
    else if (days > MAX_PERIOD_DAYS) ctx.addIssue({ code: "custom", path: ["period_end"], message: `the period is at most ${MAX_PERIOD_DAYS} days` });
  })
  .openapi("CreateReport");
export type CreateReportInput = z.infer<typeof CreateReportSchema>;

export const ReportSchema = z
  .object({
    id: z.uuid(),
    report_type: z.enum(REPORT_TYPES),
    title: z.string().nullable(),
    params: z.object({ track_ids: z.array(z.uuid()).optional() }),
    period_start: date,
    period_end: date,
    format: z.enum(REPORT_FORMATS),
    status: z.enum(REPORT_STATUSES).openapi({ description: "pending → processing → completed (or failed); a completed report past expires_at is expired" }),
    error_message: z.string().nullable(),
    file_size: z.number().int().nullable(),
    generated_at: timestamp.nullable(),
    expires_at: timestamp.nullable().openapi({ description: "Until when the file can be downloaded" }),
    created_at: timestamp,
    download_url: z.string().nullable().openapi({ description: "Signed link to the file (relative to the API origin), valid about an hour; only when completed" }),
  })
  .openapi("Report");
export type Report = z.infer<typeof ReportSchema>;

export const ReportListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});
export const ReportListSchema = z.object({ items: z.array(ReportSchema), next_cursor: z.string().nullable() }).openapi("ReportList");

export const DownloadQuerySchema = z.object({
  exp: z.string().max(12).optional().openapi({ description: "Expiry of the signed link (unix seconds)" }),
  sig: z.string().max(64).optional().openapi({ description: "Signature of the link" }),
});

// ---------------------------------------------------------------------------------------------
// Dashboards: a user's saved arrangements of analytics widgets on a 12-column grid.

export const GRID_COLUMNS = 12;
export const WIDGET_TYPES = [
  "plays_chart",
  "listeners_chart",
  "listen_time_chart",
  "completion_chart",
  "totals",
  "top_tracks",
  "sources_breakdown",
  "devices_breakdown",
] as const;
export const MAX_WIDGETS = 50;

const WidgetSchema = z
  .object({
    type: z.enum(WIDGET_TYPES),
    x: z.number().int().min(0).max(GRID_COLUMNS - 1),
    y: z.number().int().min(0).max(1000),
    w: z.number().int().min(1).max(GRID_COLUMNS),
    h: z.number().int().min(1).max(24),
    track_id: z.uuid().optional().openapi({ description: "For a widget about one of your tracks; all your tracks when absent" }),
    period_days: z.number().int().min(1).max(MAX_PERIOD_DAYS).optional(),
  })
  .strict()
  .refine((w) => w.x + w.w <= GRID_COLUMNS, { message: `x + w must fit in the ${GRID_COLUMNS}-column grid`, path: ["w"] })
  .openapi("DashboardWidget");

export const DashboardLayoutSchema = z
  .object({ widgets: z.array(WidgetSchema).max(MAX_WIDGETS) })
  .strict()
  .openapi("DashboardLayout");

const dashboardName = z.string().trim().min(1).max(100).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");
const dashboardDescription = z.string().trim().max(1000).nullable().optional();

export const CreateDashboardSchema = z
  .object({
    name: dashboardName,
    description: dashboardDescription,
    layout: DashboardLayoutSchema.default({ widgets: [] }),
    is_default: z.boolean().default(false).openapi({ description: "Make it your default dashboard (the previous default stops being one)" }),
  })
  .strict()
  .openapi("CreateDashboard");
export type CreateDashboardInput = z.infer<typeof CreateDashboardSchema>;

export const UpdateDashboardSchema = z
  .object({ name: dashboardName.optional(), description: dashboardDescription, layout: DashboardLayoutSchema.optional(), is_default: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "name at least one field to change")
  .openapi("UpdateDashboard");
export type UpdateDashboardInput = z.infer<typeof UpdateDashboardSchema>;

export const DashboardSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    layout: DashboardLayoutSchema,
    is_default: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("Dashboard");
export type Dashboard = z.infer<typeof DashboardSchema>;

export const DashboardListSchema = z.object({ items: z.array(DashboardSchema) }).openapi("DashboardList");
