import { sql } from "drizzle-orm";
import type { MessageHandler } from "../../jobs/queue";
import { auditInsert } from "../../lib/audit";
import { randomToken } from "../../lib/crypto";
import { enqueueMail } from "../mail/enqueue";
import { writeArchive } from "./export-archive";
import { EXPORT_LINK_TTL_SECONDS, exportLink, signExportToken } from "./export-link";
import { ExportMessageSchema } from "./export-message";
import { deleteExports } from "./export-storage";

type ExportingUser = {
  email: string;
  username: string;
  deleted: boolean;
  pending: boolean;
  token_version: number;
  /** export_requested_at as Postgres text: compared back in SQL at full (microsecond) precision. */
  requested_at: string | null;
};

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function readyMail(to: string, username: string, link: string, expiresAt: Date) {
  const until = expiresAt.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  return {
    to,
    subject: "Your Veza data export is ready",
    text: `Hello ${username},\n\nThe copy of your Veza data you asked for is ready. Download it (a JSON file) here:\n\n${link}\n\nThe link works until ${until}. Anyone with it can download your data: do not forward it.\nIf you did not ask for this export, change your password.\n`,
    html: `<p>Hello ${escapeHtml(username)},</p><p>The copy of your Veza data you asked for is ready: <a href="${escapeHtml(link)}">download it</a> (a JSON file).</p><p>The link works until ${until}. Anyone with it can download your data: do not forward it.<br>If you did not ask for this export, change your password.</p>`,
  };
}

/**
 * "gdpr.export": writes the archive of one user to R2, replaces their previous one, mails the
 * signed link, then marks the request answered (exported_at) with an audit row.
 *
 * At-least-once delivery: a message for a request already answered, or for an account deleted in
 * the meantime, does nothing. The mail goes out before exported_at is set, so a failure in between
 * retries into a second archive and mail rather than into no mail at all.
 */
export const exportUserData: MessageHandler = async (body, { env, db, log }) => {
  const parsed = ExportMessageSchema.safeParse(body);
  if (!parsed.success) throw new Error(`malformed gdpr.export message: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  const { userId } = parsed.data;

  const user = (
    await db.execute<ExportingUser>(sql`
      SELECT email, username, token_version, deleted_at IS NOT NULL AS deleted, export_requested_at::text AS requested_at,
             (export_requested_at IS NOT NULL AND (exported_at IS NULL OR exported_at < export_requested_at)) AS pending
        FROM users WHERE id = ${userId}`)
  ).rows[0];
  if (!user || user.deleted || !user.pending) {
    log.info("gdpr export: nothing to do", { userId, reason: !user || user.deleted ? "account deleted" : "already exported" });
    return;
  }

  const now = new Date();
  const exportId = randomToken(16);
  const archive = await writeArchive(db, env.MEDIA, userId, exportId, now);
  await deleteExports(env.MEDIA, userId, archive.key);

  const expiresAt = new Date(now.getTime() + EXPORT_LINK_TTL_SECONDS * 1000);
  const token = await signExportToken({ userId, exportId, tokenVersion: user.token_version }, env.JWT_SECRET, now);
  await enqueueMail(env, readyMail(user.email, user.username, exportLink(env.APP_URL, exportId, token), expiresAt));

  await db.batch([
    db.execute(sql`UPDATE users SET exported_at = now() WHERE id = ${userId} AND export_requested_at = ${user.requested_at}::timestamptz`),
    db.execute(
      auditInsert({
        action: "gdpr.export",
        userId,
        actorId: null,
        metadata: { export_id: exportId, bytes: archive.bytes, expires_at: expiresAt.toISOString() },
      }),
    ),
  ]);
  log.info("gdpr export written", { userId, exportId, bytes: archive.bytes });
};
