import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { deliverNotifications } from "../notifications/notify";
import { viewerOf } from "../tracks/viewer";
import { servePostAttachment } from "./attachment";
import { createPost } from "./create-post";
import { deletePost } from "./delete-post";
import { getPost } from "./get-post";
import { suggestHashtags } from "./hashtags";
import { likePost, unlikePost } from "./like-post";
import { listLikes } from "./list-likes";
import { listExplore, listGroupPosts, listHashtagPosts, listUserPosts } from "./list-posts";
import { setPinned } from "./pin-post";
import { createPostComment, deletePostComment, listCommentReplies, listPostComments, updatePostComment } from "./post-comments";
import { repostPost, unrepostPost } from "./repost-post";
import * as r from "./routes";
import { updatePost } from "./update-post";

export { postJson, postVisibleTo, postListed, toPost } from "./post-view";

/** Posts (spec §9.3–§9.7): posts, likes, reposts, comments, pins, hashtags, explore, profile and group timelines. */
export const posts = createRouter()
  .openapi(r.createPostRoute, async (c) => {
    const { post, notifications } = await createPost(c.var.db, currentUser(c).userId, c.req.valid("json"));
    deliverNotifications(c, notifications);
    return c.json(post, 201);
  })
  .openapi(r.getPostRoute, async (c) => c.json(await getPost(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null), 200))
  .openapi(r.updatePostRoute, async (c) => c.json(await updatePost(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 200))
  .openapi(r.deletePostRoute, async (c) => {
    await deletePost(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.pinPostRoute, async (c) => c.json(await setPinned(c.var.db, c.req.valid("param").id, currentUser(c).userId, true), 200))
  .openapi(r.unpinPostRoute, async (c) => c.json(await setPinned(c.var.db, c.req.valid("param").id, currentUser(c).userId, false), 200))
  .openapi(r.likePostRoute, async (c) => {
    const { state, notifications } = await likePost(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    deliverNotifications(c, notifications);
    return c.json(state, 200);
  })
  .openapi(r.unlikePostRoute, async (c) => c.json(await unlikePost(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(r.listLikesRoute, async (c) => c.json(await listLikes(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(r.repostRoute, async (c) => c.json(await repostPost(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(r.unrepostRoute, async (c) => c.json(await unrepostPost(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(r.listPostCommentsRoute, async (c) =>
    c.json(await listPostComments(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(r.listRepliesRoute, async (c) =>
    c.json(await listCommentReplies(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(r.createPostCommentRoute, async (c) => {
    const { comment, notifications } = await createPostComment(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json"));
    deliverNotifications(c, notifications);
    return c.json(comment, 201);
  })
  .openapi(r.updatePostCommentRoute, async (c) =>
    c.json(await updatePostComment(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json").content), 200),
  )
  .openapi(r.deletePostCommentRoute, async (c) => {
    await deletePostComment(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.listUserPostsRoute, async (c) =>
    c.json(await listUserPosts(c.var.db, c.req.valid("param").username, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(r.exploreRoute, async (c) => c.json(await listExplore(c.var.db, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(r.hashtagPostsRoute, async (c) =>
    c.json(await listHashtagPosts(c.var.db, c.req.valid("param").tag, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(r.suggestHashtagsRoute, async (c) => {
    const { prefix, limit } = c.req.valid("query");
    return c.json(await suggestHashtags(c.var.db, prefix, limit), 200);
  })
  .openapi(r.groupPostsRoute, async (c) =>
    c.json(await listGroupPosts(c.var.db, c.req.valid("param").slug, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(r.attachmentRoute, async (c) => (await servePostAttachment(c, c.req.valid("param"))) as never);
