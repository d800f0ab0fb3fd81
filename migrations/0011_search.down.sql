-- Reverts 0011_search. The unaccent and pg_trgm extensions stay (shared; never dropped in down).
DROP TABLE IF EXISTS search_index;
DROP TABLE IF EXISTS search_queries;
DROP FUNCTION IF EXISTS f_unaccent(text);
