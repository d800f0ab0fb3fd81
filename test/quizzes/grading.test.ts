import { describe, expect, it } from "vitest";
import { normaliseAnswer } from "../../src/domains/quizzes/grading";
import { classroom, submit } from "./fixtures";

const results = (body: { results: { question_id: string; correct: boolean }[] }) => Object.fromEntries(body.results.map((r) => [r.question_id, r.correct]));

describe("grading", () => {
  it("single: exactly the correct option, as [i] or i", async () => {
    const { learner, quizId } = await classroom();
    expect(results((await submit(learner, quizId, [{ question_id: "q1", answer: [1] }])).body).q1).toBe(true);
    expect(results((await submit(learner, quizId, [{ question_id: "q1", answer: 1 }])).body).q1).toBe(true);
    expect(results((await submit(learner, quizId, [{ question_id: "q1", answer: [0] }])).body).q1).toBe(false);
    // two options to a single-choice question is not an answer
    expect((await submit(learner, quizId, [{ question_id: "q1", answer: [1, 2] }])).status).toBe(422);
  });

  it("multiple: the exact set of correct options, in any order; no partial credit", async () => {
    const { learner, quizId } = await classroom();
    const q2 = async (answer: number[]) => (await submit(learner, quizId, [{ question_id: "q2", answer }])).body;
    expect(results(await q2([2, 0])).q2).toBe(true);
    const partial = await q2([0]);
    expect(results(partial).q2).toBe(false);
    expect(partial.results.find((r: { question_id: string }) => r.question_id === "q2").points_awarded).toBe(0);
    expect(results(await q2([0, 1, 2])).q2).toBe(false);
    expect(results(await q2([0, 1, 2, 3])).q2).toBe(false);
    expect(results(await q2([])).q2).toBe(false);
  });

  it("short: case, accents, spacing and outer punctuation do not matter; any accepted answer counts", async () => {
    const { learner, quizId } = await classroom({
      questions: [{ id: "s", type: "short", prompt: "Où est la clé ?", correct: ["Clé de sol", "treble clef"] }],
    });
    for (const [answer, correct] of [
      ["clé de sol", true],
      ["  CLE   DE  SOL. ", true],
      ["Clé\tde\nsol", true],
      ["Treble Clef!", true],
      ["clé de fa", false],
      ["", false],
      ["   ", false],
    ] as const) {
      const res = await submit(learner, quizId, [{ question_id: "s", answer }]);
      expect(res.status).toBe(201);
      expect(res.body.results[0].correct, JSON.stringify(answer)).toBe(correct);
    }
    expect(normaliseAnswer("  Ça   VA! ")).toBe("ca va");
    expect(normaliseAnswer("Ｆｕｌｌ ｗｉｄｔｈ")).toBe("full width");
  });

  it("scores points, percent (floored to 2 decimals) and pass against the pass mark; skipped questions are wrong", async () => {
    const { learner, quizId } = await classroom({ pass_mark_percent: 75 });
    // q1 (1) + q3 (1) right, q2 (2) skipped: 2 / 4 = 50%
    const half = await submit(learner, quizId, [{ question_id: "q1", answer: [1] }, { question_id: "q3", answer: "cresc." }]);
    expect(half.status).toBe(201);
    expect(half.body).toMatchObject({ score_points: "2.00", max_points: "4.00", score_percent: "50.00", passed: false, attempt_number: 1 });
    expect(half.body.results).toEqual([
      { question_id: "q1", answered: true, correct: true, points_awarded: 1, points: 1 },
      { question_id: "q2", answered: false, correct: false, points_awarded: 0, points: 2 },
      { question_id: "q3", answered: true, correct: true, points_awarded: 1, points: 1 },
    ]);
    // exactly the pass mark passes: 3 / 4 = 75%
    const pass = await submit(learner, quizId, [{ question_id: "q2", answer: [0, 2] }, { question_id: "q3", answer: "Crescendo" }]);
    expect(pass.body).toMatchObject({ score_percent: "75.00", passed: true, attempt_number: 2 });

    const { learner: other, quizId: thirds } = await classroom({
      pass_mark_percent: 67,
      questions: [
        { id: "a", type: "single", prompt: "a", options: ["x", "y"], correct: [0] },
        { id: "b", type: "single", prompt: "b", options: ["x", "y"], correct: [0] },
        { id: "c", type: "single", prompt: "c", options: ["x", "y"], correct: [0] },
      ],
    });
    const twoThirds = await submit(other, thirds, [{ question_id: "a", answer: 0 }, { question_id: "b", answer: 0 }]);
    expect(twoThirds.body).toMatchObject({ score_percent: "66.66", passed: false });
  });

  it("answers that do not fit their question are a 422, not a wrong answer", async () => {
    const { learner, quizId } = await classroom();
    const bad = [
      [{ question_id: "nope", answer: [0] }],
      [{ question_id: "q1", answer: "3/4" }],
      [{ question_id: "q3", answer: [0] }],
      [{ question_id: "q1", answer: [3] }],
      [{ question_id: "q1", answer: [1] }, { question_id: "q1", answer: [1] }],
      [{ question_id: "q2", answer: [0, 0] }],
      [{ question_id: "q3", answer: "x".repeat(501) }],
      [{ question_id: "q1", answer: [1], extra: true }],
    ];
    for (const answers of bad) {
      const res = await submit(learner, quizId, answers);
      expect(res.status, JSON.stringify(answers)).toBe(422);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect((await submit(learner, quizId, [])).status).toBe(201);
  });
});
