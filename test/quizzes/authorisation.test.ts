import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly } from "../helpers/authorisation";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { ALL_RIGHT, ALL_WRONG, classroom, createQuiz, enrol, makeCourse, QUESTIONS, submit } from "./fixtures";

describe("who may use quizzes", () => {
  it("every route refuses anonymous (401), banned (403) and deleted (401) callers, changing nothing", async () => {
    const { course, quizId } = await classroom();
    await expectSignedInOnly([
      ["POST", `/v1/courses/${course.id}/quizzes`, { title: "Q", questions: QUESTIONS }],
      ["GET", `/v1/courses/${course.id}/quizzes`],
      ["GET", `/v1/quizzes/${quizId}`],
      ["PATCH", `/v1/quizzes/${quizId}`, { title: "x" }],
      ["DELETE", `/v1/quizzes/${quizId}`],
      ["POST", `/v1/quizzes/${quizId}/attempts`, { answers: ALL_RIGHT }],
      ["GET", `/v1/quizzes/${quizId}/attempts`],
      ["GET", `/v1/quizzes/${quizId}/stats`],
      ["GET", "/v1/me/certificates"],
      ["POST", "/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA/revoke", { reason: "x" }],
    ]);
    expect((await sql.query(`SELECT count(*)::int AS n FROM quizzes WHERE course_id = $1`, [course.id]))[0]!.n).toBe(1);
    expect((await sql.query(`SELECT count(*)::int AS n FROM quiz_attempts WHERE quiz_id = $1`, [quizId]))[0]!.n).toBe(0);
  });

  it("a banned or deleted learner, though enrolled, is refused", async () => {
    const { course, quizId } = await classroom();
    const [banned, deleted] = [await signedInUser(), await signedInUser()];
    await enrol(course.id, banned.id);
    await enrol(course.id, deleted.id);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    expect((await submit(banned, quizId, ALL_RIGHT)).status).toBe(403);
    expect((await submit(deleted, quizId, ALL_RIGHT)).status).toBe(401);
    expect((await sql.query(`SELECT 1 FROM quiz_attempts WHERE quiz_id = $1`, [quizId])).length).toBe(0);
  });

  it("not enrolled: 403 on a published course (enrol first), 404 on a draft; nothing written", async () => {
    const { quizId, course } = await classroom();
    const stranger = await signedInUser();
    for (const [method, path, body] of [
      ["GET", `/v1/quizzes/${quizId}`],
      ["GET", `/v1/courses/${course.id}/quizzes`],
      ["POST", `/v1/quizzes/${quizId}/attempts`, { answers: ALL_RIGHT }],
      ["GET", `/v1/quizzes/${quizId}/attempts`],
    ] as const) {
      const res = await api(method, path, { headers: stranger.headers, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain("crescendo");
    }
    const educator = await signedInUser();
    const draft = await makeCourse(educator.id, { status: "draft" });
    const hidden = await createQuiz(educator, draft.id);
    expect((await api("GET", `/v1/quizzes/${hidden.id}`, { headers: stranger.headers })).status).toBe(404);
    expect((await submit(stranger, hidden.id, ALL_RIGHT)).status).toBe(404);
    expect((await api("GET", `/v1/courses/${draft.id}/quizzes`, { headers: stranger.headers })).status).toBe(404);
    expect((await sql.query(`SELECT 1 FROM quiz_attempts WHERE user_id = $1`, [stranger.id])).length).toBe(0);
  });

  it("cancelled or refunded enrolments lose access; completed ones keep it; a deleted course is gone", async () => {
    const { quizId, course } = await classroom();
    const [cancelled, refunded, completed] = [await signedInUser(), await signedInUser(), await signedInUser()];
    await enrol(course.id, cancelled.id, "cancelled");
    await enrol(course.id, refunded.id, "refunded");
    await enrol(course.id, completed.id, "completed");
    expect((await submit(cancelled, quizId, ALL_RIGHT)).status).toBe(403);
    expect((await submit(refunded, quizId, ALL_RIGHT)).status).toBe(403);
    expect((await submit(completed, quizId, ALL_WRONG)).status).toBe(201);
    await sql.query(`UPDATE courses SET deleted_at = now() WHERE id = $1`, [course.id]);
    expect((await submit(completed, quizId, ALL_WRONG)).status).toBe(404);
    expect((await api("GET", `/v1/quizzes/${quizId}`, { headers: completed.headers })).status).toBe(404);
  });

  it("an enrolled learner loses the quiz when its educator is banned or deleted, or a block stands either way", async () => {
    for (const cut of ["ban", "delete", "educator blocks", "learner blocks"] as const) {
      const { educator, learner, quizId } = await classroom();
      if (cut === "ban") await banUser(educator.id);
      if (cut === "delete") await softDeleteUser(educator.id);
      if (cut === "educator blocks") await sql.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [educator.id, learner.id]);
      if (cut === "learner blocks") await sql.query(`INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)`, [learner.id, educator.id]);
      expect((await api("GET", `/v1/quizzes/${quizId}`, { headers: learner.headers })).status, cut).toBe(404);
      expect((await submit(learner, quizId, ALL_RIGHT)).status, cut).toBe(404);
    }
  });

  it("the educator manages but does not take their own quiz", async () => {
    const { educator, quizId } = await classroom();
    expect((await submit(educator, quizId, ALL_RIGHT)).status).toBe(403);
  });

  it("another learner never sees my attempts; unknown quiz is 404", async () => {
    const { quizId, learner, course } = await classroom();
    const other = await signedInUser();
    await enrol(course.id, other.id);
    await submit(learner, quizId, ALL_RIGHT);
    const theirs = await api("GET", `/v1/quizzes/${quizId}/attempts`, { headers: other.headers });
    expect(theirs.body.items).toEqual([]);
    expect((await api("GET", `/v1/quizzes/${quizId}`, { headers: other.headers })).body.my.attempts_used).toBe(0);
    expect((await api("GET", "/v1/quizzes/00000000-0000-4000-8000-000000000000", { headers: other.headers })).status).toBe(404);
    expect((await api("GET", "/v1/quizzes/not-a-uuid", { headers: other.headers })).status).toBe(422);
  });
});
