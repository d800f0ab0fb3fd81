DROP INDEX idx_playlists_user_id_created_at_id;
DROP TRIGGER trg_playlists_cover_url ON playlists;
DROP FUNCTION playlists_set_cover_url();
DROP INDEX idx_playlists_cover_file_id;
ALTER TABLE playlists DROP COLUMN cover_file_id;
