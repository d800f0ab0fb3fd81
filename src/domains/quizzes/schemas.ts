import { z } from "@hono/zod-openapi";
import { normaliseAnswer } from "./grading";

/**
 * The shapes of quizzes and attempts (spec §11.5, §11.6), shared by routes, services and tests.
 * A question is stored in quizzes.questions exactly as the educator writes it here; `correct` holds
 * option indexes (single/multiple) or accepted answers (short) and only ever goes back to the
 * course's educator, or to a learner once the answers are revealed to them (see ANSWERS_REVEALED).
 */

export const QUESTION_TYPES = ["single", "multiple", "short"] as const;
export const MAX_QUESTIONS = 100;
export const MAX_OPTIONS = 20;
export const MAX_ACCEPTED = 20;
export const MAX_POINTS = 100;
export const MAX_ATTEMPTS_LIMIT = 100;
const MAX_SHORT_ANSWER = 500;

export const ANSWERS_REVEALED =
  "Correct answers are revealed to a learner once they have passed the quiz or have no attempts left; until then an attempt only says which questions were right.";

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const line = (max: number) => z.string().trim().min(1).max(max).refine((s) => noControl(s) && !/[\r\n]/.test(s), "must be one line of text");
const text = (max: number) => z.string().trim().min(1).max(max).refine(noControl, "must not contain control characters");
const distinct = <T>(values: T[]) => new Set(values).size === values.length;

const QuestionId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, - or _")
  .openapi({ description: "Unique within the quiz; answers name it", example: "q1" });
const Points = z.number().int().min(0).max(MAX_POINTS).default(1).openapi({ description: `0 to ${MAX_POINTS} whole points (default 1)` });
const Prompt = text(2000);
const Options = z
  .array(line(500))
  .min(2)
  .max(MAX_OPTIONS)
  .refine(distinct, "must not repeat an option")
  .openapi({ description: `2 to ${MAX_OPTIONS} distinct options` });
const OptionIndexes = z.array(z.number().int().min(0).max(MAX_OPTIONS - 1)).refine(distinct, "must not repeat an option");

const SingleQuestion = z.object({
  id: QuestionId,
  type: z.literal("single"),
  prompt: Prompt,
  options: Options,
  correct: OptionIndexes.length(1).openapi({ description: "The index (0-based) of the one correct option, as [i]" }),
  points: Points,
});
const MultipleQuestion = z.object({
  id: QuestionId,
  type: z.literal("multiple"),
  prompt: Prompt,
  options: Options,
  correct: OptionIndexes.min(1).openapi({ description: "The indexes (0-based) of every correct option; an answer must name exactly this set" }),
  points: Points,
});
const ShortQuestion = z.object({
  id: QuestionId,
  type: z.literal("short"),
  prompt: Prompt,
  correct: z
    .array(line(MAX_SHORT_ANSWER).refine((s) => normaliseAnswer(s) !== "", "must contain letters or digits"))
    .min(1)
    .max(MAX_ACCEPTED)
    .openapi({ description: "Accepted answers, matched ignoring case, accents and spacing" }),
  points: Points,
});

/** Every correct index points at an option. */
const indexesWithinOptions = (q: { options: string[]; correct: number[] }) => q.correct.every((i) => i < q.options.length);

export const QuestionSchema = z
  .discriminatedUnion("type", [
    SingleQuestion.strict().refine(indexesWithinOptions, { message: "must be the index of one of the options", path: ["correct"] }),
    MultipleQuestion.strict().refine(indexesWithinOptions, { message: "must be indexes of the options", path: ["correct"] }),
    ShortQuestion.strict(),
  ])
  .openapi("QuizQuestion");
export type Question = z.infer<typeof QuestionSchema>;

const Questions = z
  .array(QuestionSchema)
  .min(1)
  .max(MAX_QUESTIONS)
  .superRefine((questions, ctx) => {
    const seen = new Set<string>();
    questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: "custom", message: "must be unique within the quiz", path: [i, "id"] });
      seen.add(q.id);
    });
    if (questions.every((q) => q.points === 0)) ctx.addIssue({ code: "custom", message: "at least one question must be worth points" });
  })
  .openapi({ description: `1 to ${MAX_QUESTIONS} questions: single (one correct option), multiple (a set of correct options, all or nothing), short (typed text)` });

const quizFields = {
  lesson_id: z.uuid().nullable().openapi({ description: "A lesson of this course, or null for a course-level quiz" }),
  title: line(255),
  description: text(5000).nullable(),
  questions: Questions,
  pass_mark_percent: z.number().int().min(0).max(100).openapi({ description: "The score (percent of the points) that passes" }),
  max_attempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT).nullable().openapi({ description: "Attempts allowed per learner; null = unlimited" }),
  is_required: z.boolean().openapi({ description: "Must be passed for the course's certificate" }),
};

export const CreateQuizSchema = z
  .object({
    ...quizFields,
    lesson_id: quizFields.lesson_id.default(null),
    description: quizFields.description.default(null),
    pass_mark_percent: quizFields.pass_mark_percent.default(70),
    max_attempts: quizFields.max_attempts.default(null),
    is_required: quizFields.is_required.default(true),
  })
  .strict()
  .openapi("CreateQuiz");
