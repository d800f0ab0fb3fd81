// Search (spec §14); mirrors migrations/0011_search.sql, which is the source of truth (CHECKs, the
// GIN/trigram indexes, f_unaccent() and the extensions live only there).
import { sql } from "drizzle-orm";
import { pgTable, uuid, varchar, text, integer, timestamp, jsonb, customType } from "drizzle-orm/pg-core";
import { visibility } from "./enums";
import { users } from "./accounts";

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Postgres tsvector, read as its text form ("'cafe':1A 'ete':2A"). */
const tsvector = customType<{ data: string; driverData: string }>({
  dataType: () => "tsvector",
});

/** What a search targets ('all' = every type). */
export const searchTypes = ["all", "track", "user", "playlist", "post", "product", "course", "group"] as const;
export type SearchType = (typeof searchTypes)[number];

/** The entity kinds of the unified search index. */
export const searchEntityTypes = ["track", "user", "playlist", "post", "product", "course", "group"] as const;
export type SearchEntityType = (typeof searchEntityTypes)[number];

/** A user's search history: written only when the user allows it, hard-deleted when they clear it,
 * purged after 90 days. */
export const searchQueries = pgTable("search_queries", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  query: varchar("query", { length: 255 }).notNull(),
  searchType: varchar("search_type", { length: 20, enum: searchTypes }).notNull().default("all"),
  resultCount: integer("result_count").notNull().default(0),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** One row per searchable entity (entity_id is polymorphic: no FK). `document` is generated from
 * title (weight A) and body (weight B), accent-insensitive, 'simple' config: query it with
 * `document @@ websearch_to_tsquery('simple', f_unaccent($1))`; fuzzy titles with
 * `f_unaccent(lower(title)) % f_unaccent(lower($1))`. */
export const searchIndex = pgTable("search_index", {
  id: uuid("id").primaryKey().defaultRandom(),
  entityType: varchar("entity_type", { length: 20, enum: searchEntityTypes }).notNull(),
  entityId: uuid("entity_id").notNull(),
  title: varchar("title", { length: 255 }).notNull(),
  body: text("body"),
  visibility: visibility("visibility").notNull().default("public"),
  ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
  metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
  document: tsvector("document").generatedAlwaysAs(
    sql`setweight(to_tsvector('simple'::regconfig, f_unaccent(title)), 'A') || setweight(to_tsvector('simple'::regconfig, f_unaccent(COALESCE(body, ''))), 'B')`,
  ),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
