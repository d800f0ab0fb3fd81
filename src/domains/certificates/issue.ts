import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { Env } from "../../env";
import { randomToken } from "../../lib/crypto";
import { certificateColumns, toCertificateView, type CertificateRow, type CertificateView } from "./certificate-view";
import { canonicalPayload, signCertificate, SIGNATURE_ALGORITHM } from "./signing";

export type { CertificateView } from "./certificate-view";

/** A learner who has just completed a course and holds no certificate for it yet: what gets signed. */
export type PendingCertificate = { course_id: string; user_id: string; course_title: string; learner_name: string; educator_name: string | null };

/** A user's name as a certificate prints it (alias of a `users` row): the display name, else the username. */
export const nameOf = (alias: string) => sql.raw(`COALESCE(NULLIF(btrim(${alias}.display_name), ''), ${alias}.username)`);

/**
 * The pending-certificate SELECT (see pendingCertificateQuery) of one learner, or of every learner
 * of the course; `exceptQuizId` counts that quiz as not required (it is being deleted or made
 * optional by the same statement, whose change the statement itself cannot see).
 */
function pendingSelect(userId: string | null, courseId: SQL, exceptQuizId: string | null = null): SQL {
  const learner = userId ? sql`AND e.user_id = ${userId}::uuid` : sql``;
  const except = exceptQuizId ? sql`AND q.id <> ${exceptQuizId}::uuid` : sql``;
  return sql`
    SELECT c.id AS course_id, e.user_id, c.title AS course_title, ${nameOf("u")} AS learner_name, ${nameOf("ed")} AS educator_name
      FROM course_enrollments e
      JOIN courses c ON c.id = e.course_id AND c.deleted_at IS NULL
      JOIN users u ON u.id = e.user_id AND u.deleted_at IS NULL AND NOT u.is_banned
      LEFT JOIN users ed ON ed.id = c.educator_id
     WHERE e.course_id = ${courseId} ${learner} AND e.status IN ('active', 'completed')
       AND EXISTS (SELECT 1 FROM lessons l WHERE l.course_id = c.id)
       AND NOT EXISTS (
         SELECT 1 FROM lessons l
          WHERE l.course_id = c.id
            AND NOT EXISTS (SELECT 1 FROM lesson_progress lp
                             WHERE lp.lesson_id = l.id AND lp.user_id = e.user_id AND lp.status = 'completed'))
       AND NOT EXISTS (
         SELECT 1 FROM quizzes q
          WHERE q.course_id = c.id AND q.is_required ${except}
            AND NOT EXISTS (SELECT 1 FROM quiz_attempts a
                             WHERE a.quiz_id = q.id AND a.user_id = e.user_id AND a.status = 'graded' AND a.passed))
       AND NOT EXISTS (SELECT 1 FROM certificates ce WHERE ce.course_id = c.id AND ce.user_id = e.user_id)`;
}

/**
 * A query for the SAME db.batch as a progress or quiz write (placed after it): at most one row,
 * present when the learner has now completed the course (enrolled active/completed, course has >= 1
 * lesson, every lesson completed, every required quiz of the course passed by a graded attempt) and
 * holds no certificate yet. (A banned or deleted account is never pending.)
 */
export function pendingCertificateQuery(db: Database, userId: string, courseId: string) {
  return db.execute<PendingCertificate>(pendingSelect(userId, sql`${courseId}::uuid`));
}

/** Certificates issued at most per write that completes several learners at once (see below). */
export const MAX_CERTIFICATES_PER_WRITE = 100;

/**
 * A json array (for a column of the statement that deletes quiz `quizId`, or makes it optional, in
 * the course `courseId` names): up to MAX_CERTIFICATES_PER_WRITE learners this completes, holding
 * no certificate yet. Beyond that many, the rest receive theirs at their next progress write.
 */
export function pendingWithoutQuizJson(courseId: SQL, quizId: string): SQL {
  return sql`(SELECT COALESCE(json_agg(p), '[]'::json)
                FROM (${pendingSelect(null, courseId, quizId)} ORDER BY e.user_id LIMIT ${MAX_CERTIFICATES_PER_WRITE}) p)`;
}

