-- Social & community (spec §9): follows, blocks, groups, group members, posts (incl. group posts and
-- reposts), post likes, post comments, hashtags, post hashtags, plus notifications (named only in the
-- spec's overview, "Other: Notifications"; type enum notification_type from 0001).
-- Depends on 0001_foundation (enums, update_updated_at_column), 0002_accounts (users, user_profiles),
-- 0003_files (files).
--
-- Deviations common to every table here:
--  * updated_at + trg_<table>_updated_at added where the spec forgot them (follows, blocks, post_likes,
--    hashtags, post_hashtags, group_members): immutable rule "created_at/updated_at on every table".
--  * FKs are named (fk_<table>_<target>[_<role>]) so errors and tests can name them; ON DELETE as spec.
--  * Counters are kept by one AFTER trigger per counter handling INSERT/DELETE and the UPDATEs that
--    change membership (soft delete, status, re-parenting), decrementing with GREATEST(x - 1, 0).

-- ---------------------------------------------------------------------------------------------------
-- 9.1 follows
CREATE TABLE follows (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  follower_id UUID NOT NULL,
  following_id UUID NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  CONSTRAINT fk_follows_users_follower FOREIGN KEY (follower_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_follows_users_following FOREIGN KEY (following_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT uq_follows_follower_following UNIQUE (follower_id, following_id),
  CONSTRAINT chk_follows_not_self CHECK (follower_id != following_id)
);
CREATE INDEX idx_follows_follower_id ON follows(follower_id);
CREATE INDEX idx_follows_following_id ON follows(following_id);
CREATE INDEX idx_follows_created_at_desc ON follows(created_at DESC);
CREATE TRIGGER trg_follows_updated_at BEFORE UPDATE ON follows
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- §22.2 keeps user_profiles.follower_count / following_count with increment_/decrement_follower_count.
-- Replaced by one function: the spec's decrement could go negative (now GREATEST(x - 1, 0)) and an
-- UPDATE of follower_id/following_id was not handled.
CREATE FUNCTION sync_user_follow_counts() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.follower_id = NEW.follower_id AND OLD.following_id = NEW.following_id THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE user_profiles SET follower_count = GREATEST(follower_count - 1, 0) WHERE user_id = OLD.following_id;
    UPDATE user_profiles SET following_count = GREATEST(following_count - 1, 0) WHERE user_id = OLD.follower_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE user_profiles SET follower_count = follower_count + 1 WHERE user_id = NEW.following_id;
    UPDATE user_profiles SET following_count = following_count + 1 WHERE user_id = NEW.follower_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_follows_counts AFTER INSERT OR DELETE OR UPDATE OF follower_id, following_id ON follows
  FOR EACH ROW EXECUTE FUNCTION sync_user_follow_counts();

-- ---------------------------------------------------------------------------------------------------
-- 9.2 blocks
CREATE TABLE blocks (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  blocker_id UUID NOT NULL,
  blocked_id UUID NOT NULL,
  reason VARCHAR(255),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule (e.g. reason edited)
  CONSTRAINT fk_blocks_users_blocker FOREIGN KEY (blocker_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_blocks_users_blocked FOREIGN KEY (blocked_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT uq_blocks_blocker_blocked UNIQUE (blocker_id, blocked_id),
  CONSTRAINT chk_blocks_not_self CHECK (blocker_id != blocked_id)
);
CREATE INDEX idx_blocks_blocker_id ON blocks(blocker_id);
CREATE INDEX idx_blocks_blocked_id ON blocks(blocked_id);
CREATE TRIGGER trg_blocks_updated_at BEFORE UPDATE ON blocks
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 9.8 groups (created before posts: posts.group_id references it)
CREATE TABLE groups (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  slug VARCHAR(100) NOT NULL, -- spec: also inline UNIQUE, redundant with idx_groups_slug below: dropped
  description TEXT,
  avatar_url TEXT,
  banner_url TEXT,
  group_type VARCHAR(50) NOT NULL DEFAULT 'public',
  requires_approval BOOLEAN NOT NULL DEFAULT false,
  creator_id UUID NOT NULL,
  member_count INTEGER NOT NULL DEFAULT 0,
  post_count INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT fk_groups_users FOREIGN KEY (creator_id) REFERENCES users(id) ON DELETE CASCADE,
  -- added: status-like VARCHAR gets a CHECK with the values of the spec's comment
  CONSTRAINT chk_groups_group_type_valid CHECK (group_type IN ('public', 'private'))
);
CREATE UNIQUE INDEX idx_groups_slug ON groups(slug);
CREATE INDEX idx_groups_creator_id ON groups(creator_id);
CREATE INDEX idx_groups_group_type ON groups(group_type);
CREATE TRIGGER trg_groups_updated_at BEFORE UPDATE ON groups
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 9.9 group_members
CREATE TABLE group_members (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  group_id UUID NOT NULL,
  user_id UUID NOT NULL,
  role VARCHAR(50) NOT NULL DEFAULT 'member',
  status VARCHAR(50) NOT NULL DEFAULT 'active',
  joined_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  approved_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule (role/status change)
  CONSTRAINT fk_group_members_groups FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE,
  CONSTRAINT fk_group_members_users FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT uq_group_members_group_user UNIQUE (group_id, user_id),
  -- added: CHECKs with the values of the spec's comments
  CONSTRAINT chk_group_members_role_valid CHECK (role IN ('owner', 'admin', 'moderator', 'member')),
  CONSTRAINT chk_group_members_status_valid CHECK (status IN ('pending', 'active', 'banned'))
);
CREATE INDEX idx_group_members_group_id ON group_members(group_id);
CREATE INDEX idx_group_members_user_id ON group_members(user_id);
CREATE INDEX idx_group_members_status ON group_members(status);
CREATE TRIGGER trg_group_members_updated_at BEFORE UPDATE ON group_members
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- groups.member_count = number of members with status 'active' (pending requests and bans excluded).
CREATE FUNCTION sync_group_member_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.group_id = NEW.group_id AND (OLD.status = 'active') = (NEW.status = 'active') THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.status = 'active' THEN
      UPDATE groups SET member_count = GREATEST(member_count - 1, 0) WHERE id = OLD.group_id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.status = 'active' THEN
      UPDATE groups SET member_count = member_count + 1 WHERE id = NEW.group_id;
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_group_members_member_count AFTER INSERT OR DELETE OR UPDATE OF group_id, status ON group_members
  FOR EACH ROW EXECUTE FUNCTION sync_group_member_count();

-- ---------------------------------------------------------------------------------------------------
-- 9.3 posts
CREATE TABLE posts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,
  -- added: group_id, a post published in a group (NULL = on the author's profile)
  group_id UUID,
  -- default '' added so a plain repost needs no content (see chk_posts_content_length)
  content TEXT NOT NULL DEFAULT '',
  -- spec: array of file ids; Postgres cannot FK an array, the API validates ownership
  image_file_ids UUID[],
  audio_file_id UUID,
  video_file_id UUID,
  repost_of_id UUID,
  visibility visibility NOT NULL DEFAULT 'public',
  like_count INTEGER NOT NULL DEFAULT 0,
  comment_count INTEGER NOT NULL DEFAULT 0,
  repost_count INTEGER NOT NULL DEFAULT 0,
  is_pinned BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT fk_posts_users FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_posts_groups FOREIGN KEY (group_id) REFERENCES groups(id) ON DELETE CASCADE,
  CONSTRAINT fk_posts_files_audio FOREIGN KEY (audio_file_id) REFERENCES files(id) ON DELETE SET NULL,
  CONSTRAINT fk_posts_files_video FOREIGN KEY (video_file_id) REFERENCES files(id) ON DELETE SET NULL,
  CONSTRAINT fk_posts_posts_repost FOREIGN KEY (repost_of_id) REFERENCES posts(id) ON DELETE CASCADE,
  -- spec: 1..5000 characters always; a repost may now be empty (plain repost) or carry a quote
  CONSTRAINT chk_posts_content_length CHECK (
    (repost_of_id IS NOT NULL AND LENGTH(content) <= 5000) OR (LENGTH(content) BETWEEN 1 AND 5000)
  ),
  -- added: a post cannot repost itself
  CONSTRAINT chk_posts_repost_not_self CHECK (repost_of_id IS NULL OR repost_of_id != id)
);
CREATE INDEX idx_posts_user_id_created_at ON posts(user_id, created_at DESC);
CREATE INDEX idx_posts_created_at_desc ON posts(created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_posts_repost_of_id ON posts(repost_of_id) WHERE repost_of_id IS NOT NULL;
CREATE INDEX idx_posts_visibility ON posts(visibility);
CREATE INDEX idx_posts_content_gin ON posts USING GIN(to_tsvector('english', content));
-- added: indexes on the FK columns the spec left unindexed; group feed ordered by date
CREATE INDEX idx_posts_group_id_created_at ON posts(group_id, created_at DESC) WHERE group_id IS NOT NULL;
CREATE INDEX idx_posts_audio_file_id ON posts(audio_file_id) WHERE audio_file_id IS NOT NULL;
CREATE INDEX idx_posts_video_file_id ON posts(video_file_id) WHERE video_file_id IS NOT NULL;
-- added: at most one pinned (live) post per user
CREATE UNIQUE INDEX uq_posts_user_id_pinned ON posts(user_id) WHERE is_pinned AND deleted_at IS NULL;
-- added: a user reposts a given post at most once without a quote (keeps repost_count honest)
CREATE UNIQUE INDEX uq_posts_user_id_repost_of_id ON posts(user_id, repost_of_id)
  WHERE repost_of_id IS NOT NULL AND content = '' AND deleted_at IS NULL;
CREATE TRIGGER trg_posts_updated_at BEFORE UPDATE ON posts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- posts.repost_count of the original = its live (non-deleted) reposts.
CREATE FUNCTION sync_post_repost_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.repost_of_id IS NOT DISTINCT FROM NEW.repost_of_id
       AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.repost_of_id IS NOT NULL AND OLD.deleted_at IS NULL THEN
      UPDATE posts SET repost_count = GREATEST(repost_count - 1, 0) WHERE id = OLD.repost_of_id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.repost_of_id IS NOT NULL AND NEW.deleted_at IS NULL THEN
      UPDATE posts SET repost_count = repost_count + 1 WHERE id = NEW.repost_of_id;
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_posts_repost_count AFTER INSERT OR DELETE OR UPDATE OF repost_of_id, deleted_at ON posts
  FOR EACH ROW EXECUTE FUNCTION sync_post_repost_count();

-- groups.post_count = live (non-deleted) posts of the group.
CREATE FUNCTION sync_group_post_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.group_id IS NOT DISTINCT FROM NEW.group_id
       AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.group_id IS NOT NULL AND OLD.deleted_at IS NULL THEN
      UPDATE groups SET post_count = GREATEST(post_count - 1, 0) WHERE id = OLD.group_id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.group_id IS NOT NULL AND NEW.deleted_at IS NULL THEN
      UPDATE groups SET post_count = post_count + 1 WHERE id = NEW.group_id;
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_posts_group_post_count AFTER INSERT OR DELETE OR UPDATE OF group_id, deleted_at ON posts
  FOR EACH ROW EXECUTE FUNCTION sync_group_post_count();

-- ---------------------------------------------------------------------------------------------------
-- 9.4 post_likes
CREATE TABLE post_likes (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,
  post_id UUID NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  CONSTRAINT fk_post_likes_users FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_post_likes_posts FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE,
  CONSTRAINT uq_post_likes_user_post UNIQUE (user_id, post_id)
);
CREATE INDEX idx_post_likes_user_id ON post_likes(user_id);
CREATE INDEX idx_post_likes_post_id_created_at ON post_likes(post_id, created_at DESC);
CREATE TRIGGER trg_post_likes_updated_at BEFORE UPDATE ON post_likes
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- posts.like_count = rows of post_likes.
CREATE FUNCTION sync_post_like_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.post_id = NEW.post_id THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE posts SET like_count = GREATEST(like_count - 1, 0) WHERE id = OLD.post_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE posts SET like_count = like_count + 1 WHERE id = NEW.post_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_post_likes_like_count AFTER INSERT OR DELETE OR UPDATE OF post_id ON post_likes
  FOR EACH ROW EXECUTE FUNCTION sync_post_like_count();

-- ---------------------------------------------------------------------------------------------------
-- 9.5 post_comments
CREATE TABLE post_comments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  post_id UUID NOT NULL,
  user_id UUID NOT NULL,
  content TEXT NOT NULL,
  parent_comment_id UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT fk_post_comments_posts FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE,
  CONSTRAINT fk_post_comments_users FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  -- added: target of the composite parent FK below
  CONSTRAINT uq_post_comments_id_post UNIQUE (id, post_id),
  -- spec: parent_comment_id REFERENCES post_comments(id); made composite so a reply's parent is a
  -- comment of the same post (MATCH SIMPLE: unchecked while parent_comment_id IS NULL)
  CONSTRAINT fk_post_comments_parent FOREIGN KEY (parent_comment_id, post_id)
    REFERENCES post_comments(id, post_id) ON DELETE CASCADE,
  CONSTRAINT chk_post_comments_content_length CHECK (LENGTH(content) >= 1 AND LENGTH(content) <= 2000)
);
CREATE INDEX idx_post_comments_post_id_created_at ON post_comments(post_id, created_at DESC);
CREATE INDEX idx_post_comments_user_id ON post_comments(user_id);
CREATE INDEX idx_post_comments_parent_comment_id ON post_comments(parent_comment_id) WHERE parent_comment_id IS NOT NULL;
CREATE TRIGGER trg_post_comments_updated_at BEFORE UPDATE ON post_comments
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- posts.comment_count = live (non-deleted) comments, replies included.
CREATE FUNCTION sync_post_comment_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.post_id = NEW.post_id AND (OLD.deleted_at IS NULL) = (NEW.deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.deleted_at IS NULL THEN
      UPDATE posts SET comment_count = GREATEST(comment_count - 1, 0) WHERE id = OLD.post_id;
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.deleted_at IS NULL THEN
      UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_post_comments_comment_count AFTER INSERT OR DELETE OR UPDATE OF post_id, deleted_at ON post_comments
  FOR EACH ROW EXECUTE FUNCTION sync_post_comment_count();

-- ---------------------------------------------------------------------------------------------------
-- 9.6 hashtags
CREATE TABLE hashtags (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- spec: also inline UNIQUE on tag; case-insensitive idx_hashtags_tag below is stricter: dropped
  tag VARCHAR(100) NOT NULL,
  slug VARCHAR(100) NOT NULL,
  usage_count INTEGER NOT NULL DEFAULT 0,
  first_used_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_used_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  CONSTRAINT uq_hashtags_slug UNIQUE (slug)
);
CREATE UNIQUE INDEX idx_hashtags_tag ON hashtags(LOWER(tag));
CREATE INDEX idx_hashtags_usage_count_desc ON hashtags(usage_count DESC);
CREATE TRIGGER trg_hashtags_updated_at BEFORE UPDATE ON hashtags
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 9.7 post_hashtags
CREATE TABLE post_hashtags (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  post_id UUID NOT NULL,
  hashtag_id UUID NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  CONSTRAINT fk_post_hashtags_posts FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE,
  CONSTRAINT fk_post_hashtags_hashtags FOREIGN KEY (hashtag_id) REFERENCES hashtags(id) ON DELETE CASCADE,
  CONSTRAINT uq_post_hashtags_post_hashtag UNIQUE (post_id, hashtag_id)
);
CREATE INDEX idx_post_hashtags_post_id ON post_hashtags(post_id);
CREATE INDEX idx_post_hashtags_hashtag_id_created_at ON post_hashtags(hashtag_id, created_at DESC);
CREATE TRIGGER trg_post_hashtags_updated_at BEFORE UPDATE ON post_hashtags
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- hashtags.usage_count = rows of post_hashtags; last_used_at = latest use.
CREATE FUNCTION sync_hashtag_usage_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.hashtag_id = NEW.hashtag_id THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE hashtags SET usage_count = GREATEST(usage_count - 1, 0) WHERE id = OLD.hashtag_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE hashtags
       SET usage_count = usage_count + 1,
           last_used_at = GREATEST(last_used_at, NEW.created_at)
     WHERE id = NEW.hashtag_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_post_hashtags_usage_count AFTER INSERT OR DELETE OR UPDATE OF hashtag_id ON post_hashtags
  FOR EACH ROW EXECUTE FUNCTION sync_hashtag_usage_count();

-- ---------------------------------------------------------------------------------------------------
-- notifications (added: the spec names the table only in its overview; designed with §2 rules)
CREATE TABLE notifications (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,          -- recipient
  actor_id UUID,                  -- who caused it; NULL for system notifications or deleted actors
  type notification_type NOT NULL,
  entity_type VARCHAR(50),        -- what it is about (post, post_comment, track, message, ...)
  entity_id UUID,
  title VARCHAR(255),
  body TEXT,
  data JSONB NOT NULL DEFAULT '{}'::jsonb,
  is_read BOOLEAN NOT NULL DEFAULT false,
  read_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT fk_notifications_users_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT fk_notifications_users_actor FOREIGN KEY (actor_id) REFERENCES users(id) ON DELETE SET NULL,
  -- an entity is named by both its type and its id, or not at all
  CONSTRAINT chk_notifications_entity_pair CHECK ((entity_type IS NULL) = (entity_id IS NULL))
);
CREATE INDEX idx_notifications_user_id_created_at ON notifications(user_id, created_at DESC);
CREATE INDEX idx_notifications_unread ON notifications(user_id) WHERE is_read = false AND deleted_at IS NULL;
CREATE INDEX idx_notifications_actor_id ON notifications(actor_id) WHERE actor_id IS NOT NULL;
CREATE TRIGGER trg_notifications_updated_at BEFORE UPDATE ON notifications
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
