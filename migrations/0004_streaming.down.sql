-- Reverts 0004_streaming, in reverse order. Dropping a table drops its indexes, constraints and
-- triggers (the counter triggers all sit on this migration's tables); dropping the partitioned
-- parent drops its partitions. The two triggers on tracks that read playlist_tracks go first.
DROP TABLE IF EXISTS queue_items;
DROP FUNCTION IF EXISTS queue_items_close_position_gaps();
DROP TABLE IF EXISTS queues;

DROP TABLE IF EXISTS track_comments;
DROP FUNCTION IF EXISTS track_comments_maintain_comment_count();
DROP TABLE IF EXISTS track_likes;
DROP FUNCTION IF EXISTS track_likes_maintain_like_count();

DROP TABLE IF EXISTS playback_history;
DROP FUNCTION IF EXISTS playback_history_increment_play_count();

DROP TRIGGER IF EXISTS trg_tracks_playlist_duration_delete ON tracks;
DROP FUNCTION IF EXISTS tracks_remove_playlist_durations();
DROP TRIGGER IF EXISTS trg_tracks_playlist_duration_update ON tracks;
DROP FUNCTION IF EXISTS tracks_update_playlist_durations();
DROP TABLE IF EXISTS playlist_tracks;
DROP FUNCTION IF EXISTS playlist_tracks_close_position_gaps();
DROP FUNCTION IF EXISTS playlist_tracks_maintain_playlist_counts();

DROP TABLE IF EXISTS playlist_follows;
DROP FUNCTION IF EXISTS playlist_follows_maintain_follower_count();
DROP TABLE IF EXISTS playlist_collaborators;

DROP TABLE IF EXISTS playlists;
DROP FUNCTION IF EXISTS playlists_maintain_user_playlist_count();

DROP TABLE IF EXISTS tracks;
DROP FUNCTION IF EXISTS tracks_maintain_user_track_count();
