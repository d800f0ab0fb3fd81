import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { RoleSchema } from "./inputs";
import { json, problems } from "./responses";
import { grantRole, revokeRole } from "./roles-queries";
import { VERIFIABLE_ROLES } from "./schemas";

export const RoleGrantSchema = z
  .object({
    user_id: z.uuid(),
    role: z.enum(VERIFIABLE_ROLES),
    verified: z.boolean(),
    verified_at: z.string().nullable().openapi({ format: "date-time" }),
    verified_by: z.uuid().nullable(),
    account_role: z.string().openapi({ description: "users.role after the change (granting creator promotes a plain user to creator)" }),
  })
  .openapi("RoleGrant");

const postRole = createRoute({
  method: "post",
  path: "/v1/users/{id}/roles",
  tags: ["Moderation"],
  summary: "Verify a professional role",
  description:
    "Moderators and admins verify that a user is a creator, producer, label or educator (verified_at, verified_by). Verifying `creator` also makes a plain `user` account a `creator` account. Written to audit_logs as role.grant. Idempotent: verifying again keeps the first verification. One database round trip.",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth("moderator")] as const,
  request: {
    params: z.object({ id: z.uuid() }),
    body: { required: true, content: { "application/json": { schema: z.strictObject({ role: RoleSchema }).openapi("GrantRole") } } },
  },
  responses: {
    200: json("The verified role", RoleGrantSchema),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    422: problems[422],
  },
});

const deleteRole = createRoute({
  method: "delete",
  path: "/v1/users/{id}/roles/{role}",
  tags: ["Moderation"],
  summary: "Withdraw a role's verification",
  description:
    "Moderators and admins withdraw a verified role. Withdrawing `creator` makes a `creator` account a plain `user` again (staff and premium accounts keep their role). Written to audit_logs as role.revoke. 404 when the role is not verified. One database round trip.",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth("moderator")] as const,
  request: { params: z.object({ id: z.uuid(), role: RoleSchema }) },
  responses: {
    200: json("The role, no longer verified", RoleGrantSchema),
    401: problems[401],
    403: problems[403],
    404: problems[404],
    422: problems[422],
  },
});

export const roles = createRouter()
  .openapi(postRole, async (c) => c.json(await grantRole(c, c.req.valid("param").id, c.req.valid("json").role), 200))
  .openapi(deleteRole, async (c) => {
    const { id, role } = c.req.valid("param");
    return c.json(await revokeRole(c, id, role), 200);
  });