/** A certificate signed in the Worker, ready to insert (the signature covers code and issued_at). */
export type SignedCertificate = { pending: PendingCertificate; code: string; issuedAt: string; jws: string; kid: string };

export async function signPending(env: Env, pending: PendingCertificate): Promise<SignedCertificate> {
  const code = randomToken(16);
  const issuedAt = new Date().toISOString();
  const { jws, kid } = await signCertificate(env, canonicalPayload({ code, ...pending, issued_at: issuedAt }));
  return { pending, code, issuedAt, jws, kid };
}

/**
 * The insert of a signed certificate when `guard` (a SELECT) yields a row and the enrolment is still
 * active or completed, and the completion of that enrolment, in one statement. ON CONFLICT DO NOTHING: the loser
 * of two concurrent issues writes nothing and selects no row.
 */
function insertSigned(signed: SignedCertificate, guard: SQL): SQL {
  const p = signed.pending;
  return sql`
    WITH guard AS (${guard}), enrolment AS (
      SELECT e.id FROM course_enrollments e
       WHERE e.course_id = ${p.course_id}::uuid AND e.user_id = ${p.user_id}::uuid AND e.status IN ('active', 'completed')
         AND EXISTS (SELECT 1 FROM guard)
    ), ins AS (
      INSERT INTO certificates (course_id, user_id, code, course_title, learner_name, educator_name,
                                signature, signature_algorithm, signing_key_id, issued_at)
      SELECT ${p.course_id}::uuid, ${p.user_id}::uuid, ${signed.code}, ${p.course_title}, ${p.learner_name},
             ${p.educator_name}, ${signed.jws}, ${SIGNATURE_ALGORITHM}, ${signed.kid}, ${signed.issuedAt}::timestamptz
       WHERE EXISTS (SELECT 1 FROM enrolment)
      ON CONFLICT DO NOTHING
      RETURNING *
    ), completed AS (
      UPDATE course_enrollments e
         SET status = 'completed', completed_at = COALESCE(e.completed_at, ins.issued_at)
        FROM ins
       WHERE e.id IN (SELECT id FROM enrolment)
      RETURNING e.id
    )
    SELECT ${certificateColumns("ins")} FROM ins`;
}

/**
 * For the same db.batch as a quiz attempt (placed after it): inserts `signed` only if the learner
 * has now completed the course (pendingCertificateQuery's rule, checked after the attempt).
 */
export function issueIfCompleteQuery(db: Database, signed: SignedCertificate) {
  return db.execute<CertificateRow>(insertSigned(signed, pendingSelect(signed.pending.user_id, sql`${signed.pending.course_id}::uuid`)));
}

/**
 * One round trip: signs and inserts the certificate, marks the enrolment completed (status
 * 'completed', completed_at). Idempotent (a concurrent second call returns null or the existing).
 *
 * The insert is conditional on the enrolment still being active or completed (a refund landing
 * between the completing write and this call issues nothing).
 */
export async function issueCertificate(db: Database, env: Env, pending: PendingCertificate): Promise<CertificateView | null> {
  const signed = await signPending(env, pending);
  const { rows } = await db.execute<CertificateRow>(insertSigned(signed, sql`SELECT 1`));
  return rows[0] ? toCertificateView(env, rows[0]) : null;
}

/** One round trip: issueCertificate for several learners at once (each insert guarded alike). */
export async function issueCertificates(db: Database, env: Env, pending: PendingCertificate[]): Promise<number> {
  if (pending.length === 0) return 0;
  const signed = await Promise.all(pending.map((p) => signPending(env, p)));
  const [first, ...rest] = signed.map((s) => db.execute<CertificateRow>(insertSigned(s, sql`SELECT 1`)));
  const results = await db.batch([first!, ...rest]);
  return results.reduce((n, r) => n + r.rows.length, 0);
}
