import { z } from "@hono/zod-openapi";
import { searchEntityTypes } from "../../db/schema/search";

/** The shapes of search (spec §14), shared by routes, services and tests. */

export const SEARCH_TYPES = searchEntityTypes;
export type SearchEntityType = (typeof SEARCH_TYPES)[number];

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

export const SearchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100, "must be at most 100 characters")
    .openapi({ description: "Words to find (accents and case ignored; each word of two letters or more is a prefix: type-ahead)", example: "beyon" }),
  type: z.enum(SEARCH_TYPES).optional().openapi({ description: "Only this kind of result; all kinds mixed by relevance when absent" }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(300).optional().openapi({ description: "next_cursor of the previous page" }),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

export const SearchOwnerSchema = z
  .object({ id: z.uuid(), username: z.string(), display_name: z.string().nullable() })
  .openapi("SearchResultOwner");

export const SearchResultSchema = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.uuid().openapi({ description: "The id of the track, user, playlist, post, product, course or group" }),
    title: z.string().openapi({ description: "Its name (a user's display name, else username; a post's opening)" }),
    snippet: z.string().optional().openapi({ description: "A passage of its secondary text around the words found, when it has some" }),
    metadata: z.record(z.string(), z.unknown()).openapi({ description: "Display fields of its kind (a track's artist, duration and cover file, a product's price...)" }),
    owner: SearchOwnerSchema.openapi({ description: "Who it belongs to (a user result: that user)" }),
    visibility: z.enum(["public", "unlisted", "private"]).openapi({ description: "Others only ever see public results" }),
    created_at: timestamp,
  })
  .openapi("SearchResult");
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const SearchResultsSchema = z
  .object({ items: z.array(SearchResultSchema), next_cursor: z.string().nullable() })
  .openapi("SearchResults");

export const SearchHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});

export const SearchHistoryEntrySchema = z
  .object({
    id: z.uuid(),
    query: z.string(),
    type: z.enum(["all", ...SEARCH_TYPES]).openapi({ description: "The kind searched ('all' when none was given)" }),
    result_count: z.number().int().openapi({ description: "How many results its first page had" }),
    created_at: timestamp,
  })
  .openapi("SearchHistoryEntry");
export type SearchHistoryEntry = z.infer<typeof SearchHistoryEntrySchema>;

export const SearchHistorySchema = z
  .object({ items: z.array(SearchHistoryEntrySchema), next_cursor: z.string().nullable() })
  .openapi("SearchHistory");

export const SearchHistoryClearedSchema = z
  .object({ deleted: z.number().int().openapi({ description: "How many searches were deleted" }) })
  .openapi("SearchHistoryCleared");

export const SearchHistoryIdParamSchema = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
