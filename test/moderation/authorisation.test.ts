import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send, type Route } from "../helpers/authorisation";
import { admin, moderator } from "./fixtures";

const id = "00000000-0000-4000-8000-000000000000";

/** Routes for moderators and admins: a valid body, so only authorisation decides the answer. */
const moderatorRoutes: Route[] = [
  ["GET", "/v1/moderation/reports"],
  ["PATCH", `/v1/moderation/reports/${id}`, { status: "dismissed" }],
  ["POST", "/v1/moderation/actions", { action_type: "warn", user_id: id, reason: "x" }],
  ["GET", `/v1/moderation/users/${id}/actions`],
  ["POST", `/v1/moderation/actions/${id}/reverse`, { reason: "x" }],
  ["GET", "/v1/moderation/appeals"],
  ["POST", `/v1/moderation/appeals/${id}/decision`, { decision: "rejected" }],
];

const adminRoutes: Route[] = [
  ["POST", `/v1/admin/users/${id}/suspend`, { reason: "x", duration_hours: 1 }],
  ["POST", `/v1/admin/users/${id}/ban`, { reason: "x" }],
  ["POST", `/v1/admin/users/${id}/unban`, { reason: "x" }],
];

const userRoutes: Route[] = [
  ["POST", "/v1/reports", { target_type: "user", target_id: id, reason_category: "spam" }],
  ["GET", "/v1/me/appeals"],
  ["POST", "/v1/me/appeals", { action_id: id, text: "x" }],
];

describe("moderation: authorisation", () => {
  it("refuses anonymous (401), banned (403) and deleted (401) callers on every route", async () => {
    await expectSignedInOnly([...moderatorRoutes, ...adminRoutes, ...userRoutes]);
  });

  it("keeps the queue and actions to moderators and admins, the account routes to admins", async () => {
    const [user, creator, mod, boss] = await Promise.all([signedInUser(), signedInUser({ role: "creator" }), moderator(), admin()]);
    for (const route of moderatorRoutes) {
      for (const who of [user, creator]) expect((await send(who, route)).status, `${who.id} ${route[0]} ${route[1]}`).toBe(403);
      for (const who of [mod, boss]) expect((await send(who, route)).status, `staff ${route[0]} ${route[1]}`).not.toBe(403);
    }
    for (const route of adminRoutes) {
      for (const who of [user, creator, mod]) expect((await send(who, route)).status, `${route[0]} ${route[1]}`).toBe(403);
      expect((await send(boss, route)).status, `admin ${route[0]} ${route[1]}`).toBe(404);
    }
    for (const route of userRoutes) expect([200, 404]).toContain((await send(user, route)).status);
  });
});
