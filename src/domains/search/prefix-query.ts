import { sql, type SQL } from "drizzle-orm";

/**
 * The type-ahead tsquery of what a user typed, built inside PostgreSQL from the bound text, never
 * by pasting it into SQL: the text is unaccented (f_unaccent, as search_index.document is) and split
 * into lexemes by the very parser that built the documents (to_tsvector with the 'simple' config,
 * which also lowercases and drops punctuation-only words); each lexeme is quoted (quotes and
 * backslashes doubled) and becomes a prefix term `'lexeme':*`, all of them ANDed by to_tsquery.
 * "BEYONCÉ bey" → 'beyonce':* & 'bey':*. Text with no word at all gives NULL, which matches nothing.
 */
export const prefixQuery = (text: string): SQL => sql`(
  SELECT to_tsquery('simple', string_agg('''' || replace(replace(w.lexeme, '\\', '\\\\'), '''', '''''') || ''':*', ' & '))
    FROM unnest(to_tsvector('simple', f_unaccent(${text}::text))) w)`;
