import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { pending } from "./export-request";
import { EXPORT_LINK_TTL_SECONDS, exportLink, exportPrefix, signExportToken } from "./export-link";
import { isoOrNull } from "./time";

export interface ExportStatus {
  /** `none`: never asked (or the archive is gone); `pending`: being prepared; `ready`: an archive can be downloaded. */
  status: "none" | "pending" | "ready";
  requested_at: string | null;
  archive: { generated_at: string; bytes: number; download_url: string; expires_at: string } | null;
}

type ExportRow = {
  requested_at: unknown;
  pending: boolean;
  token_version: number;
};

/**
 * Where my data export stands, for the settings page: one read of `users`, one listing of my
 * archive folder in R2 (a new archive replaces the last, so there is at most one), and a fresh
 * signed link to it — the same kind the mail carries, valid 7 days — so a lost mail is not a
 * lost export. A request older than 24 hours that no archive answered is no longer pending, as
 * for POST /v1/me/export.
 */
export async function exportStatus(db: Database, bucket: R2Bucket, appUrl: string, secret: string, userId: string, now = new Date()): Promise<ExportStatus> {
  const [row, listed] = await Promise.all([
    db
      .execute<ExportRow>(
        sql`SELECT export_requested_at AS requested_at, token_version, ${pending} AS pending FROM users WHERE id = ${userId}`,
      )
      .then((r) => r.rows[0]),
    bucket.list({ prefix: exportPrefix(userId), limit: 10, include: ["customMetadata"] }),
  ]);
  const requestedAt = isoOrNull(row?.requested_at);
  const newest = listed.objects.reduce<R2Object | undefined>((a, b) => (!a || b.uploaded > a.uploaded ? b : a), undefined);

  let archive: ExportStatus["archive"] = null;
  if (row && newest) {
    const exportId = newest.key.slice(exportPrefix(userId).length).replace(/\.json$/, "");
    const token = await signExportToken({ userId, exportId, tokenVersion: row.token_version }, secret, now);
    archive = {
      generated_at: newest.customMetadata?.generatedAt ?? newest.uploaded.toISOString(),
      bytes: newest.size,
      download_url: exportLink(appUrl, exportId, token),
      expires_at: new Date(now.getTime() + EXPORT_LINK_TTL_SECONDS * 1000).toISOString(),
    };
  }
  const status = row?.pending ? "pending" : archive ? "ready" : "none";
  return { status, requested_at: requestedAt, archive };
}
