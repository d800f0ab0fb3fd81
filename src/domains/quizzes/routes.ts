import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import { signedIn, jsonBody } from "../products/responses";
import {
  ANSWERS_REVEALED,
  AttemptListQuerySchema,
  AttemptListSchema,
  AttemptSchema,
  CourseIdParamSchema,
  CreateQuizSchema,
  QuizIdParamSchema,
  QuizListSchema,
  QuizSchema,
  QuizStatsSchema,
  SubmitAttemptSchema,
  UpdateQuizSchema,
} from "./schemas";

const tags = ["Quizzes"];

const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent)"),
  403: problem("A banned account; not enrolled in the course (published courses); not the course's educator"),
  404: problem("No such quiz or course, or one you cannot see"),
  409: problem("No attempts left; another attempt submitted at the same time; the quiz changed while you answered"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
} as const;
const readErrors = { 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] };

export const WHO =
  "A quiz is seen by its course's educator (with the answers) and by learners enrolled in the course (active or completed), without the answers. Others get 403 on a published course (enrol first), 404 otherwise.";

export const createQuizRoute = createRoute({
  method: "post",
  path: "/v1/courses/{id}/quizzes",
  tags,
  summary: "Add a quiz to a course (its educator)",
  description:
    "A lesson quiz (lesson_id, a lesson of this course) or a course-level one (lesson_id null). Questions: single (options, correct = [the index]), multiple (options, correct = every correct index; answers are all or nothing), short (correct = accepted answers, matched ignoring case, accents and spacing); ids unique in the quiz. A required quiz (default) must be passed for the certificate. One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "quizzes")] as const,
  request: { params: CourseIdParamSchema, body: jsonBody(CreateQuizSchema) },
  responses: { 201: json("The quiz, with its answers", QuizSchema), ...readErrors, 429: problems[429] },
});

export const listCourseQuizzesRoute = createRoute({
  method: "get",
  path: "/v1/courses/{id}/quizzes",
  tags,
  summary: "A course's quizzes",
  description: `In course order (lesson quizzes by lesson position, then course-level ones), each with your own standing (\`my\`). ${WHO} ${ANSWERS_REVEALED} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: CourseIdParamSchema },
  responses: { 200: json("The quizzes", QuizListSchema), ...readErrors },
});

export const getQuizRoute = createRoute({
  method: "get",
  path: "/v1/quizzes/{id}",
  tags,
  summary: "A quiz",
  description: `${WHO} ${ANSWERS_REVEALED} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: QuizIdParamSchema },
  responses: { 200: json("The quiz", QuizSchema), ...readErrors },
});

export const updateQuizRoute = createRoute({
  method: "patch",
  path: "/v1/quizzes/{id}",
  tags,
  summary: "Edit a quiz (its course's educator)",
  description:
    "Any field, including the questions once learners have attempted it: past attempts keep the grade and pass they were given; new attempts are graded against the quiz as it now is. Making a required quiz optional issues the certificates of learners it was the last thing missing for. One database round trip (a second only to issue those certificates).",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "quizzes")] as const,
  request: { params: QuizIdParamSchema, body: jsonBody(UpdateQuizSchema) },
  responses: { 200: json("The quiz as edited", QuizSchema), ...readErrors, 429: problems[429] },
});

export const deleteQuizRoute = createRoute({
  method: "delete",
  path: "/v1/quizzes/{id}",
  tags,
  summary: "Delete a quiz (its course's educator)",
  description:
    "Its attempts go with it; certificates already issued are kept. Deleting a required quiz issues the certificates of learners it was the last thing missing for. One database round trip (a second only to issue those certificates).",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: QuizIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...readErrors },
});

export const submitAttemptRoute = createRoute({
  method: "post",
  path: "/v1/quizzes/{id}/attempts",
  tags,
  summary: "Answer a quiz (an enrolled learner)",
  description: `Graded at once: score, passed (score ≥ pass mark) and, per question, whether it was right. ${ANSWERS_REVEALED} Beyond max_attempts: 409. When this pass completes the course (every lesson done, every required quiz passed) the certificate is issued in the same write and named in \`certificate\`. Two database round trips.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "quiz-attempts")] as const,
  request: { params: QuizIdParamSchema, body: jsonBody(SubmitAttemptSchema) },
  responses: { 201: json("The graded attempt", AttemptSchema), ...readErrors, 409: problems[409], 429: problems[429] },
});

export const listAttemptsRoute = createRoute({
  method: "get",
  path: "/v1/quizzes/{id}/attempts",
  tags,
  summary: "My attempts of a quiz",
  description: `Your own graded attempts, newest first, by cursor; nobody else's (educators have the aggregate stats). ${ANSWERS_REVEALED} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: QuizIdParamSchema, query: AttemptListQuerySchema },
  responses: { 200: json("A page of attempts", AttemptListSchema), ...readErrors },
});

export const quizStatsRoute = createRoute({
  method: "get",
  path: "/v1/quizzes/{id}/stats",
  tags,
  summary: "A quiz's results in aggregate (its course's educator)",
  description: "Attempts, learners, pass rate, average score, and per question the share answered correctly; never a learner's own rows. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: QuizIdParamSchema },
  responses: { 200: json("The statistics", QuizStatsSchema), ...readErrors },
});
