-- Media (issue 4): what uploads, processing, track listings and play counting need beyond 0003/0004.

-- A creator's tracks, newest first, keyset-paginated on (created_at, id): GET /v1/users/:u/tracks.
CREATE INDEX idx_tracks_creator_id_created_at_id ON tracks(creator_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

-- One live track per uploaded file: a retried POST /v1/tracks cannot make two tracks (and two
-- processing runs) of the same upload; the race between two retries ends on this index.
CREATE UNIQUE INDEX uq_tracks_file_id_live ON tracks(file_id) WHERE deleted_at IS NULL;

-- Every play is history (the listener's own, and the ≥ 30 s rule is about counting, not recording):
-- play_count counts only plays of at least 30 seconds.
DROP TRIGGER trg_playback_history_play_count ON playback_history;
CREATE TRIGGER trg_playback_history_play_count AFTER INSERT ON playback_history
  FOR EACH ROW WHEN (NEW.played_duration >= 30) EXECUTE FUNCTION playback_history_increment_play_count();
COMMENT ON COLUMN tracks.play_count IS 'Lifetime plays of at least 30 s: +1 per such playback_history row, never decremented (history is purged by retention, plays happened)';
