-- Search (issue 7, spec §14): search_index kept in sync with what it indexes BY TRIGGERS, so no
-- writer in any domain can forget it, and the opt-in setting behind the search history.

-- GDPR-native: a user's searches are kept only once they turn this on (GET/PATCH /v1/me/settings).
ALTER TABLE user_settings ADD COLUMN save_search_history BOOLEAN NOT NULL DEFAULT false;

-- ---------------------------------------------------------------------------------------------
-- search_documents: the one definition of what is searchable and how it reads — one row per entity
-- that may appear in search, shaped as a search_index row. The triggers below (one entity at a
-- time) and the backfill at the end (everything at once) both read it, so they cannot disagree.
-- Not in it: soft-deleted rows; tracks not yet 'ready'; users who are deleted, banned, private or
-- opted out (user_settings.allow_search_indexing); empty reposts and posts of private or deleted
-- groups; private and deleted groups; products not 'active'; courses not 'published'.
-- Owners' bans and deletions are ALSO checked by the search query itself: a ban must hide an
-- owner's entities at once, and re-indexing all of them is not a one-row trigger's job.
-- created_at is the entity's own (results tie-break on recency). Counters are left out of metadata
-- on purpose: they change on every like or play and would make every such write re-index.
CREATE VIEW search_documents AS
SELECT * FROM (
  SELECT 'track'::varchar(20) AS entity_type, t.id AS entity_id, left(t.title, 255)::varchar(255) AS title,
         NULLIF(concat_ws(' ', t.artist, t.album, t.genre, t.description), '') AS body,
         t.visibility, t.creator_id AS owner_id,
         jsonb_strip_nulls(jsonb_build_object('artist', t.artist, 'album', t.album, 'genre', t.genre,
           'duration', t.duration, 'cover_file_id', t.cover_art_file_id)) AS metadata,
         t.created_at
    FROM tracks t
   WHERE t.deleted_at IS NULL AND t.status = 'ready'
  UNION ALL
  SELECT 'user', u.id, left(concat_ws(' ', u.display_name, u.username), 255),
         NULLIF(concat_ws(' ', p.bio, CASE WHEN p.show_location THEN p.location END), ''),
         p.profile_visibility, u.id,
         jsonb_strip_nulls(jsonb_build_object('username', u.username, 'display_name', u.display_name, 'avatar_url', p.avatar_url)),
         u.created_at
    FROM users u
    JOIN user_profiles p ON p.user_id = u.id
    LEFT JOIN user_settings s ON s.user_id = u.id
   WHERE u.deleted_at IS NULL AND NOT u.is_banned AND p.profile_visibility <> 'private'
     AND COALESCE(s.allow_search_indexing, true)
  UNION ALL
  SELECT 'playlist', pl.id, left(pl.name, 255), NULLIF(pl.description, ''), pl.visibility, pl.user_id,
         jsonb_strip_nulls(jsonb_build_object('cover_url', pl.cover_url, 'is_collaborative', pl.is_collaborative)),
         pl.created_at
    FROM playlists pl
   WHERE pl.deleted_at IS NULL
  UNION ALL
  -- A post's first 255 characters are its title (weight A); a longer post is indexed whole as its
  -- body (weight B) so no word of it is lost.
  SELECT 'post', po.id, left(btrim(po.content), 255), CASE WHEN length(btrim(po.content)) > 255 THEN po.content END,
         po.visibility, po.user_id,
         jsonb_strip_nulls(jsonb_build_object('group_id', po.group_id, 'repost_of_id', po.repost_of_id)),
         po.created_at
    FROM posts po
    LEFT JOIN groups g ON g.id = po.group_id
   WHERE po.deleted_at IS NULL AND btrim(po.content) <> ''
     AND (po.group_id IS NULL OR (g.group_type = 'public' AND g.deleted_at IS NULL))
  UNION ALL
  SELECT 'group', g.id, left(g.name, 255), NULLIF(g.description, ''), 'public'::visibility, g.creator_id,
         jsonb_strip_nulls(jsonb_build_object('slug', g.slug, 'avatar_url', g.avatar_url)),
         g.created_at
    FROM groups g
   WHERE g.deleted_at IS NULL AND g.group_type = 'public'
  UNION ALL
  SELECT 'product', pr.id, left(pr.name, 255),
         NULLIF(concat_ws(' ', pr.description, array_to_string(pr.tags, ' '), pr.genre, pr.category), ''),
         'public'::visibility, pr.seller_id,
         jsonb_strip_nulls(jsonb_build_object('slug', pr.slug, 'category', pr.category, 'price', pr.price,
           'currency', pr.currency, 'pricing_model', pr.pricing_model, 'genre', pr.genre, 'thumbnail_url', pr.thumbnail_url)),
         pr.created_at
    FROM products pr
   WHERE pr.deleted_at IS NULL AND pr.status = 'active'
  UNION ALL
  SELECT 'course', c.id, left(c.title, 255), NULLIF(c.description, ''), 'public'::visibility, c.educator_id,
         jsonb_strip_nulls(jsonb_build_object('slug', c.slug, 'level', c.level, 'language', c.language,
           'price', c.price, 'currency', c.currency, 'cover_file_id', c.cover_file_id)),
         c.created_at
    FROM courses c
   WHERE c.deleted_at IS NULL AND c.status = 'published'
) d
WHERE btrim(d.title) <> '';  -- search_index refuses a blank title (a name of spaces is not findable anyway)

