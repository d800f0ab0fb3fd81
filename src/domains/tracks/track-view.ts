import { sql, type SQL } from "drizzle-orm";
import { blockHides } from "../blocks/either-blocked";
import type { Track, TrackStatus, TrackSummary, Visibility } from "./schemas";
import { expiresAt, signedQuery, signStream, type StreamSignature } from "./stream-signature";

/**
 * How a track is read and shaped, for every endpoint that answers with one. The SELECT is written
 * over any relation of tracks rows aliased `t` (the table, or the RETURNING of an INSERT/UPDATE
 * in the same statement), so writes answer with the written row in their one round trip.
 */

/** timestamptz -> ISO 8601 in UTC with milliseconds, whatever the session's TimeZone. */
export const iso = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** timestamptz at full (microsecond) precision, for keyset cursors. */
export const preciseIso = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

export interface TrackRow {
  id: string;
  creator_id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
  title: string;
  description: string | null;
  artist: string | null;
  album: string | null;
  genre: string | null;
  bpm: number | null;
  musical_key: string | null;
  visibility: Visibility;
  is_downloadable: boolean;
  cover_file_id: string | null;
  duration_ms: number | null;
  status: TrackStatus;
  processing_progress: number;
  processing_error: string | null;
  integrated_lufs: number | null;
  true_peak_dbtp: number | null;
  replay_gain_db: number | null;
  waveform_data?: Track["waveform"];
  play_count: number;
  like_count: number;
  comment_count: number;
  download_count: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  cursor_at: string;
  [column: string]: unknown;
}

/**
 * `SELECT <track columns> FROM <from> t JOIN users u ... LEFT JOIN files cf ...` — the creator as
 * profiles show them (display name, avatar), and the cover only while its file is a live image.
 */
export function selectTrack(from: SQL, options: { waveform: boolean }): SQL {
  return sql`
    SELECT t.id, t.creator_id, u.username, u.display_name, p.avatar_url,
           t.title, t.description, t.artist, t.album, t.genre, t.bpm, t.musical_key, t.visibility, t.is_downloadable,
           CASE WHEN cf.deleted_at IS NULL AND cf.mime_type LIKE 'image/%' THEN cf.id END AS cover_file_id,
           t.duration_ms, t.status, t.processing_progress, t.processing_error,
           t.integrated_lufs::float8 AS integrated_lufs, t.true_peak_dbtp::float8 AS true_peak_dbtp, t.replay_gain_db::float8 AS replay_gain_db,
           ${options.waveform ? sql`t.waveform_data,` : sql``}
           t.play_count, t.like_count, t.comment_count, t.download_count,
           ${iso("t.created_at")} AS created_at, ${iso("t.updated_at")} AS updated_at, ${iso("t.published_at")} AS published_at,
           ${preciseIso("t.created_at")} AS cursor_at
      FROM ${from} t
      JOIN users u ON u.id = t.creator_id
      LEFT JOIN user_profiles p ON p.user_id = u.id
      LEFT JOIN files cf ON cf.id = t.cover_art_file_id`;
}

/**
 * Who may see a track (alias `t`, its creator `u`): not deleted, a creator whose account is live and
 * not banned, public/unlisted or the viewer's own, and no block either way between the viewer and
 * the creator. Anyone else gets the same 404 as for an id
 * nobody has, so private tracks do not reveal that they exist.
 */
export const visibleTo = (viewerId: string | null) => sql`
  t.deleted_at IS NULL AND u.deleted_at IS NULL AND NOT u.is_banned
  AND (t.visibility <> 'private' OR t.creator_id = ${viewerId}::uuid)
  AND NOT ${blockHides(viewerId, sql`t.creator_id`)}`;

export const masterPath = (trackId: string) => `/v1/tracks/${trackId}/hls/master.m3u8`;
export const coverPath = (trackId: string, fileId: string) => `/v1/tracks/${trackId}/cover/${fileId}`;

/**
 * Private tracks' media URLs are signed (players cannot send a bearer token); a private track is
 * only ever shaped for its owner, since nobody else can read it.
 */
export async function trackSignature(secret: string, row: Pick<TrackRow, "id" | "visibility">): Promise<StreamSignature | null> {
  return row.visibility === "private" ? signStream(secret, row.id) : null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toTrackSummary(row: TrackRow, viewerId: string | null, signature: StreamSignature | null): TrackSummary {
  const owner = row.creator_id === viewerId;
  const query = signedQuery(signature);
  return {
    id: row.id,
    creator: { id: row.creator_id, username: row.username, display_name: row.display_name, avatar_url: row.avatar_url },
    title: row.title,
    description: row.description,
    artist: row.artist,
    album: row.album,
    genre: row.genre,
    bpm: num(row.bpm),
    musical_key: row.musical_key,
    visibility: row.visibility,
    is_downloadable: row.is_downloadable,
    cover_url: row.cover_file_id ? coverPath(row.id, row.cover_file_id) + query : null,
    duration_ms: num(row.duration_ms),
    status: row.status,
    processing: { progress: Number(row.processing_progress), error: owner ? row.processing_error : null },
    loudness: { integrated_lufs: num(row.integrated_lufs), true_peak_dbtp: num(row.true_peak_dbtp), replay_gain_db: num(row.replay_gain_db) },
    counts: { plays: Number(row.play_count), likes: Number(row.like_count), comments: Number(row.comment_count), downloads: Number(row.download_count) },
    stream: row.status === "ready" ? { master_url: masterPath(row.id) + query, expires_at: expiresAt(signature) } : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    published_at: row.published_at,
  };
}

export async function toTrack(row: TrackRow, viewerId: string | null, secret: string): Promise<Track> {
  const summary = toTrackSummary(row, viewerId, await trackSignature(secret, row));
  return { ...summary, waveform: (row.waveform_data ?? null) as Track["waveform"] };
}
