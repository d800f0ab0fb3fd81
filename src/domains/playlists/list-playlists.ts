import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { profileFoundBy } from "../users/sql-fragments";
import type { Playlist } from "./schemas";
import { selectPlaylist, toPlaylist, type PlaylistRow } from "./playlist-view";

interface Page {
  limit: number;
  cursor?: string;
}

/** Rows of a keyset page (limit + 1 asked) -> the page and its next cursor. */
async function toPage(rows: PlaylistRow[], limit: number, secret: string) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: await Promise.all(page.map((row) => toPlaylist(row, secret))),
    next_cursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}

const after = (query: Page, column: string, idColumn: string): SQL => {
  if (!query.cursor) return sql``;
  const [at, id] = decodeCursor(query.cursor);
  return sql`AND (${sql.raw(column)}, ${sql.raw(idColumn)}) < (${at}::timestamptz, ${id}::uuid)`;
};

/**
 * GET /v1/users/:username/playlists, newest first: the public ones (unlisted ones are reached by
 * link, never listed), or all of them for their owner. The user is found as their profile is (a
 * deleted, banned or private-profile account is 404 to others), in the same statement, so "no such
 * user" and "no playlists" stay apart. One round trip.
 */
export async function listUserPlaylists(db: Database, secret: string, username: string, viewerId: string | null, query: Page): Promise<{ items: Playlist[]; next_cursor: string | null }> {
  const { rows } = await db.execute<Partial<PlaylistRow> & { found_owner: string }>(sql`
    SELECT owner.id AS found_owner, v.*
      FROM users owner
      JOIN user_profiles op0 ON op0.user_id = owner.id
      LEFT JOIN LATERAL (
        ${selectPlaylist(sql`playlists`, viewerId)}
          AND p.user_id = owner.id AND (owner.id = ${viewerId}::uuid OR p.visibility = 'public') ${after(query, "p.created_at", "p.id")}
        ORDER BY p.created_at DESC, p.id DESC
        LIMIT ${query.limit + 1}
      ) v ON true
     WHERE ${profileFoundBy(username, viewerId, "owner", "op0")}
     ORDER BY v.cursor_at DESC, v.id DESC`);
  if (rows.length === 0) throw notFound("This user");
  return toPage(rows.filter((r) => r.id != null) as PlaylistRow[], query.limit, secret);
}

/**
 * GET /v1/me/playlists, newest first: the caller's own playlists and those they are an accepted
 * collaborator of, each with the caller's role. One round trip.
 */
export async function listMyPlaylists(db: Database, secret: string, userId: string, query: Page) {
  // Owned ∪ accepted memberships, each half on its own index (no scan of every playlist for an OR).
  const mine = sql`(SELECT * FROM playlists WHERE user_id = ${userId}
                    UNION ALL
                    SELECT pl.* FROM playlist_collaborators c JOIN playlists pl ON pl.id = c.playlist_id
                     WHERE c.user_id = ${userId} AND c.status = 'accepted' AND pl.user_id <> ${userId})`;
  const { rows } = await db.execute<PlaylistRow>(sql`
    ${selectPlaylist(mine, userId)} ${after(query, "p.created_at", "p.id")}
     ORDER BY p.created_at DESC, p.id DESC
     LIMIT ${query.limit + 1}`);
  return toPage(rows, query.limit, secret);
}

/** GET /v1/me/followed-playlists, most recently followed first; ones the caller may no longer see are left out. */
export async function listFollowedPlaylists(db: Database, secret: string, userId: string, query: Page) {
  const { rows } = await db.execute<PlaylistRow>(sql`
    ${selectPlaylist(sql`(SELECT pl.*, fw.created_at AS followed_at FROM playlist_follows fw JOIN playlists pl ON pl.id = fw.playlist_id WHERE fw.user_id = ${userId})`, userId, "p.followed_at")}
      ${after(query, "p.followed_at", "p.id")}
     ORDER BY p.followed_at DESC, p.id DESC
     LIMIT ${query.limit + 1}`);
  return toPage(rows, query.limit, secret);
}
