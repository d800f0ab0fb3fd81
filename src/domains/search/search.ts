import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { eitherBlocked } from "../blocks/either-blocked";
import { iso, preciseIso } from "../tracks/track-view";
import { prefixQuery } from "./prefix-query";
import { decodeRankCursor, encodeRankCursor } from "./rank-cursor";
import type { SearchEntityType, SearchQuery, SearchResult } from "./schemas";

type HitRow = {
  type: SearchEntityType;
  id: string;
  title: string;
  snippet: string | null;
  metadata: Record<string, unknown>;
  visibility: SearchResult["visibility"];
  owner_id: string;
  username: string;
  display_name: string | null;
  created_at: string;
  cursor_at: string;
  rank: string;
};

// Title (A) matches weigh ten times body (B) matches, so a title match outranks a body that merely
// repeats the word; C and D are unused. Cover density also rewards the words found close together.
const WEIGHTS = "{0.1, 0.1, 0.1, 1.0}";
const HEADLINE = 'MaxFragments=1, MaxWords=24, MinWords=8, StartSel="", StopSel=""';

/**
 * GET /v1/search: one statement, one round trip. Matches come from idx_search_index_document_gin
 * (`document @@ tsquery`); they are ranked by text relevance alone (ts_rank_cd), then recency, then
 * id — no popularity or engagement signal (spec §17). Others' unlisted and private entries never
 * show, the viewer's own do; owners who are banned or deleted are filtered here, not only by the
 * triggers, because a ban must hide their work at once; a block either way hides each side's
 * entries from the other. For a signed-in viewer who turned on save_search_history, the first page
 * of a search is written to search_queries by a CTE of the same statement.
 */
export async function findSearchResults(db: Database, viewerId: string | null, query: SearchQuery): Promise<{ items: SearchResult[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeRankCursor(query.cursor) : null;
  const viewer = sql`${viewerId}::uuid`;
  const saveHistory = viewerId !== null && after === null;
  const { rows } = await db.execute<HitRow>(sql`
    WITH hits AS (
      SELECT h.* FROM (
        SELECT si.entity_type, si.entity_id, si.title, si.body, si.metadata, si.visibility, si.created_at,
               ts_rank_cd(${WEIGHTS}::float4[], si.document, tq.query) AS rank, tq.query,
               u.id AS owner_id, u.username, u.display_name
          FROM (SELECT ${prefixQuery(query.q)} AS query) tq
          JOIN search_index si ON si.document @@ tq.query
          JOIN users u ON u.id = si.owner_id
         WHERE u.deleted_at IS NULL AND NOT u.is_banned
           AND (si.visibility = 'public' OR si.owner_id = ${viewer})
           ${query.type ? sql`AND si.entity_type = ${query.type}` : sql``}
           ${viewerId ? sql`AND NOT ${eitherBlocked(viewerId, sql`si.owner_id`)}` : sql``}
      ) h
      ${after ? sql`WHERE (h.rank, h.created_at, h.entity_id) < (${after[0]}::float4, ${after[1]}::timestamptz, ${after[2]}::uuid)` : sql``}
      ORDER BY h.rank DESC, h.created_at DESC, h.entity_id DESC
      LIMIT ${query.limit + 1}
    )${
      saveHistory
        ? sql`, saved AS (
      INSERT INTO search_queries (user_id, query, search_type, result_count)
      SELECT s.user_id, ${query.q}, ${query.type ?? "all"}, LEAST((SELECT count(*) FROM hits), ${query.limit})
        FROM user_settings s
       WHERE s.user_id = ${viewer} AND s.save_search_history
    )`
        : sql``
    }
    SELECT h.entity_type AS type, h.entity_id AS id,
           CASE WHEN h.entity_type = 'user' THEN COALESCE(h.display_name, h.username) ELSE h.title END AS title,
           CASE WHEN h.body IS NOT NULL THEN ts_headline('simple', h.body, h.query, ${HEADLINE}) END AS snippet,
           h.metadata, h.visibility, h.owner_id, h.username, h.display_name,
           ${iso("h.created_at")} AS created_at, ${preciseIso("h.created_at")} AS cursor_at, h.rank::text AS rank
      FROM hits h
     ORDER BY h.rank DESC, h.created_at DESC, h.entity_id DESC`);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      type: r.type,
      id: r.id,
      title: r.title,
      ...(r.snippet ? { snippet: r.snippet } : {}),
      metadata: r.metadata,
      owner: { id: r.owner_id, username: r.username, display_name: r.display_name },
      visibility: r.visibility,
      created_at: r.created_at,
    })),
    next_cursor: rows.length > query.limit && last ? encodeRankCursor([last.rank, last.cursor_at, last.id]) : null,
  };
}
