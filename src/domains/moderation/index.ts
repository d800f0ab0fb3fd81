import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { deliverNotifications } from "../notifications/notify";
import { fileAppeal, listPendingAppeals, rejectAppeal } from "./appeals";
import { createReport } from "./create-report";
import { act, reverse, unban } from "./handlers";
import { listUserActions } from "./list-actions";
import { listReports } from "./list-reports";
import * as r from "./routes";
import { updateReport } from "./update-report";

/** Moderation (spec §16): reports, the moderators' queue, actions and appeals, and the admin's account sanctions. */
export const moderation = createRouter()
  .openapi(r.createReportRoute, async (c) => c.json(await createReport(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.listReportsRoute, async (c) => c.json(await listReports(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.updateReportRoute, async (c) =>
    c.json(await updateReport(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json"), auditOriginOf(c)), 200),
  )
  .openapi(r.createActionRoute, async (c) => c.json(await act(c, c.req.valid("json")), 201))
  .openapi(r.listActionsRoute, async (c) => c.json(await listUserActions(c.var.db, c.req.valid("param").id), 200))
  .openapi(r.reverseActionRoute, async (c) => c.json(await reverse(c, c.req.valid("param").id, c.req.valid("json").reason), 200))
  .openapi(r.listAppealsRoute, async (c) => c.json(await listPendingAppeals(c.var.db, c.req.valid("query")), 200))
  .openapi(r.decideAppealRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { decision, note } = c.req.valid("json");
    if (decision === "accepted") return c.json(await reverse(c, id, note ?? "Appeal accepted", "accepted"), 200);
    const rejected = await rejectAppeal(c.var.db, id, currentUser(c).userId, note, auditOriginOf(c));
    deliverNotifications(c, rejected.notifications);
    return c.json(rejected.action, 200);
  })
  .openapi(r.myActionsRoute, async (c) => c.json(await listUserActions(c.var.db, currentUser(c).userId), 200))
  .openapi(r.appealRoute, async (c) => {
    const { action_id, text } = c.req.valid("json");
    return c.json(await fileAppeal(c.var.db, currentUser(c).userId, action_id, text, auditOriginOf(c)), 200);
  })
  .openapi(r.suspendAccountRoute, async (c) => {
    const body = c.req.valid("json");
    return c.json(await act(c, { action_type: "suspend", user_id: c.req.valid("param").id, reason: body.reason, duration_hours: body.duration_hours }), 201);
  })
  .openapi(r.banAccountRoute, async (c) => c.json(await act(c, { action_type: "ban", user_id: c.req.valid("param").id, reason: c.req.valid("json").reason }), 201))
  .openapi(r.unbanAccountRoute, async (c) => c.json(await unban(c, c.req.valid("param").id, c.req.valid("json").reason), 200));
