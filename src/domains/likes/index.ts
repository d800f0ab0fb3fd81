import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { setLike } from "./like-track";
import { likesContain } from "./likes-contain";
import { listLikes } from "./list-likes";
import { likesContainRoute, likeTrackRoute, listLikesRoute, unlikeTrackRoute } from "./routes";

/** Likes on tracks (spec §7.5): like, unlike, my liked tracks, and which of some tracks I like. */
export const likes = createRouter()
  .openapi(likeTrackRoute, async (c) => c.json(await setLike(c.var.db, c.req.valid("param").id, currentUser(c).userId, true), 200))
  .openapi(unlikeTrackRoute, async (c) => c.json(await setLike(c.var.db, c.req.valid("param").id, currentUser(c).userId, false), 200))
  .openapi(listLikesRoute, async (c) => c.json(await listLikes(c.var.db, c.env.JWT_SECRET, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(likesContainRoute, async (c) => c.json(await likesContain(c.var.db, currentUser(c).userId, c.req.valid("query").track_ids), 200));
