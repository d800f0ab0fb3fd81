import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { blockUser, unblockUser } from "./block-user";
import { listBlocks } from "./list-blocks";
import { blockUserRoute, listBlocksRoute, unblockUserRoute } from "./routes";

export { eitherBlocked, hasBlocked } from "./either-blocked";

/** Blocks (spec §9.2): block, unblock, my blocks. Other domains refuse on `eitherBlocked`. */
export const blocks = createRouter()
  .openapi(blockUserRoute, async (c) => {
    const { reason } = c.req.valid("json");
    return c.json(await blockUser(c.var.db, currentUser(c).userId, c.req.valid("param").username, reason), 200);
  })
  .openapi(unblockUserRoute, async (c) => {
    await unblockUser(c.var.db, currentUser(c).userId, c.req.valid("param").username);
    return c.body(null, 204);
  })
  .openapi(listBlocksRoute, async (c) => c.json(await listBlocks(c.var.db, currentUser(c).userId, c.req.valid("query")), 200));
