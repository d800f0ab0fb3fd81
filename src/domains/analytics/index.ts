import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { viewerOf } from "../tracks/viewer";
import { findAnalyticsOverview, findTrackAnalytics } from "./creator-analytics";
import { createDashboard, deleteDashboard, listDashboards, updateDashboard } from "./dashboards";
import { openReport } from "./download-report";
import { periodOf } from "./period";
import { createReport, deleteReport, findReport, listReports } from "./reports";
import {
  createDashboardRoute,
  createReportRoute,
  deleteDashboardRoute,
  deleteReportRoute,
  downloadReportRoute,
  getReportRoute,
  listDashboardsRoute,
  listReportsRoute,
  overviewRoute,
  trackAnalyticsRoute,
  trendingRoute,
  updateDashboardRoute,
  userStatisticsRoute,
} from "./routes";
import { listTrending } from "./trending";
import { findUserStatistics } from "./user-statistics";

/**
 * Analytics (spec §15, §17.4, §23): the public trending chart and user statistics from the
 * materialized views; a creator's own aggregated analytics (counts only, no listener ever named),
 * reports of them generated into R2 through the jobs queue, and saved dashboards.
 */
export const analytics = createRouter()
  .openapi(trendingRoute, async (c) => c.json(await listTrending(c.var.db, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(userStatisticsRoute, async (c) =>
    c.json(await findUserStatistics(c.var.db, c.req.valid("param").username, viewerOf(c)?.userId ?? null), 200),
  )
  .openapi(trackAnalyticsRoute, async (c) =>
    c.json(await findTrackAnalytics(c.var.db, currentUser(c).userId, c.req.valid("param").id, periodOf(c.req.valid("query"))), 200),
  )
  .openapi(overviewRoute, async (c) => c.json(await findAnalyticsOverview(c.var.db, currentUser(c).userId, periodOf(c.req.valid("query"))), 200))
  .openapi(createReportRoute, async (c) => c.json(await createReport(c.var.db, c.env, currentUser(c).userId, c.req.valid("json")), 202))
  .openapi(listReportsRoute, async (c) => c.json(await listReports(c.var.db, c.env.JWT_SECRET, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(getReportRoute, async (c) => c.json(await findReport(c.var.db, c.env.JWT_SECRET, currentUser(c).userId, c.req.valid("param").id), 200))
  .openapi(deleteReportRoute, async (c) => {
    await deleteReport(c.var.db, c.env.MEDIA, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(downloadReportRoute, async (c) =>
    (await openReport(c.var.db, c.env.MEDIA, c.env.JWT_SECRET, c.req.valid("param").id, c.req.valid("query"))) as never,
  )
  .openapi(listDashboardsRoute, async (c) => c.json(await listDashboards(c.var.db, currentUser(c).userId), 200))
  .openapi(createDashboardRoute, async (c) => c.json(await createDashboard(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(updateDashboardRoute, async (c) =>
    c.json(await updateDashboard(c.var.db, currentUser(c).userId, c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(deleteDashboardRoute, async (c) => {
    await deleteDashboard(c.var.db, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  });
