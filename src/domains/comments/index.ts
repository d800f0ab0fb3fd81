import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { viewerOf } from "../tracks/viewer";
import { createComment } from "./create-comment";
import { deleteComment } from "./delete-comment";
import { listComments } from "./list-comments";
import { listReplies } from "./list-replies";
import { createCommentRoute, deleteCommentRoute, listCommentsRoute, listRepliesRoute, updateCommentRoute } from "./routes";
import { updateComment } from "./update-comment";

/** Track comments (spec §7.6), threaded one level deep and optionally timed along the track. */
export const comments = createRouter()
  .openapi(createCommentRoute, async (c) =>
    c.json(await createComment(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201),
  )
  .openapi(listCommentsRoute, async (c) =>
    c.json(await listComments(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(listRepliesRoute, async (c) =>
    c.json(await listReplies(c.var.db, c.req.valid("param").id, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200),
  )
  .openapi(updateCommentRoute, async (c) =>
    c.json(await updateComment(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json").content), 200),
  )
  .openapi(deleteCommentRoute, async (c) => {
    await deleteComment(c.var.db, c.req.valid("param").id, currentUser(c), auditOriginOf(c));
    return c.body(null, 204);
  });
