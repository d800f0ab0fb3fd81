-- §14 Search: search_queries (a user's own search history) and search_index (one unified full-text
-- index over tracks, users, playlists, posts, products, courses and groups).
-- The spec only names these two tables; columns designed with its rules (UUID PK, timestamptz,
-- explicit ON DELETE, index on every FK, CHECKs on VARCHAR enumerations).

-- Accent-insensitive and fuzzy matching. Extensions are shared with other code: never dropped in down.
-- (PGlite: load the `unaccent` and `pg_trgm` contrib extensions when creating the instance.)
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (it depends on the search_path to find its dictionary), so it cannot be
-- used in an index expression or a generated column. This wrapper names the dictionary with its
-- schema and is therefore safe to declare IMMUTABLE (the usual pattern).
CREATE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- ---------------------------------------------------------------------------------------------
-- search_queries: a user's search history, written by the API only when the user has allowed it
-- (a user setting) and deletable by the user at any time. Not in §18: kept 90 days by the retention
-- job (DELETE ... WHERE created_at < NOW() - INTERVAL '90 days', served by idx_search_queries_created_at).
-- No deleted_at on purpose: clearing one's history is an erasure (hard DELETE), not a hidden row.
CREATE TABLE search_queries (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,
  query VARCHAR(255) NOT NULL,
  search_type VARCHAR(20) NOT NULL DEFAULT 'all',   -- which tab was searched ('all' = every type)
  result_count INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_search_queries_users FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT chk_search_queries_query_not_blank CHECK (length(btrim(query)) > 0),
  CONSTRAINT chk_search_queries_search_type_valid
    CHECK (search_type IN ('all', 'track', 'user', 'playlist', 'post', 'product', 'course', 'group')),
  CONSTRAINT chk_search_queries_result_count_non_negative CHECK (result_count >= 0)
);

-- "my recent searches" (and the FK index: user_id leads)
CREATE INDEX idx_search_queries_user_id_created_at ON search_queries(user_id, created_at DESC);
-- retention purge
CREATE INDEX idx_search_queries_created_at ON search_queries(created_at);

CREATE TRIGGER trg_search_queries_updated_at BEFORE UPDATE ON search_queries
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- search_index: one row per searchable entity, maintained by the indexing job/API when an entity is
-- created, changed, hidden or soft-deleted (a soft-deleted entity or a user who turned off
-- user_settings.allow_search_indexing has no row). entity_id is polymorphic, so it has no FK; owner_id
-- CASCADE removes a deleted account's entries (privacy first; an entity that outlives its owner is
-- re-indexed by the job).
CREATE TABLE search_index (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  entity_type VARCHAR(20) NOT NULL,
  entity_id UUID NOT NULL,
  title VARCHAR(255) NOT NULL,                       -- track title, username/display name, playlist name...
  body TEXT,                                         -- secondary text: artist, album, genre, description, tags
  visibility visibility NOT NULL DEFAULT 'public',
  owner_id UUID,
  -- Display fields (artist, cover key, price...) so a results page is one query without joining back
  -- to seven tables. Never filtered on (no GIN needed).
  metadata JSONB NOT NULL DEFAULT '{}',
  -- Derived, so it can never drift from title/body: language-neutral ('simple': the catalogue is
  -- multilingual, so no stemming) and accent-insensitive; the title weighs more than the body.
  document TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, f_unaccent(title)), 'A') ||
    setweight(to_tsvector('simple'::regconfig, f_unaccent(COALESCE(body, ''))), 'B')
  ) STORED,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_search_index_users FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT uq_search_index_entity UNIQUE (entity_type, entity_id),
  CONSTRAINT chk_search_index_entity_type_valid
    CHECK (entity_type IN ('track', 'user', 'playlist', 'post', 'product', 'course', 'group')),
  CONSTRAINT chk_search_index_title_not_blank CHECK (length(btrim(title)) > 0),
  CONSTRAINT chk_search_index_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- full-text: document @@ websearch_to_tsquery('simple', f_unaccent($1))
CREATE INDEX idx_search_index_document_gin ON search_index USING GIN (document);
-- typo-tolerant / prefix matching on titles: f_unaccent(lower(title)) % f_unaccent(lower($1)), or ILIKE
CREATE INDEX idx_search_index_title_trgm ON search_index USING GIN (f_unaccent(lower(title)) gin_trgm_ops);
CREATE INDEX idx_search_index_owner_id ON search_index(owner_id);

CREATE TRIGGER trg_search_index_updated_at BEFORE UPDATE ON search_index
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
