import { expect } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";

/** Fixtures of the courses' tests: courses and lessons through the API, roles and blocks straight in the tables. */

export { banUser, imageFile, makeFile, ramp, softDeleteUser } from "../tracks/fixtures";

/** A signed-in user holding a verified educator role. */
export async function educator(): Promise<SignedInUser> {
  const user = await signedInUser();
  await sql.query("INSERT INTO user_roles (user_id, role, verified, verified_at) VALUES ($1, 'educator', true, now())", [user.id]);
  return user;
}

export const createCourse = (user: SignedInUser, body: Record<string, unknown> = {}) =>
  api("POST", "/v1/courses", { body: { title: `Cello basics ${uniq()}`, description: "Bowing, posture, first scales.", ...body }, headers: user.headers });

/** A draft course that must be created; resolves to its JSON. */
export async function draftCourse(user: SignedInUser, body: Record<string, unknown> = {}) {
  const res = await createCourse(user, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export const patchCourse = (user: SignedInUser, courseId: string, body: Record<string, unknown>) =>
  api("PATCH", `/v1/courses/${courseId}`, { body, headers: user.headers });

export async function addLesson(user: SignedInUser, courseId: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", `/v1/courses/${courseId}/lessons`, { body: { title: `Lesson ${uniq()}`, content: "# Read me", ...body }, headers: user.headers });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** A published course with `lessons` text lessons; resolves to {course, lessons}. */
export async function publishedCourse(user: SignedInUser, body: Record<string, unknown> = {}, lessons = 2) {
  const course = await draftCourse(user, body);
  const made = [];
  for (let i = 0; i < lessons; i++) made.push(await addLesson(user, course.id, { title: `Lesson ${i + 1}` }));
  const res = await patchCourse(user, course.id, { status: "published" });
  expect(res.status, res.text).toBe(200);
  return { course: res.body, lessons: made };
}

export const enrol = (user: SignedInUser, courseId: string) => api("POST", `/v1/courses/${courseId}/enrollment`, { headers: user.headers });

export async function enrolled(user: SignedInUser, courseId: string) {
  const res = await enrol(user, courseId);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

export const progress = (user: SignedInUser, courseId: string, lessonId: string, body: Record<string, unknown>) =>
  api("PUT", `/v1/courses/${courseId}/lessons/${lessonId}/progress`, { body, headers: user.headers });

export const page = (user: SignedInUser | null, ref: string) => api("GET", `/v1/courses/${ref}`, { headers: user?.headers ?? {} });

export const block = (blocker: { id: string }, blocked: { id: string }) =>
  sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blocker.id, blocked.id]);
