-- Before 0021 nothing filled search_index: what the backfill and the triggers wrote goes with them.
DELETE FROM search_index;

DROP TRIGGER trg_courses_search_index_update ON courses;
DROP TRIGGER trg_courses_search_index ON courses;
DROP TRIGGER trg_products_search_index_update ON products;
DROP TRIGGER trg_products_search_index ON products;
DROP TRIGGER trg_groups_search_index_posts ON groups;
DROP TRIGGER trg_groups_search_index_update ON groups;
DROP TRIGGER trg_groups_search_index ON groups;
DROP TRIGGER trg_posts_search_index_update ON posts;
DROP TRIGGER trg_posts_search_index ON posts;
DROP TRIGGER trg_playlists_search_index_update ON playlists;
DROP TRIGGER trg_playlists_search_index ON playlists;
DROP TRIGGER trg_user_settings_search_index ON user_settings;
DROP TRIGGER trg_user_profiles_search_index ON user_profiles;
DROP TRIGGER trg_users_search_index_update ON users;
DROP TRIGGER trg_users_search_index ON users;
DROP TRIGGER trg_tracks_search_index_update ON tracks;
DROP TRIGGER trg_tracks_search_index ON tracks;

DROP FUNCTION search_index_sync_group_posts();
DROP FUNCTION search_index_sync_user_part();
DROP FUNCTION search_index_sync_row();
DROP FUNCTION search_index_sync(text, uuid);
DROP VIEW search_documents;

ALTER TABLE user_settings DROP COLUMN save_search_history;
