-- Listening (issue 5): the keyset indexes of likes, track comments and the listening history.
-- The spec's indexes stay (idx_track_likes_user_id, idx_track_comments_track_id_created_at,
-- idx_track_comments_parent_comment_id, idx_playback_history_user_id_played_at): these add the id
-- that breaks ties in each keyset order, so a page boundary never skips or repeats a row.

-- GET /v1/me/likes: my likes, most recent first, keyset on (created_at, id).
CREATE INDEX idx_track_likes_user_id_created_at_id ON track_likes(user_id, created_at DESC, id DESC);

-- GET /v1/tracks/:id/comments: a track's threads (top-level comments), newest first.
CREATE INDEX idx_track_comments_track_id_created_at_id ON track_comments(track_id, created_at DESC, id DESC)
  WHERE parent_comment_id IS NULL;

-- GET /v1/comments/:id/replies: a thread's replies, oldest first (also counts them: reply_count).
CREATE INDEX idx_track_comments_parent_comment_id_created_at_id ON track_comments(parent_comment_id, created_at, id)
  WHERE parent_comment_id IS NOT NULL;

-- GET /v1/me/history: my plays, newest first, keyset on (played_at, id); DELETE /v1/me/history/:id
-- finds my row by id through it. Created on the partitioned table, so on every partition, present
-- and future.
CREATE INDEX idx_playback_history_user_id_played_at_id ON playback_history(user_id, played_at DESC, id DESC);
