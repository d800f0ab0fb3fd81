COMMENT ON COLUMN tracks.play_count IS 'Lifetime plays: +1 per playback_history row, never decremented (history is purged by retention, plays happened)';
DROP TRIGGER trg_playback_history_play_count ON playback_history;
CREATE TRIGGER trg_playback_history_play_count AFTER INSERT ON playback_history
  FOR EACH ROW EXECUTE FUNCTION playback_history_increment_play_count();
DROP INDEX uq_tracks_file_id_live;
DROP INDEX idx_tracks_creator_id_created_at_id;
