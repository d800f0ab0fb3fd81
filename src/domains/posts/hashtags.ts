import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { iso } from "../tracks/track-view";

type HashtagRow = { tag: string; slug: string; usage_count: number; last_used_at: string };

/**
 * GET /v1/hashtags?prefix=: type-ahead over the tags in use, most used first (a tag list, not a
 * ranking of posts or people). Case-insensitive prefix match over idx_hashtags_tag_prefix
 * (lower(tag) text_pattern_ops, migrations/0019); `_` is a LIKE wildcard, so it is escaped. Tags
 * whose posts are all gone (usage_count 0) are left out. One round trip.
 */
export async function suggestHashtags(db: Database, prefix: string, limit: number) {
  const pattern = `${prefix.replace(/^#/, "").replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await db.execute<HashtagRow>(sql`
    SELECT h.tag, h.slug, h.usage_count, ${iso("h.last_used_at")} AS last_used_at FROM hashtags h
     WHERE lower(h.tag) LIKE lower(${pattern}) AND h.usage_count > 0
     ORDER BY h.usage_count DESC, lower(h.tag) LIMIT ${limit}`);
  return { items: rows.map((r) => ({ tag: r.tag, slug: r.slug, usage_count: Number(r.usage_count), last_used_at: r.last_used_at })) };
}
