-- Trending counts only counted plays (issue 7): a play of at least 30 seconds, the rule tracks.play_count
-- and track_analytics already follow (migrations/0015). Before, every playback_history row counted,
-- so skipping through a track 50 times in a row lifted it up the public chart as 50 plays did.
-- And a track needs at least one such play in the week to chart at all: with the LEFT JOIN of 0014,
-- a quiet week filled the chart's 100 places with unplayed tracks at score 0 (plus likes).
-- Otherwise the view is 0014's; readers see the swap in one transaction.
DROP MATERIALIZED VIEW trending_tracks;
CREATE MATERIALIZED VIEW trending_tracks AS
WITH plays_7d AS (
  -- aggregate the week's plays once (partition pruning on played_at), then join 1:1
  SELECT ph.track_id,
         COUNT(DISTINCT ph.user_id) AS unique_listeners_7d,
         COUNT(*) AS play_count_7d,
         AVG(ph.completion_percentage) AS avg_completion
    FROM playback_history ph
   WHERE ph.played_at > NOW() - INTERVAL '7 days'
     AND ph.played_duration >= 30   -- a counted play, as tracks.play_count counts (0015)
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
JOIN plays_7d p ON p.track_id = t.id   -- only tracks with a counted play this week: an unplayed track is not trending
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
