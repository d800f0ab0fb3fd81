import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { listFeed } from "./list-feed";
import { feedRoute } from "./routes";

/** The home feed: the people I follow, newest first, nothing ranked (spec §17). */
export const feed = createRouter().openapi(feedRoute, async (c) =>
  c.json(await listFeed(c.var.db, currentUser(c).userId, c.req.valid("query"), c.env.JWT_SECRET), 200),
);
