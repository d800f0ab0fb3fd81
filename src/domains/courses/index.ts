import { createRouter } from "../../lib/router";

/** Courses (spec §11): courses, lessons, enrolments, progress. */
export const courses = createRouter();
