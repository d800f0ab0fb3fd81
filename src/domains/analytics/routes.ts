import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import { REPORT_KEEP_DAYS } from "./report-link";
import {
  AnalyticsOverviewSchema,
  CreateDashboardSchema,
  CreateReportSchema,
  DashboardListSchema,
  DashboardSchema,
  DownloadQuerySchema,
  IdParamSchema,
  PeriodQuerySchema,
  ReportListQuerySchema,
  ReportListSchema,
  ReportSchema,
  TrackAnalyticsSchema,
  TrackIdParamSchema,
  TrendingListSchema,
  TrendingQuerySchema,
  UpdateDashboardSchema,
  UserStatisticsSchema,
  UsernameParamSchema,
} from "./schemas";
import { signedIn, optionalBearer, jsonBody } from "../../lib/openapi";


const problems = {
  401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent where one is needed"),
  403: problemDoc("The account is banned, or the download link is forged or expired"),
  404: problemDoc("Nothing of yours (or nothing you may see) has this id or name"),
  409: problemDoc("A dashboard of yours has this name already, or you have too many"),
  422: problemDoc("The request is not valid; `errors` lists each field"),
  429: problemDoc("Too many of these in a minute: wait (Retry-After) and try again"),
  503: problemDoc("The report queue is unavailable; retry later"),
} as const;
const mine = { 401: problems[401], 403: problems[403], 422: problems[422] };

const ROUND_TRIP = "One database round trip.";
const PERIOD = "`from`/`to` are UTC days, both inclusive (default: the last 28 days, today included; at most 366 days). Figures come from the hourly aggregation, so today's are up to an hour behind.";
const COUNTS_ONLY = "Counts only (spec §17.4): nothing in the answer identifies a listener.";

// ---------------------------------------------------------------------------------------------
// Public

