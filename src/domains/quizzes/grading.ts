import type { QuizAnswer, QuizQuestion } from "../../db/schema/education";

/**
 * Grading, in the Worker (pure: the attempt's write stores its result). Decisions:
 *  - single: the one option chosen must be the correct one;
 *  - multiple: all or nothing — the set chosen must be exactly the set of correct options (no
 *    partial credit, so guessing every option never earns points);
 *  - short: the text must equal one of the accepted answers once both are normalised: case,
 *    accents (diacritics), punctuation at either end and runs of spacing are ignored.
 * A question left unanswered is wrong. passed = score ≥ pass mark, compared exactly on integers.
 */

/** "  Ça   VA! " -> "ca va": NFKD, marks dropped, lower case, spacing collapsed, outer punctuation trimmed. */
export function normaliseAnswer(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/gu, " ")
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, "");
}

export type GivenAnswer = number | number[] | string;

/** One question's outcome, as stored in quiz_attempts.answers (camelCase, as the column's other keys). */
export type GradedAnswer = QuizAnswer & { correct: boolean; points: number; maxPoints: number; answered: boolean };

export type Grade = {
  answers: GradedAnswer[];
  scorePoints: number;
  maxPoints: number;
  /** Two decimals, as DECIMAL(5,2) holds it. */
  scorePercent: string;
  passed: boolean;
};

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Whether `given` answers `q` correctly; an answer of the wrong kind (text to a choice) is wrong. */
function isCorrect(q: QuizQuestion, given: GivenAnswer | undefined): boolean {
  if (given === undefined) return false;
  if (q.type === "short") {
    if (typeof given !== "string") return false;
    const mine = normaliseAnswer(given);
    return mine !== "" && (q.correct as string[]).some((accepted) => normaliseAnswer(accepted) === mine);
  }
  const chosen = typeof given === "number" ? [given] : given;
  if (!Array.isArray(chosen)) return false;
  if (q.type === "single" && chosen.length !== 1) return false;
  return sameSet(chosen, q.correct as number[]);
}

/** Which answers do not fit their question: unknown ids, text for a choice, indexes past the options. */
export function answerErrors(questions: QuizQuestion[], answers: { question_id: string; answer: GivenAnswer }[]) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const errors: { path: string; message: string }[] = [];
  answers.forEach((a, i) => {
    const q = byId.get(a.question_id);
    const path = `body.answers.${i}`;
    if (!q) return errors.push({ path: `${path}.question_id`, message: "is not a question of this quiz" });
    if (q.type === "short") {
      if (typeof a.answer !== "string") errors.push({ path: `${path}.answer`, message: "must be text for a short-answer question" });
      return;
    }
    if (typeof a.answer === "string") return errors.push({ path: `${path}.answer`, message: "must be option indexes for a choice question" });
    const chosen = typeof a.answer === "number" ? [a.answer] : a.answer;
    if (chosen.some((x) => x >= (q.options?.length ?? 0))) errors.push({ path: `${path}.answer`, message: "must be indexes of the question's options" });
    else if (q.type === "single" && chosen.length > 1) errors.push({ path: `${path}.answer`, message: "must choose one option" });
  });
  return errors;
}

export function grade(questions: QuizQuestion[], passMarkPercent: number, given: { question_id: string; answer: GivenAnswer }[]): Grade {
  const byId = new Map(given.map((a) => [a.question_id, a.answer]));
  const answers = questions.map((q): GradedAnswer => {
    const answer = byId.get(q.id);
    const correct = isCorrect(q, answer);
    const stored = answer === undefined ? (q.type === "short" ? "" : []) : typeof answer === "number" ? [answer] : answer;
    return { questionId: q.id, answer: stored, answered: answer !== undefined, correct, points: correct ? q.points : 0, maxPoints: q.points };
  });
  const scorePoints = answers.reduce((sum, a) => sum + a.points, 0);
  const maxPoints = answers.reduce((sum, a) => sum + a.maxPoints, 0);
  return {
    answers,
    scorePoints,
    maxPoints,
    // floored, so a shown 70.00 never belongs to a score short of a 70% pass mark
    scorePercent: maxPoints === 0 ? "0.00" : (Math.floor((10000 * scorePoints) / maxPoints) / 100).toFixed(2),
    passed: 100 * scorePoints >= passMarkPercent * maxPoints,
  };
}
