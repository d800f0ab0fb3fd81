import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonBody, signedIn } from "../../lib/openapi";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import {
  AdminUserPageSchema,
  AdminUserSchema,
  AuditLogPageSchema,
  AuditLogQuerySchema,
  ChangeRoleSchema,
  ForceLogoutSchema,
  MetricsQuerySchema,
  MetricsSchema,
  RoleChangeSchema,
  UserIdParamSchema,
  UserSearchQuerySchema,
  VerifyRoleSchema,
} from "./schemas";
import { RoleGrantSchema } from "../users/roles";

const tags = ["Administration"];

const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent)"),
  403: problem("Not an admin, or a banned account"),
  404: problem("No such user (or a deleted one, for changes)"),
  409: problem("An admin changing their own role"),
  422: problem("The request is not valid; `errors` lists each field"),
};
const readErrors = { 401: problems[401], 403: problems[403], 422: problems[422] };
const writeErrors = { ...readErrors, 404: problems[404] };

export const auditLogsRoute = createRoute({
  method: "get",
  path: "/v1/admin/audit-logs",
  tags,
  summary: "Search the audit log (admins)",
  description:
    "The append-only audit trail, newest first: application actions (sign-ins from new devices, role, consent and moderation changes, exports, deletions...) and the row changes of the audited tables. Filter by actor, subject user, action (exact, or a prefix ending with '.'), entity (table and row id), minimum severity and time range; keyset pages (`next_cursor`). There is no route to change or delete an entry, and the database refuses it. Admins only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { query: AuditLogQuerySchema },
  responses: { 200: json("A page of audit entries", AuditLogPageSchema), ...readErrors },
});

export const listUsersRoute = createRoute({
  method: "get",
  path: "/v1/admin/users",
  tags,
  summary: "Search accounts (admins)",
  description:
    "Every account, deleted and banned ones included, newest first: by the start of the email or username (or an exact id), role and status; keyset pages. Admins only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { query: UserSearchQuerySchema },
  responses: { 200: json("A page of accounts", AdminUserPageSchema), ...readErrors },
});

export const getUserRoute = createRoute({
  method: "get",
  path: "/v1/admin/users/{id}",
  tags,
  summary: "An account, as staff see it (admins)",
  description: "Identity, state, two-factor, live sessions, verified roles and the latest sanctions; deleted accounts too. Admins only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { params: UserIdParamSchema },
  responses: { 200: json("The account", AdminUserSchema), ...writeErrors },
});

export const changeRoleRoute = createRoute({
  method: "patch",
  path: "/v1/admin/users/{id}/role",
  tags,
  summary: "Change an account's role (admins)",
  description:
    "Sets users.role (user, creator, premium, moderator, admin) of a live account, audited as role.change with the old and new role; effective from the account's next request. An admin cannot change their own role (409). Admins only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { params: UserIdParamSchema, body: jsonBody(ChangeRoleSchema) },
  responses: { 200: json("The change", RoleChangeSchema), ...writeErrors, 409: problems[409] },
});

export const verifyUserRoute = createRoute({
  method: "post",
  path: "/v1/admin/users/{id}/verify",
  tags,
  summary: "Verify a creator, producer, label or educator (admins)",
  description:
    "As POST /v1/users/{id}/roles: marks the professional role verified (verified_at, verified_by), promotes a plain `user` to `creator` when verifying creator, audited as role.grant; idempotent. Admins only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { params: UserIdParamSchema, body: jsonBody(VerifyRoleSchema) },
  responses: { 200: json("The verified role", RoleGrantSchema), ...writeErrors },
});

export const forceLogoutRoute = createRoute({
  method: "post",
  path: "/v1/admin/users/{id}/force-logout",
  tags,
  summary: "Sign an account out everywhere (admins)",
  description:
    "Revokes every session (refresh token) of the account and every access token already issued (token_version + 1, auth state cache purged), audited as admin.force_logout. Admins only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { params: UserIdParamSchema },
  responses: { 200: json("What was revoked", ForceLogoutSchema), ...writeErrors },
});

export const metricsRoute = createRoute({
  method: "get",
  path: "/v1/admin/metrics",
  tags,
  summary: "Platform metrics (admins)",
  description:
    "Daily platform aggregates from daily_metrics (plays, signups, uploads, revenue...), one series per metric and dimension over an inclusive day range (default: the last 30 days; at most 366). Days without data are absent. Admins only. One database round trip.",
  security: signedIn,
  middleware: [requireAuth("admin")] as const,
  request: { query: MetricsQuerySchema },
  responses: { 200: json("The series", MetricsSchema), ...readErrors },
});

