/** The search shapes, from the API's own zod schemas (type-only). */
import type { z } from "zod";
import type { SearchHistorySchema, SearchResultSchema, SearchResultsSchema } from "../../../../src/domains/search/schemas";

export type SearchResult = z.infer<typeof SearchResultSchema>;
export type SearchResults = z.infer<typeof SearchResultsSchema>;
export type SearchType = SearchResult["type"];
export type SearchHistory = z.infer<typeof SearchHistorySchema>;

/** The order of the sections when every kind is shown. */
export const TYPE_ORDER: readonly SearchType[] = ["track", "user", "playlist", "product", "post", "group", "course"];

export const TYPE_LABELS: Record<SearchType, string> = {
  track: "Tracks",
  user: "People",
  playlist: "Playlists",
  post: "Posts",
  product: "Products",
  course: "Courses",
  group: "Groups",
};
