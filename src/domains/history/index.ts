import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { clearHistory, deleteHistoryEntry } from "./delete-history";
import { listHistory } from "./list-history";
import { clearHistoryRoute, deleteHistoryEntryRoute, listHistoryRoute } from "./routes";

/** The listener's own listening history (spec §7.4): read it, delete it whole or play by play. */
export const history = createRouter()
  .openapi(listHistoryRoute, async (c) => c.json(await listHistory(c.var.db, c.env.JWT_SECRET, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(clearHistoryRoute, async (c) => c.json(await clearHistory(c.var.db, currentUser(c).userId), 200))
  .openapi(deleteHistoryEntryRoute, async (c) => {
    await deleteHistoryEntry(c.var.db, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  });
