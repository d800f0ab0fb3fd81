import { sql, type SQL } from "drizzle-orm";

/**
 * The type-ahead tsquery of what a user typed: search_prefix_query() (migration 0023) unaccents the
 * bound text and splits it with the very parser that built search_index.document, then ANDs every
 * word as a prefix ("BEYONCÉ bey" → 'beyonce':* & 'bey':*), a one-letter word as a whole word. The
 * text is bound, never pasted into SQL. The function is IMMUTABLE, so with a bound value PostgreSQL
 * computes the tsquery once, while planning, and plans for it: how many rows match decides the
 * plan. Text with no word at all gives NULL, which matches nothing.
 */
export const prefixQuery = (text: string): SQL => sql`search_prefix_query(${text}::text)`;
