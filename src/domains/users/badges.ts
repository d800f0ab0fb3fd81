import { createRoute, z } from "@hono/zod-openapi";
import { currentUser, requireAuth } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { listBadges, replaceBadges } from "./badges-queries";
import { BadgeListQuerySchema, ReplaceBadgesSchema } from "./inputs";
import { json, problems } from "./responses";
import { BadgeSchema, UserBadgeSchema, type Me } from "./schemas";

const getBadges = createRoute({
  method: "get",
  path: "/v1/badges",
  tags: ["Profiles"],
  summary: "The badge catalogue",
  description:
    "Declarative skill badges (instrument, genre, experience, role) a user may pick for their profile: no rarity, no points. Active badges only, by category then name; `category` narrows the list. One database round trip.",
  request: { query: BadgeListQuerySchema },
  responses: { 200: json("Active badges", z.object({ badges: z.array(BadgeSchema) })), 422: problems[422] },
});

const putMyBadges = createRoute({
  method: "put",
  path: "/v1/me/badges",
  tags: ["Account"],
  summary: "Choose my badges",
  description:
    "Replaces my badge set with the list given (at most 20, no duplicates), in that order: display_order is the position in the list; `is_displayed: false` keeps a badge off my public profile. An unknown or retired badge is a 422 naming its position, and nothing changes. Two database round trips.",
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth()] as const,
  request: { body: { required: true, content: { "application/json": { schema: ReplaceBadgesSchema } } } },
  responses: {
    200: json("My badges, in order", z.object({ badges: z.array(UserBadgeSchema) })),
    401: problems[401],
    403: problems[403],
    422: problems[422],
  },
});

export const badgeRoutes = createRouter()
  .openapi(getBadges, async (c) => {
    const list = await listBadges(c.var.db, c.req.valid("query").category);
    // The catalogue changes rarely and is the same for everyone.
    c.header("Cache-Control", "public, max-age=300");
    return c.json({ badges: list }, 200);
  })
  .openapi(putMyBadges, async (c) => {
    const list = await replaceBadges(c.var.db, currentUser(c).userId, c.req.valid("json").badges);
    return c.json({ badges: list as Me["badges"] }, 200);
  });
