-- §23 Materialized views: trending_tracks (refreshed hourly) and user_statistics (daily), both with
-- REFRESH MATERIALIZED VIEW CONCURRENTLY (readers are never blocked by a refresh).
-- Fixes to the spec's SQL, each commented in place:
--  * CONCURRENTLY needs a UNIQUE index on plain columns covering all rows: uq_trending_tracks_id,
--    uq_user_statistics_user_id (the spec had none, so its REFRESH ... CONCURRENTLY failed);
--  * user_statistics joined tracks, playlists and both follows sides at once, multiplying rows:
--    SUM(t.play_count) was inflated by followers x following x playlists. Each figure is now
--    aggregated separately, then joined 1:1 on the user;
--  * trending_tracks counted a track without plays as 1 play (COUNT(*) over the LEFT JOIN), and its
--    score was NULL for such tracks (AVG of nothing), and NULL sorts FIRST in DESC order: unplayed
--    tracks topped the chart.

-- ---------------------------------------------------------------------------------------------
-- trending_tracks: the 100 public tracks with the best score over the last 7 days. Plays whose
-- user_id was anonymised to NULL still count as plays, not as listeners.
CREATE MATERIALIZED VIEW trending_tracks AS
WITH plays_7d AS (
  -- aggregate the week's plays once (partition pruning on played_at), then join 1:1
  SELECT ph.track_id,
         COUNT(DISTINCT ph.user_id) AS unique_listeners_7d,
         COUNT(*) AS play_count_7d,
         AVG(ph.completion_percentage) AS avg_completion
    FROM playback_history ph
   WHERE ph.played_at > NOW() - INTERVAL '7 days'
   GROUP BY ph.track_id
)
SELECT
  t.id,
  t.title,
  t.artist,
  t.creator_id,
  t.cover_art_file_id,
  COALESCE(p.unique_listeners_7d, 0) AS unique_listeners_7d,
  COALESCE(p.play_count_7d, 0) AS play_count_7d,
  COALESCE(p.avg_completion, 0) AS avg_completion,
  t.like_count,
  (
    COALESCE(p.unique_listeners_7d, 0) * 0.4 +
    COALESCE(p.play_count_7d, 0) * 0.3 +
    COALESCE(p.avg_completion, 0) * 0.2 +
    t.like_count * 0.1
  ) AS trending_score
FROM tracks t
LEFT JOIN plays_7d p ON p.track_id = t.id
WHERE t.deleted_at IS NULL
  AND t.visibility = 'public'
  AND t.status = 'ready'   -- addition: only playable tracks (0004's processing status)
  -- addition: no tracks of deleted or banned accounts in the public chart
  AND EXISTS (SELECT 1 FROM users u WHERE u.id = t.creator_id AND u.deleted_at IS NULL AND NOT u.is_banned)
ORDER BY trending_score DESC, t.id   -- t.id: deterministic ties at the 100th place
LIMIT 100;

-- Indexes
CREATE UNIQUE INDEX uq_trending_tracks_id ON trending_tracks(id);
CREATE INDEX idx_trending_tracks_trending_score ON trending_tracks(trending_score DESC);

-- ---------------------------------------------------------------------------------------------
-- user_statistics: one row per live user, same columns as §23.2. Counts are cast to integer (they
-- came back as bigint, i.e. as strings in JS); the sums stay bigint. A user without tracks has
-- total_plays/total_likes 0 instead of NULL; last_track_uploaded stays NULL.
CREATE MATERIALIZED VIEW user_statistics AS
SELECT
  u.id AS user_id,
  u.username,
  COALESCE(t.track_count, 0)::integer AS track_count,
  COALESCE(p.playlist_count, 0)::integer AS playlist_count,
  COALESCE(f1.follower_count, 0)::integer AS follower_count,
  COALESCE(f2.following_count, 0)::integer AS following_count,
  COALESCE(t.total_plays, 0)::bigint AS total_plays,
  COALESCE(t.total_likes, 0)::bigint AS total_likes,
  t.last_track_uploaded
FROM users u
LEFT JOIN (
  SELECT creator_id,
         COUNT(*) AS track_count,
         SUM(play_count) AS total_plays,
         SUM(like_count) AS total_likes,
         MAX(created_at) AS last_track_uploaded
    FROM tracks
   WHERE deleted_at IS NULL
   GROUP BY creator_id
) t ON t.creator_id = u.id
LEFT JOIN (
  SELECT user_id, COUNT(*) AS playlist_count
    FROM playlists
   WHERE deleted_at IS NULL
   GROUP BY user_id
) p ON p.user_id = u.id
LEFT JOIN (
  SELECT following_id, COUNT(*) AS follower_count FROM follows GROUP BY following_id
) f1 ON f1.following_id = u.id
LEFT JOIN (
  SELECT follower_id, COUNT(*) AS following_count FROM follows GROUP BY follower_id
) f2 ON f2.follower_id = u.id
WHERE u.deleted_at IS NULL;

CREATE UNIQUE INDEX uq_user_statistics_user_id ON user_statistics(user_id);
