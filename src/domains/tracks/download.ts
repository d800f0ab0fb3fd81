import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { parseRange, serveObject, startsAtZero } from "./serve-object";
import { verifyStreamQuery } from "./stream-signature";
import { viewerOf } from "./viewer";

const EXTENSIONS: Record<string, string> = { "audio/wav": "wav", "audio/flac": "flac", "audio/mpeg": "mp3" };

/**
 * The name a download is saved under: the original's name without any path, control or quoting
 * characters, and with the extension of its real (sniffed) type, so that a WAV uploaded as
 * "song.html" is saved as "song.wav". `filename` is an ASCII fallback, `filename*` the UTF-8 name
 * (RFC 6266).
 */
export function contentDisposition(originalFilename: string | null, title: string, mimeType: string): string {
  const extension = EXTENSIONS[mimeType] ?? "bin";
  const base = (originalFilename ?? "")
    .replace(/^.*[\\/]/, "")
    .replace(/[\u0000-\u001f\u007f"\\;]/g, "")
    .replace(/\.[A-Za-z0-9]{1,5}$/, "")
    .trim()
    .slice(0, 200);
  const cleanTitle = title.replace(/[\u0000-\u001f\u007f"\\/;]/g, "").trim().slice(0, 200);
  const name = `${base || cleanTitle || "track"}.${extension}`;
  const ascii = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

interface DownloadRow {
  owner: boolean | null;
  visibility: string | null;
  status: string | null;
  is_downloadable: boolean | null;
  live: boolean | null;
  storage_path: string | null;
  original_filename: string | null;
  mime_type: string | null;
  title: string | null;
  counted: boolean;
}

/**
 * GET /v1/tracks/:id/download: the original upload, as an attachment, Range honoured. The owner may
 * always download it (by bearer token, or by the signed URL their private track's stream carries:
 * a link cannot send a header); anyone who can see the track may when it is downloadable and ready
 * (an upload the pipeline could not process is not handed out).
 *
 * download_count counts downloads, not requests: a request counts when it asks for the first byte
 * (no Range, or a range from 0), so a download resumed or fetched in further ranges is counted
 * once; the owner's own downloads are not counted. The count is bumped in the same statement
 * that authorises the download: one round trip.
 */
export async function serveDownload(c: Context<AppEnv>, trackId: string, query: { exp?: string; sig?: string }): Promise<Response> {
  const signature = await verifyStreamQuery(c.env.JWT_SECRET, trackId, query);
  const viewerId = signature ? null : (viewerOf(c)?.userId ?? null);
  const counts = startsAtZero(parseRange(c.req.header("range")));
  const { rows } = await c.var.db.execute<DownloadRow & Record<string, unknown>>(sql`
    WITH target AS (
      SELECT t.id, t.creator_id, t.visibility, t.status, t.is_downloadable, t.title,
             (t.deleted_at IS NULL AND u.deleted_at IS NULL AND NOT u.is_banned) AS live,
             (${signature !== null}::boolean OR (t.creator_id = ${viewerId}::uuid) IS TRUE) AS owner,
             f.storage_path, f.original_filename, f.mime_type
        FROM tracks t JOIN users u ON u.id = t.creator_id JOIN files f ON f.id = t.file_id
       WHERE t.id = ${trackId}
    ), counted AS (
      UPDATE tracks SET download_count = download_count + 1
       WHERE id IN (SELECT id FROM target WHERE live AND NOT owner AND visibility <> 'private' AND is_downloadable AND status = 'ready')
         AND ${counts}::boolean
      RETURNING id
    )
    SELECT target.owner, target.visibility, target.status, target.is_downloadable,
           target.live, target.storage_path, target.original_filename, target.mime_type, target.title,
           EXISTS (SELECT 1 FROM counted) AS counted
      FROM (SELECT 1) AS one LEFT JOIN target ON true`);
  const row = rows[0]!;
  const owner = row.owner === true;
  if (!row.live || (row.visibility === "private" && !owner)) throw notFound("This track");
  if (!owner) {
    if (!row.is_downloadable) throw forbidden("The creator does not offer this track for download.");
    if (row.status !== "ready") throw new ApiError("conflict", "This track is not ready yet; try again once it is.");
  }
  const response = await serveObject(c.env.MEDIA, row.storage_path!, c.req.raw, {
    contentType: row.mime_type ?? "application/octet-stream",
    // Counted per request that reaches us: a cache answering repeats would hide them.
    cacheControl: "private, no-store",
    headers: { "Content-Disposition": contentDisposition(row.original_filename, row.title ?? "track", row.mime_type ?? "") },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound("This track's original file");
  return response;
}
