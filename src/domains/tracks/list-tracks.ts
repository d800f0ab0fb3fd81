import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { profileFoundBy } from "../users/sql-fragments";
import type { TrackSummary } from "./schemas";
import { selectTrack, toTrackSummary, trackSignature, type TrackRow } from "./track-view";

/**
 * GET /v1/users/:username/tracks, newest first, keyset-paginated on (created_at, id): one round
 * trip. The owner sees all their live tracks (private, unlisted, still processing, failed);
 * everyone else sees the public, ready ones (unlisted tracks are reachable by link, never listed).
 * The user is found as their profile is (a deleted, banned or private-profile account is 404 to
 * others), and the statement returns the user even without tracks, so that "no such user" and
 * "no tracks" stay apart.
 */
export async function listCreatorTracks(
  db: Database,
  secret: string,
  username: string,
  viewerId: string | null,
  query: { limit: number; cursor?: string },
): Promise<{ items: TrackSummary[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await db.execute<Partial<TrackRow> & { owner_id: string }>(sql`
    SELECT owner.id AS owner_id, v.*
      FROM users owner
      JOIN user_profiles op ON op.user_id = owner.id
      LEFT JOIN LATERAL (
        ${selectTrack(
          sql`(SELECT * FROM tracks x
                WHERE x.creator_id = owner.id AND x.deleted_at IS NULL
                  AND (owner.id = ${viewerId}::uuid OR (x.visibility = 'public' AND x.status = 'ready'))
                  ${after ? sql`AND (x.created_at, x.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
                ORDER BY x.created_at DESC, x.id DESC
                LIMIT ${query.limit + 1})`,
          { waveform: false },
        )}
      ) v ON true
     WHERE ${profileFoundBy(username, viewerId, "owner", "op")}
     ORDER BY v.cursor_at DESC, v.id DESC`);
  if (rows.length === 0) throw notFound("This user");
  const tracks = rows.filter((row): row is TrackRow & { owner_id: string } => row.id != null);
  const page = tracks.slice(0, query.limit);
  const items = await Promise.all(page.map(async (row) => toTrackSummary(row, viewerId, await trackSignature(secret, row))));
  return { items, next_cursor: tracks.length > query.limit ? encodeCursor(page[page.length - 1]!.cursor_at, page[page.length - 1]!.id) : null };
}
