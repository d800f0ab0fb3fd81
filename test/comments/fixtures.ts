import { api, type SignedInUser } from "../helpers/auth";
import { one } from "../helpers/db";

/** Fixtures of the comments domain's tests. */

export const post = (trackId: string, user: SignedInUser | null, body: Record<string, unknown>) =>
  api("POST", `/v1/tracks/${trackId}/comments`, { body, headers: user?.headers ?? {} });

/** A comment that must be created (201); resolves to its id. */
export async function comment(trackId: string, user: SignedInUser, body: Record<string, unknown> = {}): Promise<string> {
  const res = await post(trackId, user, { content: `Comment ${crypto.randomUUID()}`, ...body });
  if (res.status !== 201) throw new Error(`comment not created: ${res.status} ${res.text}`);
  return res.body.id as string;
}

export const list = (trackId: string, query = "", user: SignedInUser | null = null) =>
  api("GET", `/v1/tracks/${trackId}/comments${query}`, { headers: user?.headers ?? {} });

export const replies = (commentId: string, query = "", user: SignedInUser | null = null) =>
  api("GET", `/v1/comments/${commentId}/replies${query}`, { headers: user?.headers ?? {} });

export const edit = (commentId: string, user: SignedInUser | null, content: unknown) =>
  api("PATCH", `/v1/comments/${commentId}`, { body: { content }, headers: user?.headers ?? {} });

export const remove = (commentId: string, user: SignedInUser | null) => api("DELETE", `/v1/comments/${commentId}`, { headers: user?.headers ?? {} });

export const commentCount = async (trackId: string) => Number((await one("SELECT comment_count FROM tracks WHERE id = $1", [trackId])).comment_count);

export const idsOf = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);
