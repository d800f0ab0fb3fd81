-- Audio streaming: spec §7 (tracks, playlists, playlist_tracks, playback_history, track_likes,
-- track_comments, queues, queue_items) + er-diagram v0.3 COLLABORATIONS (playlist_collaborators)
-- + playlist follows (the spec's playlists.follower_count needs a source), the media-processing
-- columns of the upload → HLS pipeline (DESIGN §5) and the live queue's optimistic version (DESIGN §4).
-- Depends on 0001_foundation (visibility, update_updated_at_column, ensure_monthly_partitions),
-- 0002_accounts (users, user_profiles) and 0003_files (files).
--
-- Deviations common to every table here ("-- deviation:" / "-- added:" mark the others):
--  * FKs are named fk_<table>_<target>[_<role>] so errors and tests can name them; ON DELETE as spec.
--  * created_at/updated_at (+ trg_<table>_updated_at) added where the spec forgot them.
--  * Counters are kept by AFTER triggers handling INSERT, DELETE and the UPDATEs that change
--    membership (soft delete), decrementing with GREATEST(x - 1, 0); counters get a >= 0 CHECK.
--  * Ordered lists (playlist_tracks, queue_items): UNIQUE (parent, position) DEFERRABLE INITIALLY
--    DEFERRED, so a reorder is one UPDATE (or one batch) that may pass through duplicate positions
--    and is checked at commit; two concurrent writers that would produce a duplicate position make
--    one of them fail (23505) instead of silently corrupting the order. Deleting an item closes the
--    gap (statement trigger renumbering the parent 0..n-1), so a cascaded delete (track removed)
--    cannot leave holes. The unique constraint's index replaces the spec's (parent, position) index.

-- ---------------------------------------------------------------------------------------------
-- §7.1 tracks
-- ---------------------------------------------------------------------------------------------
CREATE TABLE tracks (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  creator_id UUID NOT NULL CONSTRAINT fk_tracks_users REFERENCES users(id) ON DELETE CASCADE,
  file_id UUID NOT NULL CONSTRAINT fk_tracks_files REFERENCES files(id) ON DELETE RESTRICT,
  -- Track Info
  title VARCHAR(255) NOT NULL,
  description TEXT,
  artist VARCHAR(255),
  album VARCHAR(255),
  genre VARCHAR(100),
  -- Audio Properties
  -- deviation: nullable — the row is created at upload time, before processing has measured the
  -- audio; processing fills it in (a ready track must have it, see chk_tracks_ready_has_media).
  duration INTEGER, -- seconds
  duration_ms INTEGER, -- added: exact duration measured by processing (players, waveform comments)
  bpm INTEGER,
  musical_key VARCHAR(10),
  -- Visibility
  visibility visibility NOT NULL DEFAULT 'public',
  is_downloadable BOOLEAN NOT NULL DEFAULT false,
  -- Media
  cover_art_file_id UUID CONSTRAINT fk_tracks_cover_art_file REFERENCES files(id) ON DELETE SET NULL,
  waveform_data JSONB, -- Waveform visualization data
  -- added: media processing (upload → HLS, DESIGN §5)
  status VARCHAR(20) NOT NULL DEFAULT 'pending', -- pending, processing, ready, failed
  processing_progress INTEGER NOT NULL DEFAULT 0, -- percent 0-100
  processing_error TEXT, -- why a failed track failed
  hls_path TEXT, -- R2 key prefix of the renditions (<hls_path>/master.m3u8)
  integrated_lufs NUMERIC(6,2), -- EBU R128 integrated loudness (LUFS)
  true_peak_dbtp NUMERIC(6,2), -- true peak (dBTP)
  replay_gain_db NUMERIC(6,2), -- gain to apply for the reference loudness (dB)
  -- Counts (denormalized)
  play_count INTEGER NOT NULL DEFAULT 0,
  like_count INTEGER NOT NULL DEFAULT 0,
  comment_count INTEGER NOT NULL DEFAULT 0,
  download_count INTEGER NOT NULL DEFAULT 0,
  -- Timestamps
  published_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  -- Constraints
  -- deviation: NULL allowed (duration unknown until processed), positive otherwise
  CONSTRAINT chk_tracks_duration_positive CHECK (duration IS NULL OR duration > 0),
  -- added
  CONSTRAINT chk_tracks_duration_ms_positive CHECK (duration_ms IS NULL OR duration_ms > 0),
  CONSTRAINT chk_tracks_bpm_range CHECK (bpm IS NULL OR bpm BETWEEN 20 AND 999),
  CONSTRAINT chk_tracks_status CHECK (status IN ('pending', 'processing', 'ready', 'failed')),
  CONSTRAINT chk_tracks_processing_progress_range CHECK (processing_progress BETWEEN 0 AND 100),
  -- added: a ready track is playable: it has its duration and its HLS renditions
  CONSTRAINT chk_tracks_ready_has_media CHECK (status <> 'ready' OR (duration IS NOT NULL AND hls_path IS NOT NULL)),
  -- added: a failed track says why (DESIGN §5)
  CONSTRAINT chk_tracks_failed_has_error CHECK (status <> 'failed' OR processing_error IS NOT NULL),
  CONSTRAINT chk_tracks_counts_non_negative CHECK (
    play_count >= 0 AND like_count >= 0 AND comment_count >= 0 AND download_count >= 0)
);

CREATE INDEX idx_tracks_creator_id ON tracks(creator_id);
CREATE INDEX idx_tracks_genre ON tracks(genre);
CREATE INDEX idx_tracks_visibility ON tracks(visibility);
CREATE INDEX idx_tracks_published_at_desc ON tracks(published_at DESC) WHERE published_at IS NOT NULL;
CREATE INDEX idx_tracks_play_count_desc ON tracks(play_count DESC);
CREATE INDEX idx_tracks_created_at_desc ON tracks(created_at DESC);
-- Full-text search
CREATE INDEX idx_tracks_search_gin ON tracks USING GIN(to_tsvector('english', title || ' ' || COALESCE(artist, '') || ' ' || COALESCE(album, '')));
-- added: FK indexes the spec forgot
CREATE INDEX idx_tracks_file_id ON tracks(file_id);
CREATE INDEX idx_tracks_cover_art_file_id ON tracks(cover_art_file_id) WHERE cover_art_file_id IS NOT NULL;
-- added: the processing sweeper finds stuck/unfinished tracks without scanning the table
CREATE INDEX idx_tracks_status_created_at ON tracks(status, created_at) WHERE status IN ('pending', 'processing');

CREATE TRIGGER trg_tracks_updated_at BEFORE UPDATE ON tracks
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

COMMENT ON COLUMN tracks.hls_path IS 'R2 key prefix of the HLS renditions; master playlist at <hls_path>/master.m3u8';
COMMENT ON COLUMN tracks.play_count IS 'Lifetime plays: +1 per playback_history row, never decremented (history is purged by retention, plays happened)';

-- user_profiles.track_count = the creator's non-deleted tracks (insert, soft delete/undelete,
-- change of creator, hard delete).
CREATE FUNCTION tracks_maintain_user_track_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
    UPDATE user_profiles SET track_count = GREATEST(track_count - 1, 0) WHERE user_id = OLD.creator_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
    UPDATE user_profiles SET track_count = track_count + 1 WHERE user_id = NEW.creator_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_tracks_user_track_count_insert_delete AFTER INSERT OR DELETE ON tracks
  FOR EACH ROW EXECUTE FUNCTION tracks_maintain_user_track_count();