-- Brings one entity's search_index row in line with search_documents: upserted while it is
-- searchable, deleted once it is not. One row; the view's branches are pruned by entity_type and
-- each reads its table by primary key.
CREATE FUNCTION search_index_sync(p_type text, p_id uuid) RETURNS void AS $$
BEGIN
  INSERT INTO search_index (entity_type, entity_id, title, body, visibility, owner_id, metadata, created_at)
  SELECT d.entity_type, d.entity_id, d.title, d.body, d.visibility, d.owner_id, d.metadata, d.created_at
    FROM search_documents d
   WHERE d.entity_type = p_type AND d.entity_id = p_id
  ON CONFLICT (entity_type, entity_id) DO UPDATE
    SET title = EXCLUDED.title, body = EXCLUDED.body, visibility = EXCLUDED.visibility,
        owner_id = EXCLUDED.owner_id, metadata = EXCLUDED.metadata, created_at = EXCLUDED.created_at;
  IF NOT FOUND THEN
    DELETE FROM search_index WHERE entity_type = p_type AND entity_id = p_id;
  END IF;
END;
$$ LANGUAGE plpgsql;

-- AFTER trigger of an indexed table whose row id is the entity id; TG_ARGV[0] is the entity type.
CREATE FUNCTION search_index_sync_row() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_index WHERE entity_type = TG_ARGV[0] AND entity_id = OLD.id;
  ELSE
    PERFORM search_index_sync(TG_ARGV[0], NEW.id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- AFTER UPDATE trigger of user_profiles / user_settings: the user they belong to is re-indexed.
CREATE FUNCTION search_index_sync_user_part() RETURNS trigger AS $$
BEGIN
  PERFORM search_index_sync('user', NEW.user_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A group turning private (or public again) or being deleted changes whether its posts are
-- searchable: they are re-indexed with it. Rare (a group's own settings), bounded by its posts.
CREATE FUNCTION search_index_sync_group_posts() RETURNS trigger AS $$
BEGIN
  PERFORM search_index_sync('post', po.id) FROM posts po WHERE po.group_id = NEW.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Each table's triggers fire only when a column search_documents reads changes (UPDATE OF … WHEN):
-- counters, play counts, logins and processing progress never re-index anything.
CREATE TRIGGER trg_tracks_search_index AFTER INSERT OR DELETE ON tracks
  FOR EACH ROW EXECUTE FUNCTION search_index_sync_row('track');
CREATE TRIGGER trg_tracks_search_index_update
  AFTER UPDATE OF title, artist, album, genre, description, visibility, creator_id, duration, cover_art_file_id, status, deleted_at ON tracks
  FOR EACH ROW
  WHEN ((OLD.title, OLD.artist, OLD.album, OLD.genre, OLD.description, OLD.visibility, OLD.creator_id, OLD.duration, OLD.cover_art_file_id, OLD.status, OLD.deleted_at)
        IS DISTINCT FROM (NEW.title, NEW.artist, NEW.album, NEW.genre, NEW.description, NEW.visibility, NEW.creator_id, NEW.duration, NEW.cover_art_file_id, NEW.status, NEW.deleted_at))
  EXECUTE FUNCTION search_index_sync_row('track');

-- Named to sort after trg_users_create_profile_settings: AFTER triggers fire in name order, so the
-- profile and settings rows this reads exist by then. A hard delete cascades through owner_id.
CREATE TRIGGER trg_users_search_index AFTER INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION search_index_sync_row('user');
CREATE TRIGGER trg_users_search_index_update AFTER UPDATE OF username, display_name, is_banned, deleted_at ON users
  FOR EACH ROW
  WHEN ((OLD.username, OLD.display_name, OLD.is_banned, OLD.deleted_at) IS DISTINCT FROM (NEW.username, NEW.display_name, NEW.is_banned, NEW.deleted_at))
  EXECUTE FUNCTION search_index_sync_row('user');
CREATE TRIGGER trg_user_profiles_search_index AFTER UPDATE OF bio, location, show_location, profile_visibility, avatar_url ON user_profiles
  FOR EACH ROW
  WHEN ((OLD.bio, OLD.location, OLD.show_location, OLD.profile_visibility, OLD.avatar_url)
        IS DISTINCT FROM (NEW.bio, NEW.location, NEW.show_location, NEW.profile_visibility, NEW.avatar_url))
  EXECUTE FUNCTION search_index_sync_user_part();
CREATE TRIGGER trg_user_settings_search_index AFTER UPDATE OF allow_search_indexing ON user_settings
  FOR EACH ROW WHEN (OLD.allow_search_indexing IS DISTINCT FROM NEW.allow_search_indexing)
  EXECUTE FUNCTION search_index_sync_user_part();

CREATE TRIGGER trg_playlists_search_index AFTER INSERT OR DELETE ON playlists
  FOR EACH ROW EXECUTE FUNCTION search_index_sync_row('playlist');
CREATE TRIGGER trg_playlists_search_index_update
  AFTER UPDATE OF name, description, visibility, user_id, cover_file_id, cover_url, is_collaborative, deleted_at ON playlists
  FOR EACH ROW
  WHEN ((OLD.name, OLD.description, OLD.visibility, OLD.user_id, OLD.cover_url, OLD.is_collaborative, OLD.deleted_at)
        IS DISTINCT FROM (NEW.name, NEW.description, NEW.visibility, NEW.user_id, NEW.cover_url, NEW.is_collaborative, NEW.deleted_at))
  EXECUTE FUNCTION search_index_sync_row('playlist');

CREATE TRIGGER trg_posts_search_index AFTER INSERT OR DELETE ON posts
  FOR EACH ROW EXECUTE FUNCTION search_index_sync_row('post');
CREATE TRIGGER trg_posts_search_index_update AFTER UPDATE OF content, visibility, user_id, group_id, repost_of_id, deleted_at ON posts
  FOR EACH ROW
  WHEN ((OLD.content, OLD.visibility, OLD.user_id, OLD.group_id, OLD.repost_of_id, OLD.deleted_at)
        IS DISTINCT FROM (NEW.content, NEW.visibility, NEW.user_id, NEW.group_id, NEW.repost_of_id, NEW.deleted_at))
  EXECUTE FUNCTION search_index_sync_row('post');

CREATE TRIGGER trg_groups_search_index AFTER INSERT OR DELETE ON groups
  FOR EACH ROW EXECUTE FUNCTION search_index_sync_row('group');
CREATE TRIGGER trg_groups_search_index_update AFTER UPDATE OF name, description, slug, avatar_url, creator_id, group_type, deleted_at ON groups
  FOR EACH ROW
  WHEN ((OLD.name, OLD.description, OLD.slug, OLD.avatar_url, OLD.creator_id, OLD.group_type, OLD.deleted_at)
        IS DISTINCT FROM (NEW.name, NEW.description, NEW.slug, NEW.avatar_url, NEW.creator_id, NEW.group_type, NEW.deleted_at))
  EXECUTE FUNCTION search_index_sync_row('group');
CREATE TRIGGER trg_groups_search_index_posts AFTER UPDATE OF group_type, deleted_at ON groups
  FOR EACH ROW
  WHEN ((OLD.group_type = 'public' AND OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.group_type = 'public' AND NEW.deleted_at IS NULL))
  EXECUTE FUNCTION search_index_sync_group_posts();

CREATE TRIGGER trg_products_search_index AFTER INSERT OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION search_index_sync_row('product');
CREATE TRIGGER trg_products_search_index_update
  AFTER UPDATE OF name, description, tags, genre, category, slug, price, currency, pricing_model, thumbnail_url, seller_id, status, deleted_at ON products
  FOR EACH ROW
  WHEN ((OLD.name, OLD.description, OLD.tags, OLD.genre, OLD.category, OLD.slug, OLD.price, OLD.currency, OLD.pricing_model, OLD.thumbnail_url, OLD.seller_id, OLD.status, OLD.deleted_at)
        IS DISTINCT FROM (NEW.name, NEW.description, NEW.tags, NEW.genre, NEW.category, NEW.slug, NEW.price, NEW.currency, NEW.pricing_model, NEW.thumbnail_url, NEW.seller_id, NEW.status, NEW.deleted_at))
  EXECUTE FUNCTION search_index_sync_row('product');

CREATE TRIGGER trg_courses_search_index AFTER INSERT OR DELETE ON courses
  FOR EACH ROW EXECUTE FUNCTION search_index_sync_row('course');
CREATE TRIGGER trg_courses_search_index_update
  AFTER UPDATE OF title, description, slug, level, language, price, currency, cover_file_id, educator_id, status, deleted_at ON courses
  FOR EACH ROW
  WHEN ((OLD.title, OLD.description, OLD.slug, OLD.level, OLD.language, OLD.price, OLD.currency, OLD.cover_file_id, OLD.educator_id, OLD.status, OLD.deleted_at)
        IS DISTINCT FROM (NEW.title, NEW.description, NEW.slug, NEW.level, NEW.language, NEW.price, NEW.currency, NEW.cover_file_id, NEW.educator_id, NEW.status, NEW.deleted_at))
  EXECUTE FUNCTION search_index_sync_row('course');

-- Backfill: everything searchable today, in one statement (the table was empty until now).
INSERT INTO search_index (entity_type, entity_id, title, body, visibility, owner_id, metadata, created_at)
SELECT entity_type, entity_id, title, body, visibility, owner_id, metadata, created_at FROM search_documents
ON CONFLICT (entity_type, entity_id) DO UPDATE
  SET title = EXCLUDED.title, body = EXCLUDED.body, visibility = EXCLUDED.visibility,
      owner_id = EXCLUDED.owner_id, metadata = EXCLUDED.metadata, created_at = EXCLUDED.created_at;
