import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { getQuiz, listCourseQuizzes } from "./get-quiz";
import { listMyAttempts } from "./list-attempts";
import { createQuiz, deleteQuiz, updateQuiz } from "./manage-quiz";
import { quizStats } from "./quiz-stats";
import * as r from "./routes";
import { submitAttempt } from "./submit-attempt";

/** Quizzes and graded attempts (spec §11.5, §11.6). */
export const quizzes = createRouter()
  .openapi(r.createQuizRoute, async (c) => c.json(await createQuiz(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.listCourseQuizzesRoute, async (c) => c.json(await listCourseQuizzes(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(r.getQuizRoute, async (c) => c.json(await getQuiz(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(r.updateQuizRoute, async (c) => c.json(await updateQuiz(c.var.db, c.env, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 200))
  .openapi(r.deleteQuizRoute, async (c) => {
    await deleteQuiz(c.var.db, c.env, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.submitAttemptRoute, async (c) =>
    c.json(await submitAttempt(c.var.db, c.env, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201),
  )
  .openapi(r.listAttemptsRoute, async (c) => c.json(await listMyAttempts(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.quizStatsRoute, async (c) => c.json(await quizStats(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200));
