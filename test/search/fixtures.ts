import { api, type SignedInUser } from "../helpers/auth";
import { insertId, sql, uniq } from "../helpers/db";

/** Fixtures of the search tests: entities made in SQL (the triggers of 0021 index them), and searches. */

export { banUser, makeTrack, softDeleteUser } from "../tracks/fixtures";

/** A word no other test uses, so a search for it sees only this test's entities. */
export const word = () => `zq${uniq()}`;

type Visibility = "public" | "unlisted" | "private";

export const makePlaylist = (userId: string, name: string, options: { description?: string; visibility?: Visibility } = {}) =>
  insertId("playlists", { user_id: userId, name, description: options.description ?? null, visibility: options.visibility ?? "public" });

export const makePost = (userId: string, content: string, options: { visibility?: Visibility; groupId?: string } = {}) =>
  insertId("posts", { user_id: userId, content, visibility: options.visibility ?? "public", group_id: options.groupId ?? null });

export const makeGroup = (creatorId: string, name: string, options: { description?: string; type?: "public" | "private" } = {}) =>
  insertId("groups", { creator_id: creatorId, name, slug: `g-${uniq()}`, description: options.description ?? null, group_type: options.type ?? "public" });

export const makeProduct = (sellerId: string, name: string, options: { tags?: string; status?: string } = {}) =>
  insertId("products", {
    seller_id: sellerId,
    name,
    slug: `p-${uniq()}`,
    description: "A product for the search tests",
    category: "beat",
    tags: options.tags ?? null,
    price: "9.99",
    status: options.status ?? "active",
  });

export const makeCourse = (educatorId: string, title: string, options: { status?: "draft" | "published" } = {}) => {
  const status = options.status ?? "published";
  return insertId("courses", {
    educator_id: educatorId,
    title,
    slug: `c-${uniq()}`,
    description: "A course for the search tests",
    status,
    published_at: status === "published" ? new Date().toISOString() : null,
  });
};

/** Sets a user's display name (and, given them, profile fields) in SQL. */
export async function nameUser(userId: string, displayName: string, profile: { bio?: string; visibility?: Visibility } = {}) {
  await sql.query("UPDATE users SET display_name = $2 WHERE id = $1", [userId, displayName]);
  if (profile.bio !== undefined) await sql.query("UPDATE user_profiles SET bio = $2 WHERE user_id = $1", [userId, profile.bio]);
  if (profile.visibility) await sql.query("UPDATE user_profiles SET profile_visibility = $2 WHERE user_id = $1", [userId, profile.visibility]);
}

export interface SearchItem {
  type: string;
  id: string;
  title: string;
  snippet?: string;
  metadata: Record<string, unknown>;
  owner: { id: string; username: string; display_name: string | null };
  visibility: string;
  created_at: string;
}

/** GET /v1/search as `user` (anonymous when null); expects 200 and resolves to the body. */
export async function searchFor(q: string, user: SignedInUser | null = null, params: Record<string, string> = {}) {
  const query = new URLSearchParams({ q, ...params });
  const res = await api("GET", `/v1/search?${query}`, { headers: user?.headers });
  if (res.status !== 200) throw new Error(`search ${query} answered ${res.status}: ${res.text}`);
  return res.body as { items: SearchItem[]; next_cursor: string | null };
}

/** The ids a search finds (first page, up to 50). */
export const idsFor = async (q: string, user: SignedInUser | null = null, params: Record<string, string> = {}) =>
  (await searchFor(q, user, { limit: "50", ...params })).items.map((item) => item.id);
