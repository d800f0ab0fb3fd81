import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { viewerOf } from "../tracks/viewer";
import { clearSearchHistoryRoute, deleteSearchHistoryEntryRoute, listSearchHistoryRoute, searchRoute } from "./routes";
import { findSearchResults } from "./search";
import { clearSearchHistory, deleteSearchHistoryEntry, listSearchHistory } from "./search-history";

/** Search (spec §14): one ranked, visibility-aware search over every kind of entity, and the searcher's own opt-in history. */
export const search = createRouter()
  .openapi(searchRoute, async (c) => c.json(await findSearchResults(c.var.db, viewerOf(c)?.userId ?? null, c.req.valid("query")), 200))
  .openapi(listSearchHistoryRoute, async (c) => c.json(await listSearchHistory(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(clearSearchHistoryRoute, async (c) => c.json(await clearSearchHistory(c.var.db, currentUser(c).userId), 200))
  .openapi(deleteSearchHistoryEntryRoute, async (c) => {
    await deleteSearchHistoryEntry(c.var.db, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  });
