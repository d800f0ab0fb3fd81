import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { viewerOf } from "../tracks/viewer";
import { createCourse } from "./create-course";
import { deleteCourse } from "./delete-course";
import { enrol, leave } from "./enrollment";
import { getCourse } from "./get-course";
import { createLesson, deleteLesson, getLesson, reorderLessons, updateLesson } from "./lessons";
import { browseCourses, listEducatorCourses, listMyCourses, listTeaching } from "./list-courses";
import { serveCover, serveLessonMedia } from "./media";
import { recordProgress } from "./progress";
import * as r from "./routes";
import { courseStats } from "./stats";
import { updateCourse } from "./update-course";

/** For other domains (quizzes, certificates): who sees a course, as SQL. */
export { courseVisibleTo, enrolledIn, lessonAccessible, verifiedEducator } from "./course-view";

const viewer = (c: Parameters<typeof viewerOf>[0]) => viewerOf(c)?.userId ?? null;

/** Courses (spec §11): courses, lessons, enrolments, progress, the educator's aggregate statistics. */
export const courses = createRouter()
  .openapi(r.createCourseRoute, async (c) => c.json(await createCourse(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.browseRoute, async (c) => c.json(await browseCourses(c.var.db, viewer(c), c.req.valid("query")), 200))
  .openapi(r.myCoursesRoute, async (c) => c.json(await listMyCourses(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.teachingRoute, async (c) => c.json(await listTeaching(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.educatorCoursesRoute, async (c) =>
    c.json(await listEducatorCourses(c.var.db, c.req.valid("param").username, viewer(c), c.req.valid("query")), 200),
  )
  .openapi(r.getCourseRoute, async (c) => c.json(await getCourse(c.var.db, c.req.valid("param").id, viewer(c)), 200))
  .openapi(r.updateCourseRoute, async (c) => c.json(await updateCourse(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 200))
  .openapi(r.deleteCourseRoute, async (c) => {
    await deleteCourse(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.coverRoute, async (c) => (await serveCover(c, c.req.valid("param").id)) as never)
  .openapi(r.statsRoute, async (c) => c.json(await courseStats(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(r.createLessonRoute, async (c) => c.json(await createLesson(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.reorderRoute, async (c) =>
    c.json({ items: await reorderLessons(c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json").lesson_ids) }, 200),
  )
  .openapi(r.getLessonRoute, async (c) => {
    const { id, lessonId } = c.req.valid("param");
    return c.json(await getLesson(c.var.db, id, lessonId, viewer(c)), 200);
  })
  .openapi(r.updateLessonRoute, async (c) => {
    const { id, lessonId } = c.req.valid("param");
    return c.json(await updateLesson(c.var.db, id, lessonId, currentUser(c).userId, c.req.valid("json")), 200);
  })
  .openapi(r.deleteLessonRoute, async (c) => {
    const { id, lessonId } = c.req.valid("param");
    await deleteLesson(c.var.db, id, lessonId, currentUser(c).userId);
    return c.body(null, 204);
  })
  .openapi(r.lessonMediaRoute, async (c) => {
    const { id, lessonId } = c.req.valid("param");
    return (await serveLessonMedia(c, id, lessonId)) as never;
  })
  .openapi(r.progressRoute, async (c) => {
    const { id, lessonId } = c.req.valid("param");
    return c.json(await recordProgress(c.var.db, c.env, id, lessonId, currentUser(c).userId, c.req.valid("json")), 200);
  })
  .openapi(r.enrolRoute, async (c) => c.json(await enrol(c.var.db, c.req.valid("param").id, currentUser(c).userId), 200))
  .openapi(r.leaveRoute, async (c) => {
    await leave(c.var.db, c.req.valid("param").id, currentUser(c).userId);
    return c.body(null, 204);
  });
