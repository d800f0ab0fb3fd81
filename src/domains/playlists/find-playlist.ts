import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import { iso, selectTrack, toTrackSummary, trackSignature, visibleTo, type TrackRow } from "../tracks/track-view";
import type { PlaylistItem } from "./schemas";
import { selectPlaylist, toPlaylist, type PlaylistRow } from "./playlist-view";

interface ItemRow extends TrackRow {
  item_position: number;
  item_added_at: string;
  added_by_id: string | null;
  added_by_username: string | null;
}

/**
 * GET /v1/playlists/:id: the playlist and one page of its tracks, by position, in one statement
 * (the page as json_agg). The page is a range of positions [offset, offset + limit) read on the
 * (playlist_id, position) unique index, so a 5 000-track playlist costs a page, not the whole
 * list. Tracks the viewer may not see are left out and the others keep their positions: a client
 * pages by position and never sees the hidden ones shift the rest.
 */
export async function findPlaylist(db: Database, secret: string, playlistId: string, viewerId: string | null, page: { offset: number; limit: number }) {
  const { rows } = await db.execute<PlaylistRow & { items: ItemRow[] }>(sql`
    SELECT v.*,
           (SELECT COALESCE(json_agg(i ORDER BY i.item_position), '[]'::json)
              FROM (SELECT pt.position AS item_position, ${iso("pt.added_at")} AS item_added_at,
                           ab.id AS added_by_id, ab.username AS added_by_username, tv.*
                      FROM playlist_tracks pt
                      JOIN (${selectTrack(sql`tracks`, { waveform: false })} WHERE ${visibleTo(viewerId)}) tv ON tv.id = pt.track_id
                      LEFT JOIN users ab ON ab.id = pt.added_by
                     WHERE pt.playlist_id = v.id AND pt.position >= ${page.offset} AND pt.position < ${page.offset + page.limit}) i) AS items
      FROM (${selectPlaylist(sql`playlists`, viewerId)} AND p.id = ${playlistId}) v`);
  const row = rows[0];
  if (!row) throw notFound("This playlist");
  const items: PlaylistItem[] = await Promise.all(
    row.items.map(async (item) => ({
      position: Number(item.item_position),
      added_at: item.item_added_at,
      added_by: item.added_by_id ? { id: item.added_by_id, username: item.added_by_username! } : null,
      track: toTrackSummary(item, viewerId, await trackSignature(secret, item)),
    })),
  );
  return { ...(await toPlaylist(row, secret)), tracks: { offset: page.offset, limit: page.limit, items } };
}
