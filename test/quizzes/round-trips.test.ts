import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { issueCertificate, pendingCertificateQuery } from "../../src/domains/certificates/issue";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { unique } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { ALL_RIGHT, ALL_WRONG, classroom, completeLessons, QUESTIONS } from "./fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  const json = (await response.json().catch(() => null)) as Record<string, any> | null;
  return { status: response.status, roundTrips, body: json };
}
const rt = (r: { status: number; roundTrips: number }) => ({ status: r.status, roundTrips: r.roundTrips });

describe("quizzes' and certificates' database round trips", () => {
  it("reads and educator writes are one round trip, an attempt two (with the certificate it earns)", async () => {
    const { educator, learner, course, quizId } = await classroom({ max_attempts: 3 });
    const stranger = await signedInUser();
    const created = await roundTrips(educator, "POST", `/v1/courses/${course.id}/quizzes`, { title: "RT", questions: QUESTIONS });
    expect(rt(created)).toEqual({ status: 201, roundTrips: 1 });
    const other = created.body!.id as string;
    expect(rt(await roundTrips(educator, "POST", `/v1/courses/${course.id}/quizzes`, { title: "RT", questions: QUESTIONS, lesson_id: "00000000-0000-4000-8000-000000000000" }))).toEqual({ status: 422, roundTrips: 1 });
    expect(rt(await roundTrips(stranger, "POST", `/v1/courses/${course.id}/quizzes`, { title: "RT", questions: QUESTIONS }))).toEqual({ status: 403, roundTrips: 1 });
    expect(rt(await roundTrips(educator, "PATCH", `/v1/quizzes/${other}`, { title: "RT2" }))).toEqual({ status: 200, roundTrips: 1 });
    expect(rt(await roundTrips(educator, "DELETE", `/v1/quizzes/${other}`))).toEqual({ status: 204, roundTrips: 1 });
    expect(rt(await roundTrips(learner, "GET", `/v1/quizzes/${quizId}`))).toEqual({ status: 200, roundTrips: 1 });
    expect(rt(await roundTrips(stranger, "GET", `/v1/quizzes/${quizId}`))).toEqual({ status: 403, roundTrips: 1 });
    expect(rt(await roundTrips(learner, "GET", `/v1/courses/${course.id}/quizzes`))).toEqual({ status: 200, roundTrips: 1 });

    expect(rt(await roundTrips(learner, "POST", `/v1/quizzes/${quizId}/attempts`, { answers: ALL_WRONG }))).toEqual({ status: 201, roundTrips: 2 });
    expect(rt(await roundTrips(learner, "POST", `/v1/quizzes/${quizId}/attempts`, { answers: [{ question_id: "zz", answer: "x" }] }))).toEqual({ status: 422, roundTrips: 1 });
    expect(rt(await roundTrips(stranger, "POST", `/v1/quizzes/${quizId}/attempts`, { answers: ALL_WRONG }))).toEqual({ status: 403, roundTrips: 1 });
    await completeLessons(learner.id, course.id, course.lessons);
    const completing = await roundTrips(learner, "POST", `/v1/quizzes/${quizId}/attempts`, { answers: ALL_RIGHT });
    expect(rt(completing)).toEqual({ status: 201, roundTrips: 2 });
    const code = completing.body!.certificate.code as string;
    expect(rt(await roundTrips(learner, "POST", `/v1/quizzes/${quizId}/attempts`, { answers: ALL_WRONG }))).toEqual({ status: 201, roundTrips: 2 });
    expect(rt(await roundTrips(learner, "POST", `/v1/quizzes/${quizId}/attempts`, { answers: ALL_WRONG }))).toEqual({ status: 409, roundTrips: 1 });

    expect(rt(await roundTrips(learner, "GET", `/v1/quizzes/${quizId}/attempts`))).toEqual({ status: 200, roundTrips: 1 });
    expect(rt(await roundTrips(educator, "GET", `/v1/quizzes/${quizId}/stats`))).toEqual({ status: 200, roundTrips: 1 });

    expect(rt(await roundTrips(null, "GET", `/v1/certificates/${code}`))).toEqual({ status: 200, roundTrips: 1 });
    expect(rt(await roundTrips(null, "GET", `/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA`))).toEqual({ status: 404, roundTrips: 1 });
    expect(rt(await roundTrips(null, "GET", "/v1/certificates/keys"))).toEqual({ status: 200, roundTrips: 0 });
    expect(rt(await roundTrips(learner, "GET", "/v1/me/certificates"))).toEqual({ status: 200, roundTrips: 1 });
    expect(rt(await roundTrips(educator, "POST", `/v1/certificates/${code}/revoke`, { reason: "RT" }))).toEqual({ status: 200, roundTrips: 1 });
  });

  it("issueCertificate is one round trip; the pending query rides in the caller's batch", async () => {
    const { learner, course, quizId } = await classroom();
    await api("POST", `/v1/quizzes/${quizId}/attempts`, { headers: learner.headers, body: { answers: ALL_RIGHT } });
    await completeLessons(learner.id, course.id, course.lessons);
    const tag = `rt_${unique()}`;
    const url = new URL(env.DATABASE_URL);
    url.username = tag;
    const db = createDb({ DATABASE_URL: url.toString() });
    const [pending] = (await pendingCertificateQuery(db, learner.id, course.id)).rows;
    const issued = await issueCertificate(db, env, pending!);
    expect(issued).toMatchObject({ verified: true, status: "valid" });
    const stats = (await (await fetch(`http://${url.host}/stats?tag=${tag}`)).json()) as { requests: number };
    expect(stats.requests).toBe(2); // the pending read (here on its own) + the issue
  });
});