export type CreateQuiz = z.infer<typeof CreateQuizSchema>;

export const UpdateQuizSchema = z
  .object(quizFields)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, "must change at least one field")
  .openapi("UpdateQuiz");
export type UpdateQuiz = z.infer<typeof UpdateQuizSchema>;

/** An answer: [i] (or i) for single, [i, j, …] for multiple, text for short. */
const AnswerValue = z.union([
  z.number().int().min(0).max(MAX_OPTIONS - 1),
  z.array(z.number().int().min(0).max(MAX_OPTIONS - 1)).max(MAX_OPTIONS).refine(distinct, "must not repeat an option"),
  z.string().max(MAX_SHORT_ANSWER),
]);
export const SubmitAttemptSchema = z
  .object({
    answers: z
      .array(z.object({ question_id: QuestionId, answer: AnswerValue }).strict())
      .max(MAX_QUESTIONS)
      .refine((answers) => distinct(answers.map((a) => a.question_id)), "must answer each question at most once")
      .openapi({ description: "One per question answered; a question left out counts as wrong" }),
  })
  .strict()
  .openapi("SubmitQuizAttempt");
export type SubmitAttempt = z.infer<typeof SubmitAttemptSchema>;

export const QuizIdParamSchema = z.object({ id: z.uuid() });
export const CourseIdParamSchema = z.object({ id: z.uuid() });

export const AttemptListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page" }),
});

const QuizQuestionViewSchema = z
  .object({
    id: z.string(),
    type: z.enum(QUESTION_TYPES),
    prompt: z.string(),
    options: z.array(z.string()).optional(),
    points: z.number().int(),
    correct: z.union([z.array(z.number().int()), z.array(z.string())]).optional().openapi({ description: "Only for the educator, or once revealed to the learner" }),
  })
  .openapi("QuizQuestionView");

const MyQuizStateSchema = z
  .object({
    attempts_used: z.number().int(),
    attempts_left: z.number().int().nullable().openapi({ description: "null = unlimited" }),
    best_score_percent: z.string().nullable(),
    passed: z.boolean(),
    answers_revealed: z.boolean(),
  })
  .openapi("MyQuizState");

export const QuizSchema = z
  .object({
    id: z.uuid(),
    course_id: z.uuid(),
    lesson_id: z.uuid().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    pass_mark_percent: z.number().int(),
    max_attempts: z.number().int().nullable(),
    is_required: z.boolean(),
    question_count: z.number().int(),
    total_points: z.number().int(),
    questions: z.array(QuizQuestionViewSchema),
    viewer: z.enum(["educator", "learner"]),
    my: MyQuizStateSchema.nullable().openapi({ description: "The learner's own attempts so far (null for the educator)" }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("Quiz");
export type QuizView = z.infer<typeof QuizSchema>;

export const QuizListSchema = z.object({ items: z.array(QuizSchema) }).openapi("QuizList");

const QuestionResultSchema = z
  .object({
    question_id: z.string(),
    answered: z.boolean(),
    correct: z.boolean(),
    points_awarded: z.number().int(),
    points: z.number().int(),
    correct_answer: z.union([z.array(z.number().int()), z.array(z.string())]).optional().openapi({ description: ANSWERS_REVEALED }),
  })
  .openapi("QuizQuestionResult");

export const AttemptSchema = z
  .object({
    id: z.uuid(),
    quiz_id: z.uuid(),
    attempt_number: z.number().int(),
    status: z.literal("graded"),
    score_points: z.string(),
    max_points: z.string(),
    score_percent: z.string(),
    passed: z.boolean(),
    submitted_at: timestamp,
    results: z.array(QuestionResultSchema),
    attempts_left: z.number().int().nullable(),
    answers_revealed: z.boolean(),
    certificate: z
      .object({ code: z.string(), verification_url: z.string() })
      .nullable()
      .optional()
      .openapi({ description: "On the attempt that completed the course: the certificate just issued" }),
  })
  .openapi("QuizAttempt");
export type AttemptView = z.infer<typeof AttemptSchema>;

export const AttemptListSchema = z.object({ items: z.array(AttemptSchema), next_cursor: z.string().nullable() }).openapi("QuizAttemptList");

export const QuizStatsSchema = z
  .object({
    quiz_id: z.uuid(),
    attempt_count: z.number().int(),
    learner_count: z.number().int(),
    passed_learner_count: z.number().int(),
    pass_rate_percent: z.string().nullable().openapi({ description: "Learners who passed / learners who attempted" }),
    average_score_percent: z.string().nullable().openapi({ description: "Over every graded attempt" }),
    questions: z
      .array(z.object({ question_id: z.string(), attempt_count: z.number().int(), correct_rate_percent: z.string().nullable() }))
      .openapi({ description: "Per current question: the graded attempts that included it and the share answered correctly" }),
  })
  .openapi("QuizStats");
export type QuizStats = z.infer<typeof QuizStatsSchema>;
