import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { QuizQuestion } from "../../db/schema/education";
import type { Env } from "../../env";
import { postgresCode, postgresConstraint } from "../../lib/database-errors";
import { ApiError } from "../../lib/errors";
import { verificationPath } from "../certificates/certificate-view";
import { issueIfCompleteQuery, nameOf, signPending, type SignedCertificate } from "../certificates/issue";
import { iso, preciseIso } from "../tracks/track-view";
import { answerErrors, grade, type Grade } from "./grading";
import { accessColumns, assertCanRead, type QuizAccess } from "./quiz-access";
import { attemptsLeft, myAttemptsJoin } from "./quiz-view";
import type { AttemptView, SubmitAttempt } from "./schemas";

type SubmitRow = QuizAccess & {
  course_id: string;
  questions: QuizQuestion[];
  pass_mark_percent: number;
  max_attempts: number | null;
  version: string;
  attempts_used: number;
  passed: boolean;
  course_title: string;
  learner_name: string;
  educator_name: string | null;
};

type InsertedAttempt = { id: string; attempt_number: number; score_points: string; max_points: string; score_percent: string; submitted_at: string };

const noAttemptsLeft = () => new ApiError("conflict", "You have no attempts left for this quiz.");

/** Round trip 1: the quiz as it is now, the learner's access and attempts, and the certificate's names. */
async function readForSubmission(db: Database, quizId: string, userId: string): Promise<SubmitRow | undefined> {
  const { rows } = await db.execute<SubmitRow>(sql`
    SELECT q.course_id, q.questions, q.pass_mark_percent, q.max_attempts, ${preciseIso("q.updated_at")} AS version,
           mine.attempts_used, mine.passed, ${accessColumns(userId)},
           c.title AS course_title, ${nameOf("u")} AS learner_name, ${nameOf("ed")} AS educator_name
      FROM quizzes q
      JOIN courses c ON c.id = q.course_id AND c.deleted_at IS NULL
      JOIN users u ON u.id = ${userId}::uuid
      LEFT JOIN users ed ON ed.id = c.educator_id
      ${myAttemptsJoin(userId)}
     WHERE q.id = ${quizId}::uuid`);
  return rows[0];
}

/**
 * The graded attempt's insert: attempt_number = max + 1 (UNIQUE, capped by the max-attempts
 * trigger), only while the quiz is the version that was graded and the learner still enrolled.
 */
function insertAttempt(db: Database, quizId: string, userId: string, version: string, g: Grade) {
  return db.execute<InsertedAttempt>(sql`
    INSERT INTO quiz_attempts (quiz_id, user_id, attempt_number, status, answers, score_points, max_points, score_percent,
                               passed, started_at, submitted_at, graded_at)
    SELECT q.id, ${userId}::uuid,
           COALESCE((SELECT max(a.attempt_number) FROM quiz_attempts a WHERE a.quiz_id = q.id AND a.user_id = ${userId}::uuid), 0) + 1,
           'graded', ${JSON.stringify(g.answers)}::jsonb, ${g.scorePoints}, ${g.maxPoints}, ${g.scorePercent}::numeric,
           ${g.passed}, now(), now(), now()
      FROM quizzes q
     WHERE q.id = ${quizId}::uuid AND ${preciseIso("q.updated_at")} = ${version}
       AND EXISTS (SELECT 1 FROM course_enrollments e
                    WHERE e.course_id = q.course_id AND e.user_id = ${userId}::uuid AND e.status IN ('active', 'completed'))
    RETURNING id, attempt_number, score_points::text, max_points::text, score_percent::text,
              ${iso("submitted_at")} AS submitted_at`);
}

/** Round trip 2: the attempt and, when it passed, the certificate if the course is now complete. */
async function writeAttempt(db: Database, quizId: string, userId: string, version: string, g: Grade, signed: SignedCertificate | null) {
  const attempt = insertAttempt(db, quizId, userId, version, g);
  try {
    if (!signed) return { attempt: (await attempt).rows[0], certificate: null };
    const [inserted, issued] = await db.batch([attempt, issueIfCompleteQuery(db, signed)]);
    return { attempt: inserted.rows[0], certificate: issued.rows[0] ?? null };
  } catch (err) {
    if (postgresConstraint(err) === "chk_quiz_attempts_max_attempts") throw noAttemptsLeft();
    if (postgresCode(err) === "23505" && postgresConstraint(err) === "uq_quiz_attempts_quiz_user_attempt") {
      throw new ApiError("conflict", "Another attempt of this quiz was submitted at the same time; reload and try again.");
    }
    throw err;
  }
}

/**
 * POST /v1/quizzes/:id/attempts, two round trips: read, grade in the Worker, write. An attempt
 * that passes is written in the same batch as the certificate it may earn (signed beforehand: an
 * Ed25519 signature costs far less than a round trip), inserted only if the course is now complete.
 */
export async function submitAttempt(db: Database, env: Env, quizId: string, userId: string, input: SubmitAttempt): Promise<AttemptView> {
  const quiz = assertCanRead(await readForSubmission(db, quizId, userId));
  if (!quiz.is_learner) throw new ApiError("forbidden", "Only learners enrolled in the course take its quizzes.");
  if (attemptsLeft(quiz.max_attempts, quiz.attempts_used) === 0) throw noAttemptsLeft();
  const errors = answerErrors(quiz.questions, input.answers);
  if (errors.length) throw new ApiError("validation_failed", "Some answers do not fit their questions.", { errors });
  const g = grade(quiz.questions, quiz.pass_mark_percent, input.answers);
  const pending = { course_id: quiz.course_id, user_id: userId, course_title: quiz.course_title, learner_name: quiz.learner_name, educator_name: quiz.educator_name };
  const signed = g.passed ? await signPending(env, pending) : null;
  const { attempt, certificate } = await writeAttempt(db, quizId, userId, quiz.version, g, signed);
  if (!attempt) throw new ApiError("conflict", "This quiz changed while you answered it, or you are no longer enrolled; reload it and try again.");
  const left = attemptsLeft(quiz.max_attempts, attempt.attempt_number);
  const revealed = g.passed || quiz.passed || left === 0;
  return {
    id: attempt.id,
    quiz_id: quizId,
    attempt_number: attempt.attempt_number,
    status: "graded",
    score_points: attempt.score_points,
    max_points: attempt.max_points,
    score_percent: attempt.score_percent,
    passed: g.passed,
    submitted_at: attempt.submitted_at,
    results: resultsOf(g.answers, revealed ? quiz.questions : null),
    attempts_left: left,
    answers_revealed: revealed,
    certificate: certificate ? { code: certificate.code, verification_url: verificationPath(certificate.code) } : null,
  };
}

type StoredAnswer = { questionId: string; answered?: boolean; correct: boolean; points: number; maxPoints: number };

/** Per-question outcome; the correct answers only when `questions` (revealed) is given. */
export function resultsOf(answers: StoredAnswer[], questions: QuizQuestion[] | null): AttemptView["results"] {
  const byId = new Map((questions ?? []).map((q) => [q.id, q]));
  return answers.map((a) => {
    const q = byId.get(a.questionId);
    return {
      question_id: a.questionId,
      answered: a.answered ?? true,
      correct: a.correct,
      points_awarded: a.points,
      points: a.maxPoints,
      ...(q ? { correct_answer: q.correct } : {}),
    };
  });
}
