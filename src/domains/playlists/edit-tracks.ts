import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ApiError, notFound } from "../../lib/errors";
import { visibleTo } from "../tracks/track-view";
import { MAX_PLAYLIST_TRACKS } from "./schemas";
import { EDITORS, refusal, seenColumns, target, type Seen } from "./playlist-view";

/**
 * Adding, removing and moving a playlist's tracks. Each edit is ONE statement (checks, the shift of
 * the neighbours and the edit itself) run in one batch (one round trip, one transaction) after
 * `SELECT ... FOR UPDATE` of the playlist row. The lock is what makes concurrent edits safe: in READ
 * COMMITTED a statement's snapshot is taken when it starts, so a lock taken inside the edit would
 * not make the edit see a concurrent one; taken by an earlier statement of the transaction, the
 * edit starts after the other edit committed and sees its positions. The deferred unique
 * (playlist_id, position) stays the safety net: a violation is a 409 "retry" (database-errors).
 */

const lock = (playlistId: string) => sql`SELECT id FROM playlists WHERE id = ${playlistId} FOR UPDATE`;

const mayEdit = sql`(SELECT role FROM target) IN (${sql.join(EDITORS.map((r) => sql`${r}`), sql`, `)})`;

interface EditRow extends Seen {
  done: boolean;
  position: number | null;
  present: boolean;
  track_total: number;
  track_visible?: boolean;
  duration_seconds: number;
}

/** Whether `err` (or a cause of it) is a violation of the deferred unique position constraint. */
function isPositionRace(err: unknown): boolean {
  for (let e = err as { cause?: unknown; constraint?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.constraint === "uq_playlist_tracks_playlist_position") return true;
  }
  return false;
}

async function runLocked(db: Database, playlistId: string, edit: SQL): Promise<EditRow> {
  try {
    const [, result] = await db.batch([db.execute(lock(playlistId)), db.execute<EditRow>(edit)]);
    return result.rows[0]!;
  } catch (err) {
    if (isPositionRace(err)) throw new ApiError("conflict", "The playlist changed while this edit was applied; retry it.", { cause: err });
    throw err;
  }
}

const EDIT_REFUSED = "Only the owner and edit or admin collaborators of a collaborative playlist can change its tracks.";

export interface EditResult {
  track_id: string;
  position: number;
  track_count: number;
  duration_seconds: number;
}

/**
 * POST /v1/playlists/:id/tracks: insert at `position` (clamped to the end) or append. The track must
 * be visible to the adder (a private track only by its creator), not already in the playlist (409),
 * and the playlist not full (409). The counts come from the triggers; the answer computes them from
 * what the statement saw, since the triggers' updates are not visible to the statement itself.
 */
