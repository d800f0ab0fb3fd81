import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { exportKey } from "../../src/domains/gdpr/export-link";
import { api, type SignedInUser } from "../helpers/auth";
import { capturingQueue, consume } from "../gdpr/helpers";
import { educator, enrolled, progress, publishedCourse } from "./fixtures";

/** Runs an Art. 20 export of `user` through its route and job; resolves to the archive written to R2. */
async function exportOf(user: SignedInUser) {
  const jobs = capturingQueue();
  expect((await api("POST", "/v1/me/export", { headers: user.headers, bindings: { JOBS_QUEUE: jobs.queue } })).status).toBe(202);
  const mails = capturingQueue();
  await consume(jobs.sent as never, { JOBS_QUEUE: mails.queue });
  const path = mails.sent.map((m) => /\/v1\/me\/exports\/([^?\s"<]+)/.exec(String(m.text))?.[1]).find(Boolean)!;
  return JSON.parse(await (await env.MEDIA.get(exportKey(user.id, path)))!.text());
}

describe("courses in the GDPR export", () => {
  it("gives the educator their courses with the lessons they wrote, and the learner their enrolment and progress", async () => {
    const mira = await educator();
    const sam = await educator();
    const { course, lessons } = await publishedCourse(mira, {}, 2);
    await enrolled(sam, course.id);
    await progress(sam, course.id, lessons[0].id, { completed: true });

    const taught = await exportOf(mira);
    expect(taught.courses_created).toEqual([
      expect.objectContaining({ id: course.id, title: course.title, lessons: lessons.map((l: { id: string }) => expect.objectContaining({ id: l.id, content: "# Read me" })), quizzes: [] }),
    ]);
    expect(taught.course_enrollments).toEqual([]);

    const learnt = await exportOf(sam);
    expect(learnt.course_enrollments).toEqual([expect.objectContaining({ course_id: course.id, progress_percent: 50, status: "active" })]);
    expect(learnt.lesson_progress).toEqual([expect.objectContaining({ lesson_id: lessons[0].id, status: "completed" })]);
    expect(learnt.courses_created).toEqual([]);
  });
});
