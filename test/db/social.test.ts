// Constraints and triggers of migrations/0006_social.sql (follows, blocks, groups, group members,
// posts, likes, comments, hashtags, notifications). Every test creates its own rows.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, createFile, MISSING, uniq, one } from "../helpers/db";

async function newGroup(creatorId: string, groupType = "public"): Promise<string> {
  const s = `g-${uniq()}`;
  const row = await one(
    "INSERT INTO groups (name, slug, creator_id, group_type) VALUES ($1, $1, $2, $3) RETURNING id",
    [s, creatorId, groupType],
  );
  return row.id as string;
}

async function newPost(
  userId: string,
  opts: { content?: string; groupId?: string; repostOfId?: string; isPinned?: boolean } = {},
): Promise<string> {
  const content = opts.content ?? (opts.repostOfId ? "" : "hello world");
  const row = await one(
    `INSERT INTO posts (user_id, content, group_id, repost_of_id, is_pinned)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [userId, content, opts.groupId ?? null, opts.repostOfId ?? null, opts.isPinned ?? false],
  );
  return row.id as string;
}

async function newComment(postId: string, userId: string, parentId: string | null = null): Promise<string> {
  const row = await one(
    "INSERT INTO post_comments (post_id, user_id, content, parent_comment_id) VALUES ($1, $2, 'nice', $3) RETURNING id",
    [postId, userId, parentId],
  );
  return row.id as string;
}

async function newHashtag(tag = `Tag${uniq()}`): Promise<string> {
  const row = await one("INSERT INTO hashtags (tag, slug) VALUES ($1::varchar, lower($1::varchar)) RETURNING id", [tag]);
  return row.id as string;
}

async function counter(table: string, column: string, id: string): Promise<number> {
  const row = await one(`SELECT ${column} AS n FROM ${table} WHERE id = $1`, [id]);
  return row.n as number;
}

async function followCounts(userId: string): Promise<{ followers: number; following: number }> {
  // user_profiles rows are created with the user (0002); insert defensively in case they are not.
  await sql.query("INSERT INTO user_profiles (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING", [userId]);
  const row = await one("SELECT follower_count, following_count FROM user_profiles WHERE user_id = $1", [userId]);
  return { followers: row.follower_count as number, following: row.following_count as number };
}

type Case = { name: string; code: string; constraint?: string; run: () => Promise<unknown> };

const rejects: Case[] = [
  // follows
  { name: "a user following themself", code: "23514", constraint: "chk_follows_not_self", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $1)", [a.id]);
  } },
  { name: "following the same user twice", code: "23505", constraint: "uq_follows_follower_following", run: async () => {
    const [a, b] = [await createUser(), await createUser()];
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [a.id, b.id]);
    return sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [a.id, b.id]);
  } },
  { name: "following a user that does not exist", code: "23503", constraint: "fk_follows_users_following", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [a.id, MISSING]);
  } },
  { name: "a follower that does not exist", code: "23503", constraint: "fk_follows_users_follower", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [MISSING, a.id]);
  } },
  // blocks
  { name: "a user blocking themself", code: "23514", constraint: "chk_blocks_not_self", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $1)", [a.id]);
  } },
  { name: "blocking the same user twice", code: "23505", constraint: "uq_blocks_blocker_blocked", run: async () => {
    const [a, b] = [await createUser(), await createUser()];
    await sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [a.id, b.id]);
    return sql.query("INSERT INTO blocks (blocker_id, blocked_id, reason) VALUES ($1, $2, 'again')", [a.id, b.id]);
  } },
  { name: "blocking a user that does not exist", code: "23503", constraint: "fk_blocks_users_blocked", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [a.id, MISSING]);
  } },
  // groups
  { name: "a group_type of 'secret'", code: "23514", constraint: "chk_groups_group_type_valid", run: async () => {
    const a = await createUser();
    return newGroup(a.id, "secret");
  } },
  { name: "a second group with the same slug", code: "23505", constraint: "idx_groups_slug", run: async () => {
    const a = await createUser();
    const slug = `g-${uniq()}`;
    await sql.query("INSERT INTO groups (name, slug, creator_id) VALUES ('one', $1, $2)", [slug, a.id]);
    return sql.query("INSERT INTO groups (name, slug, creator_id) VALUES ('two', $1, $2)", [slug, a.id]);
  } },
  { name: "a group whose creator does not exist", code: "23503", constraint: "fk_groups_users", run: async () =>
    sql.query("INSERT INTO groups (name, slug, creator_id) VALUES ('x', $1, $2)", [`g-${uniq()}`, MISSING]) },
  // group_members
  { name: "a member role of 'king'", code: "23514", constraint: "chk_group_members_role_valid", run: async () => {
    const a = await createUser();
    const g = await newGroup(a.id);
    return sql.query("INSERT INTO group_members (group_id, user_id, role) VALUES ($1, $2, 'king')", [g, a.id]);
  } },
  { name: "a member status of 'gone'", code: "23514", constraint: "chk_group_members_status_valid", run: async () => {
    const a = await createUser();
    const g = await newGroup(a.id);
    return sql.query("INSERT INTO group_members (group_id, user_id, status) VALUES ($1, $2, 'gone')", [g, a.id]);
  } },
  { name: "joining the same group twice", code: "23505", constraint: "uq_group_members_group_user", run: async () => {
    const a = await createUser();
    const g = await newGroup(a.id);
    await sql.query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)", [g, a.id]);
    return sql.query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)", [g, a.id]);
  } },
  { name: "joining a group that does not exist", code: "23503", constraint: "fk_group_members_groups", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)", [MISSING, a.id]);
  } },
  // posts
  { name: "an empty post that is not a repost", code: "23514", constraint: "chk_posts_content_length", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO posts (user_id) VALUES ($1)", [a.id]);
  } },
  { name: "a post of 5001 characters", code: "23514", constraint: "chk_posts_content_length", run: async () => {
    const a = await createUser();
    return newPost(a.id, { content: "x".repeat(5001) });
  } },
  { name: "a quote repost of 5001 characters", code: "23514", constraint: "chk_posts_content_length", run: async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    return newPost(a.id, { repostOfId: p, content: "x".repeat(5001) });
  } },
  { name: "a post with NULL content", code: "23502", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO posts (user_id, content) VALUES ($1, NULL)", [a.id]);
  } },
  { name: "a post reposting itself", code: "23514", constraint: "chk_posts_repost_not_self", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO posts (id, user_id, repost_of_id) VALUES ($2, $1, $2)", [a.id, MISSING]);
  } },
  { name: "a second plain repost of the same post by the same user", code: "23505", constraint: "uq_posts_user_id_repost_of_id", run: async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    await newPost(a.id, { repostOfId: p });
    return newPost(a.id, { repostOfId: p });
  } },
  { name: "a second pinned post of the same user", code: "23505", constraint: "uq_posts_user_id_pinned", run: async () => {
    const a = await createUser();
    await newPost(a.id, { isPinned: true });
    return newPost(a.id, { isPinned: true });
  } },
  { name: "a repost of a post that does not exist", code: "23503", constraint: "fk_posts_posts_repost", run: async () => {
    const a = await createUser();
    return newPost(a.id, { repostOfId: MISSING });
  } },
  { name: "a post in a group that does not exist", code: "23503", constraint: "fk_posts_groups", run: async () => {
    const a = await createUser();
    return newPost(a.id, { groupId: MISSING });
  } },
  { name: "a post whose author does not exist", code: "23503", constraint: "fk_posts_users", run: async () =>
    newPost(MISSING) },
  { name: "a post with an audio file that does not exist", code: "23503", constraint: "fk_posts_files_audio", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO posts (user_id, content, audio_file_id) VALUES ($1, 'x', $2)", [a.id, MISSING]);
  } },
  { name: "a post with a video file that does not exist", code: "23503", constraint: "fk_posts_files_video", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO posts (user_id, content, video_file_id) VALUES ($1, 'x', $2)", [a.id, MISSING]);
  } },
  { name: "a post visibility of 'secret'", code: "22P02", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO posts (user_id, content, visibility) VALUES ($1, 'x', 'secret')", [a.id]);
  } },
  // post_likes
  { name: "liking the same post twice", code: "23505", constraint: "uq_post_likes_user_post", run: async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    await sql.query("INSERT INTO post_likes (user_id, post_id) VALUES ($1, $2)", [a.id, p]);
    return sql.query("INSERT INTO post_likes (user_id, post_id) VALUES ($1, $2)", [a.id, p]);
  } },
  { name: "liking a post that does not exist", code: "23503", constraint: "fk_post_likes_posts", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO post_likes (user_id, post_id) VALUES ($1, $2)", [a.id, MISSING]);
  } },
  // post_comments
  { name: "an empty comment", code: "23514", constraint: "chk_post_comments_content_length", run: async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    return sql.query("INSERT INTO post_comments (post_id, user_id, content) VALUES ($1, $2, '')", [p, a.id]);
  } },
  { name: "a comment of 2001 characters", code: "23514", constraint: "chk_post_comments_content_length", run: async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    return sql.query("INSERT INTO post_comments (post_id, user_id, content) VALUES ($1, $2, $3)", [p, a.id, "y".repeat(2001)]);
  } },
  { name: "a reply whose parent comment is on another post", code: "23503", constraint: "fk_post_comments_parent", run: async () => {
    const a = await createUser();
    const [p1, p2] = [await newPost(a.id), await newPost(a.id)];
    const c = await newComment(p1, a.id);
    return newComment(p2, a.id, c);
  } },
  { name: "a comment on a post that does not exist", code: "23503", constraint: "fk_post_comments_posts", run: async () => {
    const a = await createUser();
    return newComment(MISSING, a.id);
  } },
  // hashtags / post_hashtags
  { name: "a hashtag differing from an existing one only by case", code: "23505", constraint: "idx_hashtags_tag", run: async () => {
    const tag = `Jazz${uniq()}`;
    await newHashtag(tag);
    return sql.query("INSERT INTO hashtags (tag, slug) VALUES ($1, $2)", [tag.toUpperCase(), `other-${uniq()}`]);
  } },
  { name: "a second hashtag with the same slug", code: "23505", constraint: "uq_hashtags_slug", run: async () => {
    const tag = `Blues${uniq()}`;
    await newHashtag(tag);
    return sql.query("INSERT INTO hashtags (tag, slug) VALUES ($1, $2)", [`Other${uniq()}`, tag.toLowerCase()]);
  } },
  { name: "tagging a post twice with the same hashtag", code: "23505", constraint: "uq_post_hashtags_post_hashtag", run: async () => {
    const a = await createUser();
    const [p, h] = [await newPost(a.id), await newHashtag()];
    await sql.query("INSERT INTO post_hashtags (post_id, hashtag_id) VALUES ($1, $2)", [p, h]);
    return sql.query("INSERT INTO post_hashtags (post_id, hashtag_id) VALUES ($1, $2)", [p, h]);
  } },
  { name: "tagging a post with a hashtag that does not exist", code: "23503", constraint: "fk_post_hashtags_hashtags", run: async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    return sql.query("INSERT INTO post_hashtags (post_id, hashtag_id) VALUES ($1, $2)", [p, MISSING]);
  } },
  // notifications
  { name: "a notification type of 'poke'", code: "22P02", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO notifications (user_id, type) VALUES ($1, 'poke')", [a.id]);
  } },
  { name: "a notification with an entity_type but no entity_id", code: "23514", constraint: "chk_notifications_entity_pair", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO notifications (user_id, type, entity_type) VALUES ($1, 'like', 'post')", [a.id]);
  } },
  { name: "a notification with an entity_id but no entity_type", code: "23514", constraint: "chk_notifications_entity_pair", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO notifications (user_id, type, entity_id) VALUES ($1, 'like', $2)", [a.id, MISSING]);
  } },
  { name: "a notification for a recipient that does not exist", code: "23503", constraint: "fk_notifications_users_user", run: async () =>
    sql.query("INSERT INTO notifications (user_id, type) VALUES ($1, 'system')", [MISSING]) },
  { name: "a notification from an actor that does not exist", code: "23503", constraint: "fk_notifications_users_actor", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO notifications (user_id, actor_id, type) VALUES ($1, $2, 'follow')", [a.id, MISSING]);
  } },
];

describe("0006_social constraints", () => {
  it.each(rejects)("rejects $name", async ({ run, code, constraint }) => {
    await expectPgError(run(), code, constraint);
  });

  it("accepts a plain repost with empty content and a quote repost", async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    const plain = await one("INSERT INTO posts (user_id, repost_of_id) VALUES ($1, $2) RETURNING content", [a.id, p]);
    expect(plain.content).toBe("");
    await newPost(a.id, { repostOfId: p, content: "so good" });
  });

  it("accepts a new pinned post once the previous pinned post is soft-deleted", async () => {
    const a = await createUser();
    const first = await newPost(a.id, { isPinned: true });
    await sql.query("UPDATE posts SET deleted_at = NOW() WHERE id = $1", [first]);
    await newPost(a.id, { isPinned: true });
  });

  it("accepts a reply to a comment of the same post", async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    const c = await newComment(p, a.id);
    await newComment(p, a.id, c);
  });

  it("clears a post's audio file when the file is deleted", async () => {
    const a = await createUser();
    const f = await createFile(a.id);
    const row = await one("INSERT INTO posts (user_id, content, audio_file_id) VALUES ($1, 'listen', $2) RETURNING id", [a.id, f.id]);
    await sql.query("DELETE FROM files WHERE id = $1", [f.id]);
    const after = await one("SELECT audio_file_id FROM posts WHERE id = $1", [row.id]);
    expect(after.audio_file_id).toBeNull();
  });

  it("keeps a notification but clears its actor when the actor is deleted", async () => {
    const [a, b] = [await createUser(), await createUser()];
    const n = await one("INSERT INTO notifications (user_id, actor_id, type) VALUES ($1, $2, 'follow') RETURNING id, is_read, data", [a.id, b.id]);
    expect(n.is_read).toBe(false);
    expect(n.data).toEqual({});
    await sql.query("DELETE FROM users WHERE id = $1", [b.id]);
    const after = await one("SELECT actor_id FROM notifications WHERE id = $1", [n.id]);
    expect(after.actor_id).toBeNull();
  });
});

describe("0006_social counter triggers", () => {
  it("counts follows up and down on both profiles", async () => {
    const [a, b] = [await createUser(), await createUser()];
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [a.id, b.id]);
    expect(await followCounts(a.id)).toEqual({ followers: 0, following: 1 });
    expect(await followCounts(b.id)).toEqual({ followers: 1, following: 0 });
    await sql.query("DELETE FROM follows WHERE follower_id = $1 AND following_id = $2", [a.id, b.id]);
    expect(await followCounts(a.id)).toEqual({ followers: 0, following: 0 });
    expect(await followCounts(b.id)).toEqual({ followers: 0, following: 0 });
  });

  it("never decrements a follow count below zero", async () => {
    const [a, b] = [await createUser(), await createUser()];
    await sql.query("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2)", [a.id, b.id]);
    await sql.query("UPDATE user_profiles SET follower_count = 0, following_count = 0 WHERE user_id IN ($1, $2)", [a.id, b.id]);
    await sql.query("DELETE FROM follows WHERE follower_id = $1", [a.id]);
    expect(await followCounts(a.id)).toEqual({ followers: 0, following: 0 });
    expect(await followCounts(b.id)).toEqual({ followers: 0, following: 0 });
  });

  it("counts post likes up and down", async () => {
    const [a, b] = [await createUser(), await createUser()];
    const p = await newPost(a.id);
    await sql.query("INSERT INTO post_likes (user_id, post_id) VALUES ($1, $3), ($2, $3)", [a.id, b.id, p]);
    expect(await counter("posts", "like_count", p)).toBe(2);
    await sql.query("DELETE FROM post_likes WHERE user_id = $1 AND post_id = $2", [b.id, p]);
    expect(await counter("posts", "like_count", p)).toBe(1);
  });

  it("counts live comments: down on soft delete, up on restore, down on hard delete", async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    const c1 = await newComment(p, a.id);
    const c2 = await newComment(p, a.id, c1);
    expect(await counter("posts", "comment_count", p)).toBe(2);
    await sql.query("UPDATE post_comments SET deleted_at = NOW() WHERE id = $1", [c2]);
    expect(await counter("posts", "comment_count", p)).toBe(1);
    await sql.query("UPDATE post_comments SET content = 'edited' WHERE id = $1", [c1]);
    expect(await counter("posts", "comment_count", p)).toBe(1);
    await sql.query("UPDATE post_comments SET deleted_at = NULL WHERE id = $1", [c2]);
    expect(await counter("posts", "comment_count", p)).toBe(2);
    await sql.query("UPDATE post_comments SET deleted_at = NOW() WHERE id = $1", [c2]);
    // deleting the parent cascades to the (already soft-deleted) reply: only the live one counts
    await sql.query("DELETE FROM post_comments WHERE id = $1", [c1]);
    expect(await counter("posts", "comment_count", p)).toBe(0);
  });

  it("counts live reposts on the original post", async () => {
    const [a, b] = [await createUser(), await createUser()];
    const p = await newPost(a.id);
    const r1 = await newPost(b.id, { repostOfId: p });
    await newPost(b.id, { repostOfId: p, content: "quote" });
    expect(await counter("posts", "repost_count", p)).toBe(2);
    await sql.query("UPDATE posts SET deleted_at = NOW() WHERE id = $1", [r1]);
    expect(await counter("posts", "repost_count", p)).toBe(1);
    await sql.query("UPDATE posts SET deleted_at = NULL WHERE id = $1", [r1]);
    expect(await counter("posts", "repost_count", p)).toBe(2);
    await sql.query("DELETE FROM posts WHERE id = $1", [r1]);
    expect(await counter("posts", "repost_count", p)).toBe(1);
  });

  it("counts live group posts", async () => {
    const a = await createUser();
    const g = await newGroup(a.id);
    const p1 = await newPost(a.id, { groupId: g });
    const p2 = await newPost(a.id, { groupId: g });
    await newPost(a.id); // not in the group
    expect(await counter("groups", "post_count", g)).toBe(2);
    await sql.query("UPDATE posts SET deleted_at = NOW() WHERE id = $1", [p1]);
    expect(await counter("groups", "post_count", g)).toBe(1);
    await sql.query("DELETE FROM posts WHERE id = $1", [p2]);
    expect(await counter("groups", "post_count", g)).toBe(0);
  });

  it("counts only active group members", async () => {
    const [a, b, c] = [await createUser(), await createUser(), await createUser()];
    const g = await newGroup(a.id, "private");
    await sql.query("INSERT INTO group_members (group_id, user_id, role) VALUES ($1, $2, 'owner')", [g, a.id]);
    await sql.query("INSERT INTO group_members (group_id, user_id, status) VALUES ($1, $2, 'pending'), ($1, $3, 'pending')", [g, b.id, c.id]);
    expect(await counter("groups", "member_count", g)).toBe(1);
    await sql.query("UPDATE group_members SET status = 'active', approved_at = NOW() WHERE group_id = $1 AND user_id = $2", [g, b.id]);
    expect(await counter("groups", "member_count", g)).toBe(2);
    await sql.query("UPDATE group_members SET role = 'moderator' WHERE group_id = $1 AND user_id = $2", [g, b.id]);
    expect(await counter("groups", "member_count", g)).toBe(2);
    await sql.query("UPDATE group_members SET status = 'banned' WHERE group_id = $1 AND user_id = $2", [g, b.id]);
    expect(await counter("groups", "member_count", g)).toBe(1);
    await sql.query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2", [g, c.id]);
    expect(await counter("groups", "member_count", g)).toBe(1);
    await sql.query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2", [g, a.id]);
    expect(await counter("groups", "member_count", g)).toBe(0);
  });

  it("counts hashtag uses and moves last_used_at forward", async () => {
    const a = await createUser();
    const h = await newHashtag();
    await sql.query("UPDATE hashtags SET first_used_at = '2000-01-01', last_used_at = '2000-01-01' WHERE id = $1", [h]);
    const [p1, p2] = [await newPost(a.id), await newPost(a.id)];
    await sql.query("INSERT INTO post_hashtags (post_id, hashtag_id) VALUES ($1, $3), ($2, $3)", [p1, p2, h]);
    const row = await one("SELECT usage_count, last_used_at FROM hashtags WHERE id = $1", [h]);
    expect(row.usage_count).toBe(2);
    expect((row.last_used_at as Date).getTime()).toBeGreaterThan(new Date("2000-01-02").getTime());
    await sql.query("DELETE FROM posts WHERE id = $1", [p1]); // cascades to post_hashtags
    expect(await counter("hashtags", "usage_count", h)).toBe(1);
  });
});

/** One factory per table with updated_at: returns the id of a fresh row. */
const updatedAtTables: { table: string; make: () => Promise<string> }[] = [
  { table: "follows", make: async () => {
    const [a, b] = [await createUser(), await createUser()];
    return (await one("INSERT INTO follows (follower_id, following_id) VALUES ($1, $2) RETURNING id", [a.id, b.id])).id as string;
  } },
  { table: "blocks", make: async () => {
    const [a, b] = [await createUser(), await createUser()];
    return (await one("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) RETURNING id", [a.id, b.id])).id as string;
  } },
  { table: "groups", make: async () => newGroup((await createUser()).id) },
  { table: "group_members", make: async () => {
    const a = await createUser();
    const g = await newGroup(a.id);
    return (await one("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2) RETURNING id", [g, a.id])).id as string;
  } },
  { table: "posts", make: async () => newPost((await createUser()).id) },
  { table: "post_likes", make: async () => {
    const a = await createUser();
    const p = await newPost(a.id);
    return (await one("INSERT INTO post_likes (user_id, post_id) VALUES ($1, $2) RETURNING id", [a.id, p])).id as string;
  } },
  { table: "post_comments", make: async () => {
    const a = await createUser();
    return newComment(await newPost(a.id), a.id);
  } },
  { table: "hashtags", make: async () => newHashtag() },
  { table: "post_hashtags", make: async () => {
    const a = await createUser();
    const [p, h] = [await newPost(a.id), await newHashtag()];
    return (await one("INSERT INTO post_hashtags (post_id, hashtag_id) VALUES ($1, $2) RETURNING id", [p, h])).id as string;
  } },
  { table: "notifications", make: async () => {
    const a = await createUser();
    return (await one("INSERT INTO notifications (user_id, type) VALUES ($1, 'system') RETURNING id", [a.id])).id as string;
  } },
];

describe("0006_social updated_at triggers", () => {
  it.each(updatedAtTables)("moves $table.updated_at to now on UPDATE", async ({ table, make }) => {
    const id = await make();
    // the BEFORE UPDATE trigger overwrites whatever the statement sets
    const row = await one(`UPDATE ${table} SET updated_at = '2000-01-01' WHERE id = $1 RETURNING updated_at`, [id]);
    expect((row.updated_at as Date).getTime()).toBeGreaterThan(new Date("2020-01-01").getTime());
  });
});
