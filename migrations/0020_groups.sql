-- Groups (spec §9.8–§9.9): avatar and banner as file references, one owner per group, and the
-- keyset indexes behind discovery, a group's members, its join requests and a user's groups
-- (src/domains/groups).

-- The avatar and banner are image files of whoever set them (the owner or an admin); avatar_url and
-- banner_url (the spec's columns) keep the paths they are served at, /v1/groups/<slug>/avatar/<file
-- id> and .../banner/<file id> (slugs never change). A new image is a new URL, cached as immutable.
-- Deleting the file drops the image, not the group.
ALTER TABLE groups
  ADD COLUMN avatar_file_id UUID CONSTRAINT fk_groups_files_avatar REFERENCES files(id) ON DELETE SET NULL,
  ADD COLUMN banner_file_id UUID CONSTRAINT fk_groups_files_banner REFERENCES files(id) ON DELETE SET NULL;
CREATE INDEX idx_groups_avatar_file_id ON groups(avatar_file_id) WHERE avatar_file_id IS NOT NULL;
CREATE INDEX idx_groups_banner_file_id ON groups(banner_file_id) WHERE banner_file_id IS NOT NULL;

-- avatar_url and banner_url follow their file ids, whoever sets them (the API, or ON DELETE SET NULL):
-- the paths src/domains/groups/images.ts serves.
CREATE FUNCTION groups_set_image_urls() RETURNS trigger AS $$
BEGIN
  NEW.avatar_url := CASE WHEN NEW.avatar_file_id IS NULL THEN NULL ELSE '/v1/groups/' || NEW.slug || '/avatar/' || NEW.avatar_file_id END;
  NEW.banner_url := CASE WHEN NEW.banner_file_id IS NULL THEN NULL ELSE '/v1/groups/' || NEW.slug || '/banner/' || NEW.banner_file_id END;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_groups_image_urls BEFORE INSERT OR UPDATE OF avatar_file_id, banner_file_id, slug ON groups
  FOR EACH ROW EXECUTE FUNCTION groups_set_image_urls();

-- At most one owner per group. Deferred: a transfer swaps two members' roles in one UPDATE, whose
-- rows may be visited in either order; two concurrent transfers still cannot both commit.
ALTER TABLE group_members ADD CONSTRAINT uq_group_members_group_owner
  EXCLUDE USING btree (group_id WITH =) WHERE (role = 'owner') DEFERRABLE INITIALLY DEFERRED;

-- GET /v1/groups: live public groups, newest first.
CREATE INDEX idx_groups_public_created_at ON groups (created_at DESC, id DESC) WHERE group_type = 'public' AND deleted_at IS NULL;

-- GET /v1/groups/:slug/members: active members by role (owner, admin, moderator, member), then joined.
-- The CASE is the one in src/domains/groups/roles.ts (roleRankSql): the planner matches it as written.
CREATE INDEX idx_group_members_group_rank_joined ON group_members
  (group_id, (CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'moderator' THEN 2 ELSE 3 END), joined_at, user_id)
  WHERE status = 'active';

-- GET /v1/groups/:slug/requests: pending requests, oldest first.
CREATE INDEX idx_group_members_group_status_joined ON group_members (group_id, status, joined_at, user_id);

-- GET /v1/me/groups: a user's groups, latest joined first.
CREATE INDEX idx_group_members_user_joined ON group_members (user_id, joined_at DESC, group_id);
