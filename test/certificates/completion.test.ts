import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { ALL_RIGHT, ALL_WRONG, completeLessons, createQuiz, enrol, makeCourse, submit } from "../quizzes/fixtures";

/** A learner enrolled in a published two-lesson course with a required course-level quiz of one attempt… */
async function courseWithRequiredQuiz() {
  const [educator, learner] = await Promise.all([signedInUser(), signedInUser()]);
  await sql.query(`UPDATE users SET display_name = 'Dr. Ada Lovelace' WHERE id = $1`, [educator.id]);
  await sql.query(`UPDATE users SET display_name = 'Élodie Martin' WHERE id = $1`, [learner.id]);
  const course = await makeCourse(educator.id, { title: "Harmony 101" });
  await enrol(course.id, learner.id);
  const required = await createQuiz(educator, course.id, { max_attempts: 2 });
  const optional = await createQuiz(educator, course.id, { lesson_id: course.lessons[0], is_required: false });
  return { educator, learner, course, required: required.id, optional: optional.id };
}

describe("a learner completes a course and receives a certificate", () => {
  it("lessons done + required quiz passed -> one certificate that verifies online and offline", async () => {
    const { educator, learner, course, required, optional } = await courseWithRequiredQuiz();

    // passing the quiz first does not complete the course: a lesson is still open
    await completeLessons(learner.id, course.id, course.lessons.slice(0, 1));
    const failed = await submit(learner, required, ALL_WRONG);
    expect(failed.status).toBe(201);
    expect(failed.body.certificate).toBeNull();
    const early = await submit(learner, required, ALL_RIGHT);
    expect(early.body).toMatchObject({ passed: true, certificate: null });
    expect((await api("GET", "/v1/me/certificates", { headers: learner.headers })).body.items).toEqual([]);

    // the last lesson completes it; the certificate is issued by the contract the progress write calls
    await completeLessons(learner.id, course.id, course.lessons.slice(1));
    const { pendingCertificateQuery, issueCertificate } = await import("../../src/domains/certificates/issue");
    const { createDb } = await import("../../src/db/client");
    const { env } = await import("cloudflare:workers");
    const db = createDb(env);
    const [pending] = (await pendingCertificateQuery(db, learner.id, course.id)).rows;
    expect(pending).toEqual({ course_id: course.id, user_id: learner.id, course_title: "Harmony 101", learner_name: "Élodie Martin", educator_name: "Dr. Ada Lovelace" });
    const issued = await issueCertificate(db, env, pending!);
    expect(issued).toMatchObject({ status: "valid", verified: true, course_title: "Harmony 101" });
    // a second call (a concurrent completion) issues nothing more
    expect(await issueCertificate(db, env, pending!)).toBeNull();
    expect((await pendingCertificateQuery(db, learner.id, course.id)).rows).toEqual([]);

    const enrolment = await sql.query(`SELECT status, completed_at IS NOT NULL AS done FROM course_enrollments WHERE course_id = $1 AND user_id = $2`, [course.id, learner.id]);
    expect(enrolment).toEqual([{ status: "completed", done: true }]);
    // the optional quiz was never needed
    expect((await sql.query(`SELECT 1 FROM quiz_attempts WHERE quiz_id = $1`, [optional])).length).toBe(0);

    const mine = await api("GET", "/v1/me/certificates", { headers: learner.headers });
    expect(mine.body.items).toHaveLength(1);
    const code = mine.body.items[0].code as string;
    expect(code).toBe(issued!.code);

    const page = await api("GET", `/v1/certificates/${code}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      code,
      verification_url: `/v1/certificates/${code}`,
      course_id: course.id,
      user_id: learner.id,
      course_title: "Harmony 101",
      learner_name: "Élodie Martin",
      educator_name: "Dr. Ada Lovelace",
      status: "valid",
      revoked_at: null,
      signature_algorithm: "Ed25519",
      signing_key_id: "test-2026-01",
      verified: true,
    });

    // offline: the published JWKS verifies the JWS, whose payload is exactly what the page shows
    const jwks = await api("GET", "/v1/certificates/keys");
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.every((k: Record<string, unknown>) => !("d" in k))).toBe(true);
    expect(decodeProtectedHeader(page.body.signature)).toMatchObject({ alg: "EdDSA", kid: "test-2026-01" });
    const { payload } = await compactVerify(page.body.signature, createLocalJWKSet(jwks.body));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({
      v: 1,
      code,
      course_id: course.id,
      user_id: learner.id,
      course_title: "Harmony 101",
      learner_name: "Élodie Martin",
      educator_name: "Dr. Ada Lovelace",
      issued_at: page.body.issued_at,
    });

    // the snapshot survives renames: the certificate says what was true when it was issued
    await sql.query(`UPDATE courses SET title = 'Harmony 102' WHERE id = $1`, [course.id]);
    expect((await api("GET", `/v1/certificates/${code}`)).body).toMatchObject({ course_title: "Harmony 101", verified: true });
    expect((await api("GET", `/v1/certificates/${code}`, { headers: { Authorization: "Bearer junk" } })).status).toBe(200);
    void educator;
  });

  it("through the real endpoints: lessons completed with PUT …/progress, the quiz passed, the last lesson issues the certificate", async () => {
    const { learner, course, required } = await courseWithRequiredQuiz();
    const progress = (lessonId: string) =>
      api("PUT", `/v1/courses/${course.id}/lessons/${lessonId}/progress`, { headers: learner.headers, body: { completed: true } });
    const first = await progress(course.lessons[0]!);
    expect(first.status, first.text).toBe(200);
    expect(first.body.certificate ?? null).toBeNull();
    expect((await submit(learner, required, ALL_RIGHT)).body).toMatchObject({ passed: true, certificate: null });
    const last = await progress(course.lessons[1]!);
    expect(last.status).toBe(200);
    const code = last.body.certificate.code as string;
    const page = await api("GET", `/v1/certificates/${code}`);
    expect(page.body).toMatchObject({ status: "valid", verified: true, course_id: course.id, user_id: learner.id, learner_name: "Élodie Martin" });
    const jwks = await api("GET", "/v1/certificates/keys");
    const { payload } = await compactVerify(page.body.signature, createLocalJWKSet(jwks.body));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ code, course_id: course.id, user_id: learner.id, issued_at: page.body.issued_at });
    // the required quiz passed again, or the lesson completed again, issues nothing more
    expect((await submit(learner, required, ALL_RIGHT)).body.certificate).toBeNull();
    expect((await progress(course.lessons[1]!)).body.certificate ?? null).toBeNull();
    expect((await api("GET", "/v1/me/certificates", { headers: learner.headers })).body.items.map((c: { code: string }) => c.code)).toEqual([code]);
  });

  it("the passing attempt that completes the course issues the certificate in its own write", async () => {
    const { learner, course, required } = await courseWithRequiredQuiz();
    await completeLessons(learner.id, course.id, course.lessons);
    const res = await submit(learner, required, ALL_RIGHT);
    expect(res.status).toBe(201);
    expect(res.body.certificate).toEqual({ code: expect.any(String), verification_url: `/v1/certificates/${res.body.certificate.code}` });
    const page = await api("GET", res.body.certificate.verification_url);
    expect(page.body).toMatchObject({ status: "valid", verified: true, user_id: learner.id, course_id: course.id });
    const [enrolment] = await sql.query(`SELECT status FROM course_enrollments WHERE course_id = $1 AND user_id = $2`, [course.id, learner.id]);
    expect(enrolment!.status).toBe("completed");
    // passing it again (attempts left) issues nothing more
    const again = await submit(learner, required, ALL_RIGHT);
    expect(again.body).toMatchObject({ passed: true, certificate: null });
    expect((await sql.query(`SELECT 1 FROM certificates WHERE course_id = $1 AND user_id = $2`, [course.id, learner.id])).length).toBe(1);
  });

  it("no certificate without every lesson, or for a failed required quiz, or a course without lessons", async () => {
    const { learner, course, required } = await courseWithRequiredQuiz();
    await completeLessons(learner.id, course.id, course.lessons);
    expect((await submit(learner, required, ALL_WRONG)).body).toMatchObject({ passed: false, certificate: null });
    const { pendingCertificateQuery } = await import("../../src/domains/certificates/issue");
    const { createDb } = await import("../../src/db/client");
    const { env } = await import("cloudflare:workers");
    expect((await pendingCertificateQuery(createDb(env), learner.id, course.id)).rows).toEqual([]);

    const educator = await signedInUser();
    const empty = await makeCourse(educator.id, { lessons: 0 });
    await enrol(empty.id, learner.id);
    expect((await pendingCertificateQuery(createDb(env), learner.id, empty.id)).rows).toEqual([]);
    // a refunded enrolment does not complete either
    await sql.query(`UPDATE course_enrollments SET status = 'refunded' WHERE course_id = $1 AND user_id = $2`, [course.id, learner.id]);
    await sql.query(`INSERT INTO quiz_attempts (quiz_id, user_id, attempt_number, status, score_percent, passed, graded_at) VALUES ($1, $2, 2, 'graded', 100, true, now())`, [required, learner.id]);
    expect((await pendingCertificateQuery(createDb(env), learner.id, course.id)).rows).toEqual([]);
  });
});

describe("a required quiz removed from a learner's way", () => {
  it("deleting it, or making it optional, issues the certificates it was the last thing missing for", async () => {
    for (const change of ["delete", "optional"] as const) {
      const { educator, learner, course, required } = await courseWithRequiredQuiz();
      const [done, halfway] = [learner, await signedInUser()];
      await enrol(course.id, halfway.id);
      await completeLessons(done.id, course.id, course.lessons);
      await completeLessons(halfway.id, course.id, course.lessons.slice(1));
      for (let i = 0; i < 2; i++) expect((await submit(done, required, ALL_WRONG)).body.passed).toBe(false);
      expect((await submit(done, required, ALL_RIGHT)).status).toBe(409); // no attempts left: stuck
      const res =
        change === "delete"
          ? await api("DELETE", `/v1/quizzes/${required}`, { headers: educator.headers })
          : await api("PATCH", `/v1/quizzes/${required}`, { headers: educator.headers, body: { is_required: false } });
      expect(res.status, change).toBe(change === "delete" ? 204 : 200);
      const mine = await api("GET", "/v1/me/certificates", { headers: done.headers });
      expect(mine.body.items.map((c: { course_id: string; verified: boolean }) => [c.course_id, c.verified]), change).toEqual([[course.id, true]]);
      const [enrolment] = await sql.query(`SELECT status FROM course_enrollments WHERE course_id = $1 AND user_id = $2`, [course.id, done.id]);
      expect(enrolment!.status).toBe("completed");
      // a lesson still open: nothing for them
      expect((await api("GET", "/v1/me/certificates", { headers: halfway.headers })).body.items).toEqual([]);
    }
  });
});

describe("GET /v1/certificates/:code", () => {
  async function issued() {
    const { learner, course, required, educator } = await courseWithRequiredQuiz();
    await completeLessons(learner.id, course.id, course.lessons);
    const res = await submit(learner, required, ALL_RIGHT);
    return { code: res.body.certificate.code as string, learner, educator, course };
  }

  it("a tampered row does not verify: snapshot, signature or key id", async () => {
    const tampered = [
      `UPDATE certificates SET learner_name = 'Mallory' WHERE code = $1`,
      `UPDATE certificates SET issued_at = issued_at - interval '1 year' WHERE code = $1`,
      // a character well inside the signature segment (the last one carries padding bits only)
      `UPDATE certificates SET signature = overlay(signature PLACING CASE WHEN substr(signature, length(signature) - 10, 1) = 'A' THEN 'B' ELSE 'A' END
                                                   FROM length(signature) - 10 FOR 1) WHERE code = $1`,
      `UPDATE certificates SET signing_key_id = 'someone-else' WHERE code = $1`,
      `UPDATE certificates SET course_id = NULL WHERE code = $1`,
    ];
    for (const statement of tampered) {
      const { code } = await issued();
      expect((await api("GET", `/v1/certificates/${code}`)).body.verified, statement).toBe(true);
      await sql.query(statement, [code]);
      const res = await api("GET", `/v1/certificates/${code}`);
      expect(res.status).toBe(200);
      expect(res.body.verified, statement).toBe(false);
    }
  });

  it("another certificate's signature does not verify this one", async () => {
    const [a, b] = [await issued(), await issued()];
    await sql.query(`UPDATE certificates SET signature = (SELECT signature FROM certificates WHERE code = $2) WHERE code = $1`, [a.code, b.code]);
    expect((await api("GET", `/v1/certificates/${a.code}`)).body.verified).toBe(false);
    expect((await api("GET", `/v1/certificates/${b.code}`)).body.verified).toBe(true);
  });

  it("unknown code 404, malformed code 422", async () => {
    expect((await api("GET", "/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await api("GET", "/v1/certificates/short")).status).toBe(422);
  });

  it("revocation: by the course's educator or a moderator, with a reason, shown publicly; others refused", async () => {
    const { code, learner, educator } = await issued();
    const stranger = await signedInUser();
    expect((await api("POST", `/v1/certificates/${code}/revoke`, { headers: stranger.headers, body: { reason: "no" } })).status).toBe(403);
    expect((await api("POST", `/v1/certificates/${code}/revoke`, { headers: learner.headers, body: { reason: "no" } })).status).toBe(403);
    expect((await api("POST", `/v1/certificates/${code}/revoke`, { headers: educator.headers, body: { reason: " " } })).status).toBe(422);
    expect((await api("POST", `/v1/certificates/AAAAAAAAAAAAAAAAAAAAAA/revoke`, { headers: educator.headers, body: { reason: "x" } })).status).toBe(404);
    expect((await api("GET", `/v1/certificates/${code}`)).body.status).toBe("valid");

    const revoked = await api("POST", `/v1/certificates/${code}/revoke`, { headers: educator.headers, body: { reason: "Plagiarised final project" } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: "revoked", revocation_reason: "Plagiarised final project", verified: true });
    const page = await api("GET", `/v1/certificates/${code}`);
    expect(page.body).toMatchObject({ status: "revoked", revocation_reason: "Plagiarised final project", revoked_at: expect.any(String), verified: true });
    // idempotent: the first reason stands
    const again = await api("POST", `/v1/certificates/${code}/revoke`, { headers: educator.headers, body: { reason: "other" } });
    expect(again.body.revocation_reason).toBe("Plagiarised final project");
    expect(again.body.revoked_at).toBe(page.body.revoked_at);

    const other = await issued();
    const moderator = await signedInUser({ role: "moderator" });
    expect((await api("POST", `/v1/certificates/${other.code}/revoke`, { headers: moderator.headers, body: { reason: "Fraud" } })).body.status).toBe("revoked");
  });

  it("a refunded enrolment revokes the certificate; buying the course again reinstates it, but not an educator's revocation", async () => {
    const { code, learner, course, educator } = await issued();
    const setStatus = (status: string) =>
      sql.query(`UPDATE course_enrollments SET status = $3 WHERE course_id = $1 AND user_id = $2`, [course.id, learner.id, status]);
    await setStatus("refunded");
    expect((await api("GET", `/v1/certificates/${code}`)).body).toMatchObject({ status: "revoked", revocation_reason: "The course purchase was refunded.", verified: true });
    await setStatus("completed");
    expect((await api("GET", `/v1/certificates/${code}`)).body).toMatchObject({ status: "valid", revoked_at: null, revocation_reason: null, verified: true });

    await api("POST", `/v1/certificates/${code}/revoke`, { headers: educator.headers, body: { reason: "Plagiarism" } });
    await setStatus("refunded");
    await setStatus("completed");
    expect((await api("GET", `/v1/certificates/${code}`)).body).toMatchObject({ status: "revoked", revocation_reason: "Plagiarism" });
  });
});

describe("GET /v1/me/certificates", () => {
  it("mine only, newest first, by cursor; signed in only", async () => {
    const learner = await signedInUser();
    const educator = await signedInUser();
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const course = await makeCourse(educator.id, { lessons: 1 });
      await enrol(course.id, learner.id);
      const quiz = await createQuiz(educator, course.id);
      await completeLessons(learner.id, course.id, course.lessons);
      codes.unshift((await submit(learner, quiz.id, ALL_RIGHT)).body.certificate.code);
    }
    const first = await api("GET", "/v1/me/certificates?limit=2", { headers: learner.headers });
    expect(first.body.items.map((c: any) => c.code)).toEqual(codes.slice(0, 2));
    expect(first.body.items.every((c: any) => c.verified)).toBe(true);
    const second = await api("GET", `/v1/me/certificates?limit=2&cursor=${first.body.next_cursor}`, { headers: learner.headers });
    expect(second.body.items.map((c: any) => c.code)).toEqual(codes.slice(2));
    expect(second.body.next_cursor).toBeNull();
    expect((await api("GET", "/v1/me/certificates", { headers: educator.headers })).body.items).toEqual([]);
    expect((await api("GET", "/v1/me/certificates")).status).toBe(401);
    expect((await api("GET", "/v1/me/certificates?cursor=bogus", { headers: learner.headers })).status).toBe(422);
  });
});
