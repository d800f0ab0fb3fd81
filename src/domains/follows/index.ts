import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { deliverNotifications } from "../notifications/notify";
import { followUser, unfollowUser } from "./follow-user";
import { isFollowing } from "./is-following";
import { listFollows } from "./list-follows";
import { followUserRoute, isFollowingRoute, listFollowersRoute, listFollowingRoute, unfollowUserRoute } from "./routes";

/** Follows between users (spec §9.1): follow, unfollow, whether I follow someone, and anyone's followers and following. */
export const follows = createRouter()
  .openapi(followUserRoute, async (c) => {
    const { state, notifications } = await followUser(c.var.db, currentUser(c).userId, c.req.valid("param").username);
    deliverNotifications(c, notifications);
    return c.json(state, 200);
  })
  .openapi(unfollowUserRoute, async (c) => c.json(await unfollowUser(c.var.db, currentUser(c).userId, c.req.valid("param").username), 200))
  .openapi(listFollowersRoute, async (c) =>
    c.json(await listFollows(c.var.db, "followers", c.req.valid("param").username, c.var.auth?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(listFollowingRoute, async (c) =>
    c.json(await listFollows(c.var.db, "following", c.req.valid("param").username, c.var.auth?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(isFollowingRoute, async (c) => c.json(await isFollowing(c.var.db, currentUser(c).userId, c.req.valid("param").username), 200));