CREATE TRIGGER trg_tracks_user_track_count_update AFTER UPDATE OF deleted_at, creator_id ON tracks
  FOR EACH ROW
  WHEN ((OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL) OR OLD.creator_id IS DISTINCT FROM NEW.creator_id)
  EXECUTE FUNCTION tracks_maintain_user_track_count();

-- ---------------------------------------------------------------------------------------------
-- §7.2 playlists
-- ---------------------------------------------------------------------------------------------
CREATE TABLE playlists (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_playlists_users REFERENCES users(id) ON DELETE CASCADE,
  -- Playlist Info
  name VARCHAR(255) NOT NULL,
  description TEXT,
  -- Media
  cover_url TEXT,
  -- Properties
  visibility visibility NOT NULL DEFAULT 'public',
  is_collaborative BOOLEAN NOT NULL DEFAULT false,
  -- Counts (kept by triggers on playlist_tracks, tracks.duration and playlist_follows)
  track_count INTEGER NOT NULL DEFAULT 0,
  duration_seconds INTEGER NOT NULL DEFAULT 0,
  follower_count INTEGER NOT NULL DEFAULT 0,
  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  -- added
  CONSTRAINT chk_playlists_counts_non_negative CHECK (
    track_count >= 0 AND duration_seconds >= 0 AND follower_count >= 0)
);

