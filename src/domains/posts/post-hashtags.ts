import { sql, type SQL } from "drizzle-orm";
import { textArray } from "./post-text";

/**
 * CTEs (to append after the CTE `post` that wrote the post, `RETURNING *`) making the post's
 * hashtags exactly `tags`, in the same statement:
 *  - `tag_rows`: each tag, folded case-insensitively with lower() (what idx_hashtags_tag is built
 *    on) and upserted into hashtags: a new tag is stored as first spelled, slug = lower(tag); an
 *    existing one keeps its spelling. DO UPDATE (a no-op) so existing rows are RETURNed too.
 *  - `tag_unlinked` (when `replace`): the post's links to tags it no longer has are deleted.
 *  - `tag_links`: the links; existing ones are kept as they are (ON CONFLICT DO NOTHING), so only
 *    real changes move hashtags.usage_count (trg_post_hashtags_usage_count).
 * Nothing happens when `post` returned no row.
 */
export function hashtagCtes(post: string, tags: string[], replace: boolean): SQL {
  const p = sql.raw(post);
  return sql`
    , tag_input AS (
      SELECT DISTINCT ON (lower(t.tag)) t.tag FROM unnest(${textArray(tags)}::text[]) WITH ORDINALITY AS t(tag, n)
       WHERE EXISTS (SELECT 1 FROM ${p})
       ORDER BY lower(t.tag), t.n
    ), tag_rows AS (
      INSERT INTO hashtags (tag, slug) SELECT tag, lower(tag) FROM tag_input
      ON CONFLICT (slug) DO UPDATE SET last_used_at = hashtags.last_used_at
      RETURNING id, tag
    )${
      replace
        ? sql`, tag_unlinked AS (
      DELETE FROM post_hashtags ph USING ${p} WHERE ph.post_id = ${p}.id AND ph.hashtag_id NOT IN (SELECT id FROM tag_rows)
    )`
        : sql``
    }, tag_links AS (
      INSERT INTO post_hashtags (post_id, hashtag_id) SELECT ${p}.id, tag_rows.id FROM ${p}, tag_rows
      ON CONFLICT (post_id, hashtag_id) DO NOTHING
    )`;
}

/** The `hashtags` member of a written post: the statement's snapshot does not see its own links. */
export const writtenHashtags = sql`jsonb_build_object('hashtags', COALESCE((SELECT jsonb_agg(tag ORDER BY lower(tag)) FROM tag_rows), '[]'::jsonb))`;
