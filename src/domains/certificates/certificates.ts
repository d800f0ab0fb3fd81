import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import type { AuthContext } from "../../lib/auth/middleware";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { forbidden, notFound } from "../../lib/errors";
import { preciseIso } from "../tracks/track-view";
import { certificateColumns, toCertificateView, type CertificateRow, type CertificateView } from "./certificate-view";

/** GET /v1/certificates/:code, one statement, public: the snapshot, its status, and whether its signature holds. */
export async function verifyByCode(db: Database, env: Env, code: string): Promise<CertificateView> {
  const { rows } = await db.execute<CertificateRow>(sql`SELECT ${certificateColumns("ce")} FROM certificates ce WHERE ce.code = ${code}`);
  if (!rows[0]) throw notFound("This certificate");
  return toCertificateView(env, rows[0]);
}

/** GET /v1/me/certificates, one statement: mine, newest first, by cursor (revoked ones too, marked). */
export async function listMyCertificates(db: Database, env: Env, userId: string, query: { limit: number; cursor?: string }) {
  const [at, id] = query.cursor ? decodeCursor(query.cursor) : [null, null];
  const { rows } = await db.execute<CertificateRow & { id: string; cursor_at: string }>(sql`
    SELECT ${certificateColumns("ce")}, ce.id, ${preciseIso("ce.issued_at")} AS cursor_at
      FROM certificates ce
     WHERE ce.user_id = ${userId}::uuid
       AND (${at}::timestamptz IS NULL OR (ce.issued_at, ce.id) < (${at}::timestamptz, ${id}::uuid))
     ORDER BY ce.issued_at DESC, ce.id DESC
     LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const items = await Promise.all(page.map(({ id: _, cursor_at: __, ...row }) => toCertificateView(env, row)));
  return { items, next_cursor: rows.length > query.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

type RevokeRow = CertificateRow & { may_revoke: boolean };

/**
 * POST /v1/certificates/:code/revoke, one statement: the course's educator, or a moderator or
 * admin, revokes a certificate with a reason (fraud, an error). The row and its signature stay, so
 * the code keeps answering, as revoked. Revoking a revoked certificate changes nothing (the first
 * reason stands). Refunds revoke on their own (migration 0030's trigger).
 */
export async function revokeCertificate(db: Database, env: Env, code: string, auth: AuthContext, reason: string): Promise<CertificateView> {
  const staff = auth.role === "moderator" || auth.role === "admin";
  const { rows } = await db.execute<RevokeRow>(sql`
    WITH target AS (
      SELECT ce.id, (${staff} OR EXISTS (SELECT 1 FROM courses c WHERE c.id = ce.course_id AND c.educator_id = ${auth.userId}::uuid)) AS may_revoke
        FROM certificates ce WHERE ce.code = ${code}
    ), revoked AS (
      UPDATE certificates ce SET revoked_at = now(), revocation_reason = ${reason}
        FROM target t
       WHERE ce.id = t.id AND t.may_revoke AND ce.revoked_at IS NULL
      RETURNING ce.*
    )
    SELECT ${certificateColumns("ce")}, t.may_revoke
      FROM target t
      JOIN LATERAL (SELECT * FROM revoked UNION ALL SELECT * FROM certificates c WHERE c.id = t.id AND NOT EXISTS (SELECT 1 FROM revoked)) ce ON true`);
  const row = rows[0];
  if (!row) throw notFound("This certificate");
  if (!row.may_revoke) throw forbidden("Only the course's educator or a moderator may revoke a certificate.");
  const { may_revoke: _, ...certificate } = row;
  return toCertificateView(env, certificate);
}