export const trendingRoute = createRoute({
  method: "get",
  path: "/v1/tracks/trending",
  tags: ["Analytics"],
  summary: "The trending chart",
  description: `The public tracks most played over the last 7 days (spec §23.1), refreshed hourly: a popularity chart, the same for everyone, never personalised (§17). Tracks deleted, made private or unlisted, or whose creator was banned or deleted since the refresh are left out at once, and so are creators with a block either way with you. \`genre\` filters within the chart's 100 tracks. ${ROUND_TRIP}`,
  security: optionalBearer,
  request: { query: TrendingQuerySchema },
  responses: { 200: jsonDoc("The chart, best first", TrendingListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const userStatisticsRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/statistics",
  tags: ["Analytics"],
  summary: "A user's statistics",
  description: `From the daily user_statistics snapshot (spec §23.2), found like the profile (GET /v1/users/{username}): deleted and banned accounts are 404, a private profile is 404 to anyone but its owner. Total plays and likes include private tracks, so only the owner sees them (null for others). ${ROUND_TRIP}`,
  security: optionalBearer,
  request: { params: UsernameParamSchema },
  responses: { 200: jsonDoc("The statistics", UserStatisticsSchema), 401: problems[401], 403: problems[403], 404: problemDoc("No profile you may see has this username"), 422: problems[422] },
});

// ---------------------------------------------------------------------------------------------
// My analytics

export const trackAnalyticsRoute = createRoute({
  method: "get",
  path: "/v1/me/analytics/tracks/{id}",
  tags: ["Analytics"],
  summary: "My track's analytics",
  description: `The daily series (every day of the period, zeros where nothing was played) and totals of one of your tracks, with plays by source and by device. Only the creator: any other track, even one you can listen to, is 404 (it is not among your tracks). ${PERIOD} ${COUNTS_ONLY} ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: TrackIdParamSchema, query: PeriodQuerySchema },
  responses: { 200: jsonDoc("The track's analytics", TrackAnalyticsSchema), ...mine, 404: problemDoc("You have no live track with this id") },
});

export const overviewRoute = createRoute({
  method: "get",
  path: "/v1/me/analytics/overview",
  tags: ["Analytics"],
  summary: "My catalogue's analytics",
  description: `All your live tracks summed per day over the period, the totals, and your 10 most played tracks of the period. ${PERIOD} ${COUNTS_ONLY} ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: PeriodQuerySchema },
  responses: { 200: jsonDoc("The overview", AnalyticsOverviewSchema), ...mine },
});

// ---------------------------------------------------------------------------------------------
// Reports

export const createReportRoute = createRoute({
  method: "post",
  path: "/v1/me/reports",
  tags: ["Analytics"],
  summary: "Ask for a report of my analytics",
  description: `Answers 202 with the pending report; it is generated in the background (poll GET /v1/me/reports/{id} until \`completed\`, then follow \`download_url\`). \`params.track_ids\` must all be your live tracks (404 otherwise); without it, all your tracks. The file is kept ${REPORT_KEEP_DAYS} days. ${COUNTS_ONLY} ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "reports")] as const,
  request: { body: jsonBody(CreateReportSchema) },
  responses: { 202: jsonDoc("The report, pending", ReportSchema), ...mine, 404: problemDoc("One of the tracks named is not one of your live tracks"), 429: problems[429], 503: problems[503] },
});

export const listReportsRoute = createRoute({
  method: "get",
  path: "/v1/me/reports",
  tags: ["Analytics"],
  summary: "My reports",
  description: `Newest first, by cursor (\`next_cursor\`, null on the last page). ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: ReportListQuerySchema },
  responses: { 200: jsonDoc("A page of reports", ReportListSchema), ...mine },
});

export const getReportRoute = createRoute({
  method: "get",
  path: "/v1/me/reports/{id}",
  tags: ["Analytics"],
  summary: "One of my reports",
  description: `Its status, and a fresh signed \`download_url\` once completed. Anyone else's report is 404. ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema },
  responses: { 200: jsonDoc("The report", ReportSchema), ...mine, 404: problemDoc("You have no report with this id") },
});

export const deleteReportRoute = createRoute({
  method: "delete",
  path: "/v1/me/reports/{id}",
  tags: ["Analytics"],
  summary: "Delete one of my reports",
  description: `Its file is removed and its links stop working. Anyone else's report is 404. ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema },
  responses: { 204: { description: "Deleted" }, ...mine, 404: problemDoc("You have no report with this id") },
});

export const downloadReportRoute = createRoute({
  method: "get",
  path: "/v1/reports/{id}/download",
  tags: ["Analytics"],
  summary: "Download a report's file",
  description: `The \`download_url\` of a completed report: the signed link is the permission (no bearer token needed), valid about an hour. A deleted or expired report is 404. ${ROUND_TRIP}`,
  request: { params: IdParamSchema, query: DownloadQuerySchema },
  responses: {
    200: { description: "The file (CSV or JSON)", content: { "text/csv": { schema: z.string() }, "application/json": { schema: z.unknown() } } },
    401: problems[401],
    403: problems[403],
    404: problemDoc("No such report, or it was deleted or has expired"),
    422: problems[422],
  },
});

// ---------------------------------------------------------------------------------------------
// Dashboards

export const listDashboardsRoute = createRoute({
  method: "get",
  path: "/v1/me/dashboards",
  tags: ["Analytics"],
  summary: "My dashboards",
  description: `The default first, then by name. ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: jsonDoc("My dashboards", DashboardListSchema), 401: problems[401], 403: problems[403] },
});

const DASHBOARD_RULES =
  "Names are unique among your dashboards (case-insensitive, 409); one dashboard is the default at most, and making one the default ends the previous one's in the same statement. The layout's widgets are of known types and fit the 12-column grid (x + w ≤ 12).";

export const createDashboardRoute = createRoute({
  method: "post",
  path: "/v1/me/dashboards",
  tags: ["Analytics"],
  summary: "Save a dashboard",
  description: `${DASHBOARD_RULES} At most 50 dashboards. ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "dashboards")] as const,
  request: { body: jsonBody(CreateDashboardSchema) },
  responses: { 201: jsonDoc("The dashboard", DashboardSchema), ...mine, 409: problems[409], 429: problems[429] },
});

export const updateDashboardRoute = createRoute({
  method: "patch",
  path: "/v1/me/dashboards/{id}",
  tags: ["Analytics"],
  summary: "Change a dashboard",
  description: `Only the fields given change. ${DASHBOARD_RULES} Anyone else's dashboard is 404. ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "dashboards")] as const,
  request: { params: IdParamSchema, body: jsonBody(UpdateDashboardSchema) },
  responses: { 200: jsonDoc("The dashboard", DashboardSchema), ...mine, 404: problemDoc("You have no dashboard with this id"), 409: problems[409], 429: problems[429] },
});

export const deleteDashboardRoute = createRoute({
  method: "delete",
  path: "/v1/me/dashboards/{id}",
  tags: ["Analytics"],
  summary: "Delete a dashboard",
  description: `Anyone else's dashboard is 404. ${ROUND_TRIP}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: IdParamSchema },
  responses: { 204: { description: "Deleted" }, ...mine, 404: problemDoc("You have no dashboard with this id") },
});
