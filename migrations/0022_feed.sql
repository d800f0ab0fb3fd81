-- Feed and follows (issue 7): the indexes behind GET /v1/feed and the follows lists.
-- The feed reads, for each account I follow, its newest items (posts, published tracks, public
-- playlists) in keyset order, then merges them by time. Each of these indexes gives one followed
-- account's newest items in that order, ties broken by id, so a page boundary never skips or
-- repeats an item; the spec's single-column indexes stay.

-- My follows (the feed's sources) and GET /v1/users/:username/following, newest follow first.
CREATE INDEX idx_follows_follower_id_created_at_id ON follows(follower_id, created_at DESC, id DESC);
-- GET /v1/users/:username/followers: an account with 10 000 followers is paged, not sorted.
CREATE INDEX idx_follows_following_id_created_at_id ON follows(following_id, created_at DESC, id DESC);

-- The two below hold exactly what the feed shows of an account (their predicates are the feed's
-- conditions), so its per-account scans are index-only: no heap row is read to be thrown away.
-- A followed account's published tracks, newest publication first (published_at is set when a
-- public track becomes ready).
CREATE INDEX idx_tracks_creator_id_published_at_id_feed ON tracks(creator_id, published_at DESC, id DESC)
  WHERE deleted_at IS NULL AND published_at IS NOT NULL AND visibility = 'public' AND status = 'ready';

-- A followed account's own posts (not group posts, which live in their groups; not unlisted ones), newest first.
CREATE INDEX idx_posts_user_id_created_at_id_feed ON posts(user_id, created_at DESC, id DESC)
  WHERE deleted_at IS NULL AND group_id IS NULL AND visibility <> 'unlisted';
