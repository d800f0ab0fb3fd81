import { api, type SignedInUser } from "../helpers/auth";

/** Fixtures of the direct-message tests: the routes as a client calls them. */

export const send = (from: SignedInUser, to: { username: string }, body: Record<string, unknown>) =>
  api("POST", `/v1/me/conversations/${to.username}/messages`, { headers: from.headers, body });

/** Sends `content` and expects it stored; resolves to the message. */
export async function sent(from: SignedInUser, to: { username: string }, content: string) {
  const res = await send(from, to, { content });
  if (res.status !== 201) throw new Error(`sending was answered ${res.status}: ${res.text}`);
  return res.body as { id: string; content: string; [key: string]: unknown };
}

export const messagesOf = (user: SignedInUser, other: { username: string }, query = "") =>
  api("GET", `/v1/me/conversations/${other.username}/messages${query}`, { headers: user.headers });

export const conversationsOf = (user: SignedInUser, query = "") => api("GET", `/v1/me/conversations${query}`, { headers: user.headers });

export const markRead = (user: SignedInUser, other: { username: string }, body?: Record<string, unknown>) =>
  api("POST", `/v1/me/conversations/${other.username}/read`, { headers: user.headers, body });

export const block = (user: SignedInUser, other: { username: string }) => api("PUT", `/v1/me/blocks/${other.username}`, { headers: user.headers });
export const unblock = (user: SignedInUser, other: { username: string }) => api("DELETE", `/v1/me/blocks/${other.username}`, { headers: user.headers });