CREATE INDEX idx_playlists_user_id ON playlists(user_id);
CREATE INDEX idx_playlists_visibility ON playlists(visibility);
CREATE INDEX idx_playlists_created_at_desc ON playlists(created_at DESC);

CREATE TRIGGER trg_playlists_updated_at BEFORE UPDATE ON playlists
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- user_profiles.playlist_count = the owner's non-deleted playlists.
CREATE FUNCTION playlists_maintain_user_playlist_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
    UPDATE user_profiles SET playlist_count = GREATEST(playlist_count - 1, 0) WHERE user_id = OLD.user_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
    UPDATE user_profiles SET playlist_count = playlist_count + 1 WHERE user_id = NEW.user_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_playlists_user_playlist_count_insert_delete AFTER INSERT OR DELETE ON playlists
  FOR EACH ROW EXECUTE FUNCTION playlists_maintain_user_playlist_count();
CREATE TRIGGER trg_playlists_user_playlist_count_update AFTER UPDATE OF deleted_at, user_id ON playlists
  FOR EACH ROW
  WHEN ((OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL) OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION playlists_maintain_user_playlist_count();

-- ---------------------------------------------------------------------------------------------
-- added (er-diagram v0.3 COLLABORATIONS): playlist_collaborators — invitations and permissions
-- ---------------------------------------------------------------------------------------------
-- A row is an invitation (pending) until the invitee accepts or declines; removing a collaborator
-- deletes the row, so there is no deleted_at.
CREATE TABLE playlist_collaborators (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  playlist_id UUID NOT NULL CONSTRAINT fk_playlist_collaborators_playlists REFERENCES playlists(id) ON DELETE CASCADE,
  user_id UUID NOT NULL CONSTRAINT fk_playlist_collaborators_users REFERENCES users(id) ON DELETE CASCADE,
  permission VARCHAR(10) NOT NULL DEFAULT 'edit', -- view, edit, admin
  status VARCHAR(10) NOT NULL DEFAULT 'pending', -- pending, accepted, declined
  invited_by UUID CONSTRAINT fk_playlist_collaborators_invited_by REFERENCES users(id) ON DELETE SET NULL,
  invited_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  accepted_at TIMESTAMPTZ,
  expires_at TIMESTAMPTZ, -- a pending invitation past this instant can no longer be accepted
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT uq_playlist_collaborators_playlist_user UNIQUE (playlist_id, user_id),
  CONSTRAINT chk_playlist_collaborators_permission CHECK (permission IN ('view', 'edit', 'admin')),
  CONSTRAINT chk_playlist_collaborators_status CHECK (status IN ('pending', 'accepted', 'declined')),
  CONSTRAINT chk_playlist_collaborators_accepted_at CHECK (status <> 'accepted' OR accepted_at IS NOT NULL),
  CONSTRAINT chk_playlist_collaborators_expires_after_invite CHECK (expires_at IS NULL OR expires_at > invited_at)
);

-- playlist_id is covered by uq_playlist_collaborators_playlist_user
CREATE INDEX idx_playlist_collaborators_user_id_status ON playlist_collaborators(user_id, status);
CREATE INDEX idx_playlist_collaborators_invited_by ON playlist_collaborators(invited_by) WHERE invited_by IS NOT NULL;

CREATE TRIGGER trg_playlist_collaborators_updated_at BEFORE UPDATE ON playlist_collaborators
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- added: playlist_follows — the rows behind playlists.follower_count
-- ---------------------------------------------------------------------------------------------
CREATE TABLE playlist_follows (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  playlist_id UUID NOT NULL CONSTRAINT fk_playlist_follows_playlists REFERENCES playlists(id) ON DELETE CASCADE,
  user_id UUID NOT NULL CONSTRAINT fk_playlist_follows_users REFERENCES users(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT uq_playlist_follows_playlist_user UNIQUE (playlist_id, user_id)
);

-- playlist_id is covered by uq_playlist_follows_playlist_user
CREATE INDEX idx_playlist_follows_user_id_created_at ON playlist_follows(user_id, created_at DESC);

CREATE TRIGGER trg_playlist_follows_updated_at BEFORE UPDATE ON playlist_follows
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE FUNCTION playlist_follows_maintain_follower_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE playlists SET follower_count = follower_count + 1 WHERE id = NEW.playlist_id;
  ELSE
    UPDATE playlists SET follower_count = GREATEST(follower_count - 1, 0) WHERE id = OLD.playlist_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_playlist_follows_follower_count AFTER INSERT OR DELETE ON playlist_follows
  FOR EACH ROW EXECUTE FUNCTION playlist_follows_maintain_follower_count();

-- ---------------------------------------------------------------------------------------------
-- §7.3 playlist_tracks
-- ---------------------------------------------------------------------------------------------
CREATE TABLE playlist_tracks (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  playlist_id UUID NOT NULL CONSTRAINT fk_playlist_tracks_playlists REFERENCES playlists(id) ON DELETE CASCADE,
  track_id UUID NOT NULL CONSTRAINT fk_playlist_tracks_tracks REFERENCES tracks(id) ON DELETE CASCADE,
  -- Order (0-based)
  position INTEGER NOT NULL,
  -- Metadata
  -- deviation: nullable + ON DELETE SET NULL (spec: NOT NULL + CASCADE) — deleting a collaborator's
  -- account must not strip the tracks they added from someone else's playlist.
  added_by UUID CONSTRAINT fk_playlist_tracks_added_by REFERENCES users(id) ON DELETE SET NULL,
  added_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT uq_playlist_tracks_playlist_track UNIQUE (playlist_id, track_id),
  -- added: positions are a permutation of 0..n-1 (see the header); replaces the spec's
  -- idx_playlist_tracks_playlist_id_position, which would index the same columns twice
  CONSTRAINT uq_playlist_tracks_playlist_position UNIQUE (playlist_id, position) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT chk_playlist_tracks_position_non_negative CHECK (position >= 0)
);

CREATE INDEX idx_playlist_tracks_track_id ON playlist_tracks(track_id);
CREATE INDEX idx_playlist_tracks_added_by ON playlist_tracks(added_by);

CREATE TRIGGER trg_playlist_tracks_updated_at BEFORE UPDATE ON playlist_tracks
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- playlists.track_count / duration_seconds (sum of tracks.duration, NULL counted as 0).
-- When the track row itself is being deleted, trg_tracks_playlist_duration_delete has already
-- taken its duration off (the track row is gone by the time the cascade deletes this row, so the
-- lookup below finds nothing and subtracts 0).
CREATE FUNCTION playlist_tracks_maintain_playlist_counts() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE playlists
       SET track_count = track_count + 1,
           duration_seconds = duration_seconds + COALESCE((SELECT duration FROM tracks WHERE id = NEW.track_id), 0)
     WHERE id = NEW.playlist_id;
  ELSE
    UPDATE playlists
       SET track_count = GREATEST(track_count - 1, 0),
           duration_seconds = GREATEST(duration_seconds - COALESCE((SELECT duration FROM tracks WHERE id = OLD.track_id), 0), 0)
     WHERE id = OLD.playlist_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_playlist_tracks_playlist_counts AFTER INSERT OR DELETE ON playlist_tracks
  FOR EACH ROW EXECUTE FUNCTION playlist_tracks_maintain_playlist_counts();

-- Closes the gaps a DELETE leaves: renumbers each touched playlist 0..n-1 keeping the order.
CREATE FUNCTION playlist_tracks_close_position_gaps() RETURNS trigger AS $$
BEGIN
  UPDATE playlist_tracks pt
     SET position = r.new_position
    FROM (SELECT id, (row_number() OVER (PARTITION BY playlist_id ORDER BY position, id) - 1)::integer AS new_position
            FROM playlist_tracks
           WHERE playlist_id IN (SELECT DISTINCT playlist_id FROM deleted_rows)) r
   WHERE pt.id = r.id AND pt.position <> r.new_position;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_playlist_tracks_close_position_gaps AFTER DELETE ON playlist_tracks
  REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION playlist_tracks_close_position_gaps();

-- A track's duration changes (processing measured it) → fix every playlist containing it.
CREATE FUNCTION tracks_update_playlist_durations() RETURNS trigger AS $$
BEGIN
  UPDATE playlists p
     SET duration_seconds = GREATEST(p.duration_seconds + COALESCE(NEW.duration, 0) - COALESCE(OLD.duration, 0), 0)
    FROM playlist_tracks pt
   WHERE pt.track_id = NEW.id AND p.id = pt.playlist_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_tracks_playlist_duration_update AFTER UPDATE OF duration ON tracks
  FOR EACH ROW WHEN (OLD.duration IS DISTINCT FROM NEW.duration)
  EXECUTE FUNCTION tracks_update_playlist_durations();

-- A track is hard-deleted → take its duration off its playlists before the cascade removes the
-- playlist_tracks rows (whose trigger can no longer read tracks.duration then).
CREATE FUNCTION tracks_remove_playlist_durations() RETURNS trigger AS $$
BEGIN
  IF COALESCE(OLD.duration, 0) <> 0 THEN
    UPDATE playlists p
       SET duration_seconds = GREATEST(p.duration_seconds - OLD.duration, 0)
      FROM playlist_tracks pt
     WHERE pt.track_id = OLD.id AND p.id = pt.playlist_id;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_tracks_playlist_duration_delete BEFORE DELETE ON tracks
  FOR EACH ROW EXECUTE FUNCTION tracks_remove_playlist_durations();

-- ---------------------------------------------------------------------------------------------
-- §7.4 playback_history — partitioned by month on played_at (§21)
-- ---------------------------------------------------------------------------------------------
-- Append-only: played_at is the row's creation time (no created_at), and the only UPDATE is the
-- retention anonymisation, so there is no updated_at (deviation from the immutable rule, on purpose).
-- deviation: user_id is NULLABLE. §18.3 anonymises by `SET user_id = gen_random_uuid()`, which
-- violates the FK to users; anonymisation sets it to NULL instead (the row keeps its track, time
-- and durations for aggregates and loses everything that links it to a person):
--   UPDATE playback_history SET user_id = NULL, device_type = NULL, source = NULL, source_id = NULL
--    WHERE played_at < NOW() - INTERVAL '12 months' AND user_id IS NOT NULL;
CREATE TABLE playback_history (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  user_id UUID CONSTRAINT fk_playback_history_users REFERENCES users(id) ON DELETE CASCADE,
  track_id UUID NOT NULL CONSTRAINT fk_playback_history_tracks REFERENCES tracks(id) ON DELETE CASCADE,
  -- Playback
  played_duration INTEGER NOT NULL, -- seconds actually played
  completion_percentage INTEGER NOT NULL, -- 0-100
  -- Context
  source VARCHAR(50), -- playlist, album, search, direct
  source_id UUID, -- ID of playlist, album, etc. (polymorphic: no FK)
  -- Device
  device_type VARCHAR(50), -- mobile, desktop, web
  -- Timestamps
  played_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- deviation: PK (id, played_at) — a partitioned table's PK must include the partition key
  PRIMARY KEY (id, played_at),
  CONSTRAINT chk_playback_history_completion CHECK (completion_percentage >= 0 AND completion_percentage <= 100),
  -- added
  CONSTRAINT chk_playback_history_played_duration_non_negative CHECK (played_duration >= 0),
  CONSTRAINT chk_playback_history_source CHECK (source IS NULL OR source IN ('playlist', 'album', 'search', 'direct')),
  CONSTRAINT chk_playback_history_device_type CHECK (device_type IS NULL OR device_type IN ('mobile', 'desktop', 'web'))
) PARTITION BY RANGE (played_at);

CREATE INDEX idx_playback_history_user_id_played_at ON playback_history(user_id, played_at DESC);
CREATE INDEX idx_playback_history_track_id ON playback_history(track_id);

SELECT ensure_monthly_partitions('playback_history', date_trunc('month', now())::date, 4);

-- tracks.play_count: +1 per play. Never decremented: deleting history (retention, dropped
-- partitions, account deletion) does not un-play a track.
CREATE FUNCTION playback_history_increment_play_count() RETURNS trigger AS $$
BEGIN
  UPDATE tracks SET play_count = play_count + 1 WHERE id = NEW.track_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_playback_history_play_count AFTER INSERT ON playback_history
  FOR EACH ROW EXECUTE FUNCTION playback_history_increment_play_count();

-- ---------------------------------------------------------------------------------------------
-- §7.5 track_likes
-- ---------------------------------------------------------------------------------------------
CREATE TABLE track_likes (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_track_likes_users REFERENCES users(id) ON DELETE CASCADE,
  track_id UUID NOT NULL CONSTRAINT fk_track_likes_tracks REFERENCES tracks(id) ON DELETE CASCADE,
  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  CONSTRAINT uq_track_likes_user_track UNIQUE (user_id, track_id)
);

CREATE INDEX idx_track_likes_user_id ON track_likes(user_id);
CREATE INDEX idx_track_likes_track_id_created_at ON track_likes(track_id, created_at DESC);

CREATE TRIGGER trg_track_likes_updated_at BEFORE UPDATE ON track_likes
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE FUNCTION track_likes_maintain_like_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE tracks SET like_count = like_count + 1 WHERE id = NEW.track_id;
  ELSE
    UPDATE tracks SET like_count = GREATEST(like_count - 1, 0) WHERE id = OLD.track_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_track_likes_like_count AFTER INSERT OR DELETE ON track_likes
  FOR EACH ROW EXECUTE FUNCTION track_likes_maintain_like_count();

-- ---------------------------------------------------------------------------------------------
-- §7.6 track_comments
-- ---------------------------------------------------------------------------------------------
CREATE TABLE track_comments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  track_id UUID NOT NULL CONSTRAINT fk_track_comments_tracks REFERENCES tracks(id) ON DELETE CASCADE,
  user_id UUID NOT NULL CONSTRAINT fk_track_comments_users REFERENCES users(id) ON DELETE CASCADE,
  -- Comment
  content TEXT NOT NULL,
  -- Threading
  -- deviation: the FK is composite (parent_comment_id, track_id) → (id, track_id), so a reply is
  -- always on the same track as its parent; ON DELETE CASCADE as spec.
  parent_comment_id UUID,
  -- Timestamp in track (for waveform comments)
  timestamp_seconds INTEGER, -- NULL if general comment
  -- Moderation
  is_edited BOOLEAN NOT NULL DEFAULT false,
  is_deleted BOOLEAN NOT NULL DEFAULT false,
  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT chk_track_comments_content_length CHECK (LENGTH(content) >= 1 AND LENGTH(content) <= 5000),
  -- added
  CONSTRAINT uq_track_comments_id_track UNIQUE (id, track_id), -- target of fk_track_comments_parent
  CONSTRAINT fk_track_comments_parent FOREIGN KEY (parent_comment_id, track_id)
    REFERENCES track_comments(id, track_id) ON DELETE CASCADE,
  CONSTRAINT chk_track_comments_timestamp_seconds_non_negative CHECK (timestamp_seconds IS NULL OR timestamp_seconds >= 0),
  CONSTRAINT chk_track_comments_not_own_parent CHECK (parent_comment_id IS NULL OR parent_comment_id <> id)
);

CREATE INDEX idx_track_comments_track_id_created_at ON track_comments(track_id, created_at DESC);
CREATE INDEX idx_track_comments_user_id ON track_comments(user_id);
CREATE INDEX idx_track_comments_parent_comment_id ON track_comments(parent_comment_id) WHERE parent_comment_id IS NOT NULL;
CREATE INDEX idx_track_comments_timestamp_seconds ON track_comments(track_id, timestamp_seconds) WHERE timestamp_seconds IS NOT NULL;

CREATE TRIGGER trg_track_comments_updated_at BEFORE UPDATE ON track_comments
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- tracks.comment_count = live comments: not soft-deleted by either of the spec's two markers
-- (deleted_at IS NULL AND NOT is_deleted). Counts replies too.
CREATE FUNCTION track_comments_maintain_comment_count() RETURNS trigger AS $$
DECLARE
  was_live boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL AND NOT OLD.is_deleted;
  is_live boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL AND NOT NEW.is_deleted;
BEGIN
  IF was_live AND NOT is_live THEN
    UPDATE tracks SET comment_count = GREATEST(comment_count - 1, 0) WHERE id = OLD.track_id;
  ELSIF is_live AND NOT was_live THEN
    UPDATE tracks SET comment_count = comment_count + 1 WHERE id = NEW.track_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_track_comments_comment_count_insert_delete AFTER INSERT OR DELETE ON track_comments
  FOR EACH ROW EXECUTE FUNCTION track_comments_maintain_comment_count();
CREATE TRIGGER trg_track_comments_comment_count_update AFTER UPDATE OF deleted_at, is_deleted ON track_comments
  FOR EACH ROW EXECUTE FUNCTION track_comments_maintain_comment_count();

-- ---------------------------------------------------------------------------------------------
-- §7.7 queues — persisted state of the PlaybackQueue Durable Object (DESIGN §4)
-- ---------------------------------------------------------------------------------------------
-- No deleted_at: a queue is session state, not user content.
CREATE TABLE queues (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deviation: the column-level UNIQUE is dropped, idx_queues_user_id (UNIQUE) enforces it
  user_id UUID NOT NULL CONSTRAINT fk_queues_users REFERENCES users(id) ON DELETE CASCADE,
  -- Current Track
  current_track_id UUID CONSTRAINT fk_queues_tracks REFERENCES tracks(id) ON DELETE SET NULL,
  current_position INTEGER NOT NULL DEFAULT 0, -- seconds
  -- Playback State
  is_playing BOOLEAN NOT NULL DEFAULT false,
  shuffle BOOLEAN NOT NULL DEFAULT false,
  repeat_mode VARCHAR(20) NOT NULL DEFAULT 'off', -- off, track, queue
  volume INTEGER NOT NULL DEFAULT 100, -- 0-100
  -- added: optimistic concurrency for the live queue — a writer sends the version it read and
  -- writes `SET …, version = version + 1 WHERE id = $1 AND version = $2` (0 rows = stale).
  version INTEGER NOT NULL DEFAULT 0,
  -- Timestamps
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- added
  CONSTRAINT chk_queues_repeat_mode CHECK (repeat_mode IN ('off', 'track', 'queue')),
  CONSTRAINT chk_queues_volume_range CHECK (volume BETWEEN 0 AND 100),
  CONSTRAINT chk_queues_current_position_non_negative CHECK (current_position >= 0),
  CONSTRAINT chk_queues_version_non_negative CHECK (version >= 0)
);

CREATE UNIQUE INDEX idx_queues_user_id ON queues(user_id);
-- added: FK index
CREATE INDEX idx_queues_current_track_id ON queues(current_track_id) WHERE current_track_id IS NOT NULL;

CREATE TRIGGER trg_queues_updated_at BEFORE UPDATE ON queues
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §7.8 queue_items
-- ---------------------------------------------------------------------------------------------
CREATE TABLE queue_items (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  queue_id UUID NOT NULL CONSTRAINT fk_queue_items_queues REFERENCES queues(id) ON DELETE CASCADE,
  track_id UUID NOT NULL CONSTRAINT fk_queue_items_tracks REFERENCES tracks(id) ON DELETE CASCADE,
  -- Order (0-based)
  position INTEGER NOT NULL,
  -- Timestamps
  added_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  -- added: see the header; replaces the spec's idx_queue_items_queue_id_position (same columns)
  CONSTRAINT uq_queue_items_queue_position UNIQUE (queue_id, position) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT chk_queue_items_position_non_negative CHECK (position >= 0)
);

-- added: FK index
CREATE INDEX idx_queue_items_track_id ON queue_items(track_id);

CREATE TRIGGER trg_queue_items_updated_at BEFORE UPDATE ON queue_items
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE FUNCTION queue_items_close_position_gaps() RETURNS trigger AS $$
BEGIN
  UPDATE queue_items qi
     SET position = r.new_position
    FROM (SELECT id, (row_number() OVER (PARTITION BY queue_id ORDER BY position, id) - 1)::integer AS new_position
            FROM queue_items
           WHERE queue_id IN (SELECT DISTINCT queue_id FROM deleted_rows)) r
   WHERE qi.id = r.id AND qi.position <> r.new_position;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_queue_items_close_position_gaps AFTER DELETE ON queue_items
  REFERENCING OLD TABLE AS deleted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION queue_items_close_position_gaps();
