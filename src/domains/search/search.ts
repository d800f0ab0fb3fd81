import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
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
 * How many matches a search ranks: the newest this many that the viewer may see. A short common
 * prefix matches a large share of the catalogue, and ranking every match grew with it (0.1–1 s at
 * 650 000 entries); the window bounds that work to a few ms whatever the words match. Results beyond
 * it are not listed (refine the words), as GitHub caps a search at 1 000 results.
 */
export const SEARCH_WINDOW = 500;

/**
 * GET /v1/search: one statement, one round trip. The candidates are the SEARCH_WINDOW newest
 * matches the viewer may see (`document @@ tsquery`, newest first): the planner knows the tsquery
 * (prefixQuery is folded while planning), so a common term walks idx_search_index_created_at_id
 * (idx_search_index_entity_type_created_at_id for a `type` other than track) newest-first, on the
 * index alone, and stops after the window, while a rarer one reads its matches from
 * idx_search_index_document_gin. Only the window is ranked, by text relevance alone (ts_rank_cd),
 * then recency, then id — no popularity or engagement signal (spec §17); the page's rows are read
 * by id once ranked. Others' unlisted and private entries never show, the viewer's own do; a block
 * either way hides each side's entries from the other (one hashed set of the viewer's blocks, not a
 * probe per candidate). Owners who are banned or deleted are filtered here, not only by the
 * triggers, because a ban must hide their work at once: they are rare, so they are looked up in
 * rank order only until the page is full (the LATERAL … LIMIT 1 keeps that a per-row probe rather
 * than a hash of every user). For a signed-in viewer who turned on save_search_history, the first
 * page of a search is written to search_queries by a CTE of the same statement.
 */
export async function findSearchResults(db: Database, viewerId: string | null, query: SearchQuery): Promise<{ items: SearchResult[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeRankCursor(query.cursor) : null;
  const viewer = sql`${viewerId}::uuid`;
  const saveHistory = viewerId !== null && after === null;
  const { rows } = await db.execute<HitRow>(sql`
    WITH hits AS (
      SELECT r.index_id, r.entity_type, r.entity_id, r.created_at, r.rank, u.id AS owner_id, u.username, u.display_name
        FROM (
          SELECT c.index_id, c.entity_type, c.entity_id, c.owner_id, c.created_at, ts_rank_cd(${WEIGHTS}::float4[], c.document, ${prefixQuery(query.q)}) AS rank
            FROM (
              SELECT si.id AS index_id, si.entity_type, si.entity_id, si.owner_id, si.created_at, si.document
                FROM search_index si
               WHERE si.document @@ ${prefixQuery(query.q)}
                 AND (si.visibility = 'public' OR si.owner_id = ${viewer})
                 ${query.type ? sql`AND si.entity_type = ${query.type}` : sql``}
                 ${
                   viewerId
                     ? sql`AND si.owner_id NOT IN (SELECT blk.blocked_id FROM blocks blk WHERE blk.blocker_id = ${viewer}
                                                   UNION ALL SELECT blk.blocker_id FROM blocks blk WHERE blk.blocked_id = ${viewer})`
                     : sql``
                 }
               ORDER BY si.created_at DESC, si.id DESC
               LIMIT ${SEARCH_WINDOW}
            ) c
           ORDER BY rank DESC, c.created_at DESC, c.entity_id DESC
        ) r
        CROSS JOIN LATERAL (
          SELECT u.id, u.username, u.display_name FROM users u
           WHERE u.id = r.owner_id AND u.deleted_at IS NULL AND NOT u.is_banned
           LIMIT 1
        ) u
       ${after ? sql`WHERE (r.rank, r.created_at, r.entity_id) < (${after[0]}::float4, ${after[1]}::timestamptz, ${after[2]}::uuid)` : sql``}
       ORDER BY r.rank DESC, r.created_at DESC, r.entity_id DESC
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
           CASE WHEN h.entity_type = 'user' THEN COALESCE(h.display_name, h.username) ELSE si.title END AS title,
           CASE WHEN si.body IS NOT NULL THEN ts_headline('simple', si.body, ${prefixQuery(query.q)}, ${HEADLINE}) END AS snippet,
           si.metadata, si.visibility, h.owner_id, h.username, h.display_name,
           ${iso("h.created_at")} AS created_at, ${preciseIso("h.created_at")} AS cursor_at, h.rank::text AS rank
      FROM hits h
      JOIN search_index si ON si.id = h.index_id
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
