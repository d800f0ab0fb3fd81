-- Search at volume (issue 7, spec §14): GET /v1/search ranks a bounded window of candidates, the
-- newest matches, instead of every match; a short common prefix ("bey", "tra") matches hundreds of
-- thousands of rows, and ranking them all cost ~100 ms to seconds.

-- The type-ahead tsquery of what a user typed, built by the parser that built search_index.document
-- (f_unaccent, then to_tsvector 'simple': lowercased, punctuation dropped); each lexeme is quoted
-- (quotes and backslashes doubled) and ANDed: "BEYONCÉ bey" → 'beyonce':* & 'bey':*. A word of one
-- letter matches that whole word only ('a', not every word starting with a): as a prefix it would
-- match nearly everything and cost the index a scan of most of its entries. NULL when there is no
-- word at all (matches nothing).
-- IMMUTABLE (as f_unaccent, which names its dictionary): called with the statement's bound text, the
-- planner evaluates it once at plan time and plans with the actual query, so its estimates of how
-- many rows match choose between walking newest-first and the GIN index.
CREATE FUNCTION search_prefix_query(text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT to_tsquery('simple', string_agg(
           '''' || replace(replace(w.lexeme, '\', '\\'), '''', '''''') || ''''
             || CASE WHEN length(w.lexeme) > 1 THEN ':*' ELSE '' END,
           ' & '))
    FROM unnest(to_tsvector('simple', f_unaccent($1))) w
$$;

-- The candidate window: the newest matches, ties broken by id so that every page of a search sees
-- the same window. A common term walks these newest-first and stops after the window; a rare one is
-- found through idx_search_index_document_gin instead (the planner chooses, knowing the tsquery).
-- Covering: the walk tests `document @@ tsquery`, the viewer's rules and the rank on the index
-- alone (an index-only scan reads a few hundred contiguous index pages, where reading the rows would
-- cost one random heap page per row examined); the page's few results are read by id afterwards.
CREATE INDEX idx_search_index_created_at_id ON search_index(created_at DESC, id DESC)
  INCLUDE (entity_type, entity_id, owner_id, visibility, document);
-- The same for one kind (`type`). Tracks are most of the index, so type=track walks the index above
-- and loses few steps to other kinds; the smaller kinds get their own walk, without tracks.
CREATE INDEX idx_search_index_entity_type_created_at_id ON search_index(entity_type, created_at DESC, id DESC)
  INCLUDE (entity_id, owner_id, visibility, document) WHERE entity_type <> 'track';
