import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { exportKey, verifyExportToken } from "./export-link";

export interface OpenedExport {
  body: ReadableStream;
  size: number;
  filename: string;
}

/**
 * Opens the archive a mailed link names. The token alone proves ownership (no session needed); it
 * must name this very archive, and a session, if the request has one, must be the same user's.
 * The download is audited ('gdpr.export_download') in the statement that checks the account is
 * still live and its token_version still the link's: one round trip. An account deleted since then
 * has no archive to give, and logout-all or a password change (token_version + 1) ends the link (401).
 */
export async function openExport(
  db: Database,
  bucket: R2Bucket,
  secret: string,
  request: { exportId: string; token: string | undefined; sessionUserId: string | undefined; origin: AuditOrigin },
): Promise<OpenedExport> {
  if (!request.token) throw new ApiError("unauthenticated", "This link needs its `token`: use the link from the email as it is.");
  const claims = await verifyExportToken(request.token, secret);
  if (claims.exportId !== request.exportId) throw new ApiError("forbidden", "This link is not for this export.");
  if (request.sessionUserId && request.sessionUserId !== claims.userId) throw new ApiError("forbidden", "This export belongs to another account.");

  const object = await bucket.get(exportKey(claims.userId, claims.exportId));
  if (!object) throw new ApiError("gone", "This export is no longer available (a newer one replaced it, or it was erased); request a new one.");

  const audited = await db
    .execute(
      sql`${auditInsertFrom(
        { action: "gdpr.export_download", userId: claims.userId, actorId: claims.userId, origin: request.origin, metadata: { export_id: claims.exportId } },
        sql`users WHERE id = ${claims.userId} AND deleted_at IS NULL AND token_version = ${claims.tokenVersion}`,
      )} RETURNING 1`,
    )
    .catch(async (err) => {
      await object.body.cancel();
      throw err;
    });
  if (audited.rows.length === 0) {
    await object.body.cancel();
    throw new ApiError("invalid_token", "This download link has been revoked (signed out everywhere, or the account is gone); request a new export.");
  }
  const day = (object.customMetadata?.generatedAt ?? object.uploaded.toISOString()).slice(0, 10);
  return { body: object.body, size: object.size, filename: `veza-export-${day}.json` };
}
