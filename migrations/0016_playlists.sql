-- Playlists (issue 5): the cover as a file reference, and the keyset lists' indexes.

-- The cover is one of the owner's (or an admin collaborator's) image files; cover_url (the spec's
-- column) keeps the path it is served at, /v1/playlists/<id>/cover/<file id>. A new cover is a new
-- URL, so each one is cached as immutable. Deleting the file drops the cover, not the playlist.
ALTER TABLE playlists ADD COLUMN cover_file_id UUID
  CONSTRAINT fk_playlists_files REFERENCES files(id) ON DELETE SET NULL;
CREATE INDEX idx_playlists_cover_file_id ON playlists(cover_file_id) WHERE cover_file_id IS NOT NULL;

-- cover_url follows cover_file_id, whoever sets it (the API, or ON DELETE SET NULL when the file
-- goes): the path src/domains/playlists/playlist-view.ts (coverPath) serves.
CREATE FUNCTION playlists_set_cover_url() RETURNS trigger AS $$
BEGIN
  NEW.cover_url := CASE WHEN NEW.cover_file_id IS NULL THEN NULL ELSE '/v1/playlists/' || NEW.id || '/cover/' || NEW.cover_file_id END;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_playlists_cover_url BEFORE INSERT OR UPDATE OF cover_file_id ON playlists
  FOR EACH ROW EXECUTE FUNCTION playlists_set_cover_url();

-- A user's playlists, newest first, keyset-paginated on (created_at, id): GET /v1/users/:u/playlists
-- and the owned half of GET /v1/me/playlists.
CREATE INDEX idx_playlists_user_id_created_at_id ON playlists(user_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
