import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { expiresAt, signedQuery, urlSigner } from "../../lib/signed-url";
import { parseRange, serveObject, startsAtZero } from "../tracks/serve-object";

/**
 * Links to purchased files are signed for one order item and one file under a key of their own, and
 * expire within about two hours: a browser downloads without a bearer token. A signature cannot be
 * revoked, so the download itself checks the purchase again (refunded, cancelled) in its one round trip.
 */
const downloadLinks = urlSigner("marketplace-download", {
  ttlSeconds: 3600,
  invalid: "This download link is not valid.",
  expired: "This download link has expired; ask for a new one from your purchases.",
});

const subject = (orderItemId: string, fileId: string) => `${orderItemId}/${fileId}`;

type PurchaseState = {
  found: boolean;
  revoked: boolean | null;
  paid: boolean | null;
  seller_live: boolean | null;
  buyer_live: boolean | null;
  listed: boolean | null;
  file_live: boolean | null;
};

/** The purchase `oi` and file checks both endpoints make (the signed GET re-checks everything). */
const purchaseChecks = (fileId: string) => sql`
  oi.revoked_at IS NOT NULL AS revoked, o.status IN ('paid', 'processing', 'completed') AS paid,
  (su.deleted_at IS NULL AND NOT su.is_banned) AS seller_live,
  (bu.id IS NOT NULL AND bu.deleted_at IS NULL AND NOT bu.is_banned) AS buyer_live,
  COALESCE(${fileId}::uuid = ANY(oi.download_file_ids), false) AS listed,
  (f.id IS NOT NULL AND f.deleted_at IS NULL) AS file_live`;

const purchaseFrom = (fileId: string) => sql`
  FROM order_items oi
  JOIN orders o ON o.id = oi.order_id
  JOIN users su ON su.id = oi.seller_id
  LEFT JOIN users bu ON bu.id = o.user_id
  LEFT JOIN files f ON f.id = ${fileId}::uuid`;

/** Why a purchase cannot be downloaded, as the error to answer; null when it can. */
function refusal(row: PurchaseState): ApiError | null {
  if (!row.found) return notFound("This purchase");
  if (row.revoked) return new ApiError("gone", "This purchase was refunded or cancelled: its files can no longer be downloaded.");
  if (!row.paid) return new ApiError("conflict", "This order is not paid yet.");
  if (!row.buyer_live) return forbidden("This account cannot download.");
  if (!row.seller_live) return forbidden("The seller's account is suspended: their files cannot be downloaded.");
  if (!row.listed || !row.file_live) return notFound("This file of the purchase");
  return null;
}

/** POST /v1/me/purchases/:orderItemId/downloads: a signed link to one file of my purchase. One round trip. */
export async function createDownloadLink(c: Context<AppEnv>, userId: string, orderItemId: string, fileId: string) {
  const { rows } = await c.var.db.execute<PurchaseState>(sql`
    SELECT true AS found, ${purchaseChecks(fileId)}
      ${purchaseFrom(fileId)}
     WHERE oi.id = ${orderItemId}::uuid AND o.user_id = ${userId}::uuid`);
  const error = refusal(rows[0] ?? { found: false, revoked: null, paid: null, seller_live: null, buyer_live: null, listed: null, file_live: null });
  if (error) throw error;
  const signature = await downloadLinks.sign(c.env.JWT_SECRET, subject(orderItemId, fileId));
  return { url: `/v1/downloads/${orderItemId}/${fileId}${signedQuery(signature)}`, expires_at: expiresAt(signature)! };
}

type DownloadRow = PurchaseState & { storage_path: string | null; original_filename: string | null; mime_type: string | null; counted: boolean };

/** `attachment` with the file's original name (any path, control or quoting characters removed; RFC 6266). */
function attachment(originalFilename: string | null): string {
  const name = (originalFilename ?? "").replace(/^.*[\\/]/, "").replace(/[\u0000-\u001f\u007f"\\;]/g, "").trim().slice(0, 200) || "download";
  const ascii = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * GET /v1/downloads/:orderItemId/:fileId?exp=&sig=: streams the file from R2 (Range honoured). One
 * round trip checks the purchase is still live — a refund revokes the item, and the link stops
 * working at once (410) even though its signature is valid — and counts the download: a request
 * from the first byte counts, so a download resumed in ranges counts once.
 */
export async function serveDownload(c: Context<AppEnv>, orderItemId: string, fileId: string, query: { exp?: string; sig?: string }) {
  const signature = await downloadLinks.verify(c.env.JWT_SECRET, subject(orderItemId, fileId), query);
  if (!signature) throw forbidden("Downloads need a signed link: ask for one from your purchases.");
  const counts = startsAtZero(parseRange(c.req.header("range")));
  const { rows } = await c.var.db.execute<DownloadRow>(sql`
    WITH target AS (
      SELECT oi.id, ${purchaseChecks(fileId)}, f.storage_path, f.original_filename, f.mime_type
        ${purchaseFrom(fileId)}
       WHERE oi.id = ${orderItemId}::uuid
    ), counted AS (
      UPDATE order_items SET download_count = download_count + 1
       WHERE id IN (SELECT id FROM target WHERE NOT revoked AND paid AND seller_live AND buyer_live AND listed AND file_live)
         AND ${counts}::boolean
      RETURNING id
    )
    SELECT target.id IS NOT NULL AS found, target.revoked, target.paid, target.seller_live, target.buyer_live, target.listed, target.file_live,
           target.storage_path, target.original_filename, target.mime_type, EXISTS (SELECT 1 FROM counted) AS counted
      FROM (SELECT 1) AS one LEFT JOIN target ON true`);
  const row = rows[0]!;
  const error = refusal(row);
  if (error) throw error;
  const response = await serveObject(c.env.MEDIA, row.storage_path!, c.req.raw, {
    contentType: row.mime_type ?? "application/octet-stream",
    cacheControl: "private, no-store",
    headers: { "Content-Disposition": attachment(row.original_filename) },
    requestId: c.get("requestId"),
  });
  if (!response) throw notFound("This file");
  return response;
}
