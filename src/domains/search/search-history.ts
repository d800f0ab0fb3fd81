import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { iso, preciseIso } from "../tracks/track-view";
import type { SearchHistoryEntry } from "./schemas";

type EntryRow = { id: string; query: string; type: SearchHistoryEntry["type"]; result_count: number; created_at: string; cursor_at: string };

/**
 * GET /v1/me/search-history: my saved searches, newest first, keyset on (created_at, id) over
 * idx_search_queries_user_id_created_at; one round trip. Only ever my own rows.
 */
export async function listSearchHistory(
  db: Database,
  userId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: SearchHistoryEntry[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<EntryRow>(sql`
    SELECT q.id, q.query, q.search_type AS type, q.result_count, ${iso("q.created_at")} AS created_at, ${preciseIso("q.created_at")} AS cursor_at
      FROM search_queries q
     WHERE q.user_id = ${userId}
       ${after ? sql`AND (q.created_at, q.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
     ORDER BY q.created_at DESC, q.id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ id: r.id, query: r.query, type: r.type, result_count: Number(r.result_count), created_at: r.created_at })),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}

/** DELETE /v1/me/search-history: every saved search of mine is deleted, not hidden; one round trip. */
export async function clearSearchHistory(db: Database, userId: string): Promise<{ deleted: number }> {
  const { rows } = await db.execute<{ deleted: number }>(sql`
    WITH gone AS (DELETE FROM search_queries WHERE user_id = ${userId} RETURNING 1)
    SELECT count(*)::int AS deleted FROM gone`);
  return { deleted: Number(rows[0]?.deleted ?? 0) };
}

/** DELETE /v1/me/search-history/:id: one search of mine; 404 for any other id (others' included). One round trip. */
export async function deleteSearchHistoryEntry(db: Database, userId: string, entryId: string): Promise<void> {
  const { rows } = await db.execute<{ id: string }>(sql`DELETE FROM search_queries WHERE user_id = ${userId} AND id = ${entryId} RETURNING id`);
  if (rows.length === 0) throw notFound("This search");
}
