import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc, problemDoc } from "../../lib/problem";
import {
  SearchHistoryClearedSchema,
  SearchHistoryIdParamSchema,
  SearchHistoryQuerySchema,
  SearchHistorySchema,
  SearchQuerySchema,
  SearchResultsSchema,
} from "./schemas";
import { SEARCH_WINDOW } from "./search";
import { optionalBearer, signedIn as bearer } from "../../lib/openapi";

const tags = ["Search"];
/** Search answers anyone, and more (one's own unlisted and private entries) to a signed-in user. */
const problems = {
  401: problemDoc("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problemDoc("Not allowed: the account is banned"),
  404: problemDoc("No such search in your history"),
  422: problemDoc("The request is not valid; `errors` lists each field"),
} as const;

export const searchRoute = createRoute({
  method: "get",
  path: "/v1/search",
  tags,
  summary: "Search tracks, users, playlists, posts, products, courses and groups",
  description:
    "Accent- and case-insensitive; every word of two letters or more is a prefix (type-ahead: `bey` finds Beyoncé), a one-letter word matches that whole word only, and all words must match. The " + SEARCH_WINDOW + " newest matches you may see are ranked by text relevance only (a title match before a body match), then newest first — never by popularity; older matches are not listed (like GitHub's 1 000-result cap): refine the words to reach them. `type` narrows to one kind; without it all kinds are mixed by relevance. Anyone sees public entries; a signed-in user also sees their own unlisted and private ones, never others'. Nothing of a banned or deleted account, nor of anyone with a block either way between them and you. Paged by cursor (`next_cursor`, null on the last page): the cursor is the last result's (rank, created_at, id), not an offset. When you are signed in and turned on `save_search_history` (GET/PATCH /v1/me/settings), a search's first page is saved to your history. One database round trip.",
  security: optionalBearer,
  request: { query: SearchQuerySchema },
  responses: { 200: jsonDoc("A page of results", SearchResultsSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const listSearchHistoryRoute = createRoute({
  method: "get",
  path: "/v1/me/search-history",
  tags,
  summary: "My search history",
  description:
    "The searches saved while `save_search_history` was on, newest first, by cursor (`next_cursor`, null on the last page). Kept 90 days. Only ever your own. One database round trip.",
  security: bearer,
  middleware: [requireAuth()] as const,
  request: { query: SearchHistoryQuerySchema },
  responses: { 200: jsonDoc("A page of searches", SearchHistorySchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const clearSearchHistoryRoute = createRoute({
  method: "delete",
  path: "/v1/me/search-history",
  tags,
  summary: "Delete my whole search history",
  description: "Your saved searches are deleted from the database, not hidden. One database round trip.",
  security: bearer,
  middleware: [requireAuth()] as const,
  responses: { 200: jsonDoc("How many searches were deleted", SearchHistoryClearedSchema), 401: problems[401], 403: problems[403] },
});

export const deleteSearchHistoryEntryRoute = createRoute({
  method: "delete",
  path: "/v1/me/search-history/{id}",
  tags,
  summary: "Delete one search from my history",
  description: "One of your saved searches, by its id; 404 for any other id. One database round trip.",
  security: bearer,
  middleware: [requireAuth()] as const,
  request: { params: SearchHistoryIdParamSchema },
  responses: { 204: { description: "Deleted" }, 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
});
