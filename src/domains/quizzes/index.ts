import { createRouter } from "../../lib/router";

/** Quizzes and graded attempts (spec §11.5, §11.6). */
export const quizzes = createRouter();
