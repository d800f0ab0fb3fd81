import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notFound } from "../../lib/errors";
import type { Track } from "./schemas";
import { iso, selectTrack, toTrack, visibleTo, type TrackRow } from "./track-view";

/** GET /v1/tracks/:id: the track as `viewerId` may see it (see visibleTo), in one round trip. */
export async function findTrack(db: Database, secret: string, trackId: string, viewerId: string | null): Promise<Track> {
  const { rows } = await db.execute<TrackRow>(sql`
    ${selectTrack(sql`tracks`, { waveform: true })}
     WHERE t.id = ${trackId} AND ${visibleTo(viewerId)}`);
  const row = rows[0];
  if (!row) throw notFound("This track");
  return toTrack(row, viewerId, secret);
}

export interface TrackStatusView {
  id: string;
  status: Track["status"];
  progress: number;
  error: string | null;
  updated_at: string;
}

/** GET /v1/tracks/:id/status: what a client polls while a track is processed; one round trip. */
export async function findTrackStatus(db: Database, trackId: string, viewerId: string | null): Promise<TrackStatusView> {
  const { rows } = await db.execute<{ id: string; creator_id: string; status: Track["status"]; processing_progress: number; processing_error: string | null; updated_at: string }>(sql`
    SELECT t.id, t.creator_id, t.status, t.processing_progress, t.processing_error, ${iso("t.updated_at")} AS updated_at
      FROM tracks t JOIN users u ON u.id = t.creator_id
     WHERE t.id = ${trackId} AND ${visibleTo(viewerId)}`);
  const row = rows[0];
  if (!row) throw notFound("This track");
  return {
    id: row.id,
    status: row.status,
    progress: Number(row.processing_progress),
    error: row.creator_id === viewerId ? row.processing_error : null,
    updated_at: row.updated_at,
  };
}