export async function addTrack(db: Database, playlistId: string, userId: string, trackId: string, position: number | undefined): Promise<EditResult> {
  const row = await runLocked(db, playlistId, sql`
    WITH target AS (${target(playlistId, userId)}),
    track AS (
      SELECT t.id, COALESCE(t.duration, 0) AS duration FROM tracks t JOIN users u ON u.id = t.creator_id
       WHERE t.id = ${trackId} AND ${visibleTo(userId)}
    ), items AS (
      SELECT count(*)::int AS n, COALESCE(bool_or(track_id = ${trackId}), false) AS present
        FROM playlist_tracks WHERE playlist_id = ${playlistId}
    ), at AS (
      SELECT LEAST(${position ?? null}::int, n) AS pos, n FROM items
    ), ok AS (
      SELECT 1 WHERE ${mayEdit} AND EXISTS (SELECT 1 FROM track) AND NOT (SELECT present FROM items) AND (SELECT n FROM items) < ${MAX_PLAYLIST_TRACKS}
    ), shifted AS (
      UPDATE playlist_tracks SET position = position + 1
       WHERE playlist_id = ${playlistId} AND EXISTS (SELECT 1 FROM ok) AND position >= (SELECT COALESCE(pos, n) FROM at)
      RETURNING id
    ), inserted AS (
      INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by)
      SELECT ${playlistId}, ${trackId}, COALESCE(pos, n), ${userId} FROM at WHERE EXISTS (SELECT 1 FROM ok)
      RETURNING position
    )
    SELECT ${seenColumns}, EXISTS (SELECT 1 FROM inserted) AS done, (SELECT position FROM inserted) AS position,
           (SELECT present FROM items) AS present, (SELECT n FROM items) AS track_total, EXISTS (SELECT 1 FROM track) AS track_visible,
           (SELECT p.duration_seconds FROM playlists p WHERE p.id = ${playlistId}) + COALESCE((SELECT duration FROM track), 0) AS duration_seconds`);
  if (row.done) return { track_id: trackId, position: Number(row.position), track_count: Number(row.track_total) + 1, duration_seconds: Number(row.duration_seconds) };
  const refused = refusal(row, EDITORS, EDIT_REFUSED);
  if (refused) throw refused;
  if (!row.track_visible) throw new ApiError("validation_failed", "The request is not valid.", { errors: [{ path: "json.track_id", message: "is not a track you can see" }] });
  if (row.present) throw new ApiError("conflict", "This track is already in the playlist.");
  throw new ApiError("conflict", `A playlist holds at most ${MAX_PLAYLIST_TRACKS} tracks; remove some before adding more.`);
}

/** DELETE /v1/playlists/:id/tracks/:trackId: the gap-closing trigger renumbers the rest. */
export async function removeTrack(db: Database, playlistId: string, userId: string, trackId: string): Promise<void> {
  const row = await runLocked(db, playlistId, sql`
    WITH target AS (${target(playlistId, userId)}),
    removed AS (
      DELETE FROM playlist_tracks WHERE playlist_id = ${playlistId} AND track_id = ${trackId} AND ${mayEdit} RETURNING id
    )
    SELECT ${seenColumns}, EXISTS (SELECT 1 FROM removed) AS done`);
  if (row.done) return;
  throw refusal(row, EDITORS, EDIT_REFUSED) ?? notFound("This track in the playlist");
}

/**
 * PATCH /v1/playlists/:id/tracks/:trackId {position}: one UPDATE moves the track and shifts the
 * items between its old and new positions by one (towards the old one); past the end is the end.
 */
export async function moveTrack(db: Database, playlistId: string, userId: string, trackId: string, position: number): Promise<EditResult> {
  const row = await runLocked(db, playlistId, sql`
    WITH target AS (${target(playlistId, userId)}),
    cur AS (
      SELECT position AS old, LEAST(${position}::int, (SELECT count(*)::int - 1 FROM playlist_tracks WHERE playlist_id = ${playlistId})) AS new
        FROM playlist_tracks WHERE playlist_id = ${playlistId} AND track_id = ${trackId}
    ), moved AS (
      UPDATE playlist_tracks pt
         SET position = CASE WHEN pt.track_id = ${trackId} THEN cur.new WHEN cur.old < cur.new THEN pt.position - 1 ELSE pt.position + 1 END
        FROM cur
       WHERE pt.playlist_id = ${playlistId} AND ${mayEdit} AND cur.old <> cur.new
         AND pt.position BETWEEN LEAST(cur.old, cur.new) AND GREATEST(cur.old, cur.new)
      RETURNING pt.id
    )
    SELECT ${seenColumns}, (${mayEdit} AND EXISTS (SELECT 1 FROM cur)) AS done, (SELECT new FROM cur) AS position,
           (SELECT track_count FROM playlists WHERE id = ${playlistId}) AS track_total,
           (SELECT duration_seconds FROM playlists WHERE id = ${playlistId}) AS duration_seconds`);
  if (row.done) return { track_id: trackId, position: Number(row.position), track_count: Number(row.track_total), duration_seconds: Number(row.duration_seconds) };
  throw refusal(row, EDITORS, EDIT_REFUSED) ?? notFound("This track in the playlist");
}
