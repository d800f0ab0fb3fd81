import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { insert } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { addLesson, educator, enrolled, imageFile, makeFile, ramp } from "./fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  const text = new TextDecoder().decode(await response.arrayBuffer());
  return { status: response.status, roundTrips, text };
}

const rt = (status: number, roundTrips = 1) => expect.objectContaining({ status, roundTrips });

describe("the courses' database round trips", () => {
  it("the course page with lessons and my progress is one round trip; every read one, every write at most two", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const bob = await signedInUser();
    const cover = await imageFile(mira.id, new Uint8Array([1, 2]));
    const audio = await makeFile(mira.id, { mime: "audio/mpeg", bytes: ramp(100) });

    const created = await roundTrips(mira, "POST", "/v1/courses", { title: "Round trips", price: "10.00", cover_file_id: cover.id });
    expect(created).toEqual(rt(201));
    const id = JSON.parse(created.text).id as string;
    expect(await roundTrips(bob, "POST", "/v1/courses", { title: "Not an educator" })).toEqual(rt(403));
    expect(await roundTrips(mira, "POST", `/v1/courses/${id}/lessons`, { title: "One", content_type: "audio", media_file_id: audio.id, duration_seconds: 60, is_preview: true })).toEqual(rt(201));
    const two = await addLesson(mira, id);
    const one = JSON.parse((await api("GET", `/v1/courses/${id}`, { headers: mira.headers })).text).lessons[0];
    await insert("quizzes", { course_id: id, lesson_id: one.id, title: "Q", questions: "[]" });
    expect(await roundTrips(mira, "PATCH", `/v1/courses/${id}/lessons/${two.id}`, { title: "Two" })).toEqual(rt(200));
    expect(await roundTrips(mira, "PUT", `/v1/courses/${id}/lessons/order`, { lesson_ids: [two.id, one.id] })).toEqual(rt(200));
    expect(await roundTrips(mira, "PATCH", `/v1/courses/${id}`, { status: "published" })).toEqual(rt(200)); // + the product, same batch
    expect(await roundTrips(mira, "PATCH", `/v1/courses/${id}`, { price: "0" })).toEqual(rt(200));
    expect(await roundTrips(bob, "PATCH", `/v1/courses/${id}`, { title: "x" })).toEqual(rt(403));

    expect(await roundTrips(sam, "POST", `/v1/courses/${id}/enrollment`)).toEqual(rt(200));
    expect(await roundTrips(sam, "PUT", `/v1/courses/${id}/lessons/${one.id}/progress`, { position_seconds: 12 })).toEqual(rt(200));
    expect(await roundTrips(bob, "PUT", `/v1/courses/${id}/lessons/${one.id}/progress`, { position_seconds: 12 })).toEqual(rt(403));
    // the write that completes the course also issues the certificate: the second round trip
    await api("PUT", `/v1/courses/${id}/lessons/${two.id}/progress`, { body: { completed: true }, headers: sam.headers });
    const quizless = await educator();
    const c2 = JSON.parse((await api("POST", "/v1/courses", { body: { title: "Short" }, headers: quizless.headers })).text).id as string;
    const only = await addLesson(quizless, c2);
    await api("PATCH", `/v1/courses/${c2}`, { body: { status: "published" }, headers: quizless.headers });
    await enrolled(sam, c2);
    const completing = await roundTrips(sam, "PUT", `/v1/courses/${c2}/lessons/${only.id}/progress`, { completed: true });
    expect(completing).toEqual(rt(200, 2));
    expect(JSON.parse(completing.text).certificate.code).toBeTruthy();

    // the course page: one round trip, anonymous, learner (with progress) and educator alike
    for (const who of [null, sam, mira, bob]) {
      const res = await roundTrips(who, "GET", `/v1/courses/${id}`);
      expect(res).toEqual(rt(200));
    }
    const mine = JSON.parse((await roundTrips(sam, "GET", `/v1/courses/${id}`)).text);
    expect(mine.viewer.enrollment.status).toBe("active");
    expect(mine.lessons.find((l: { id: string }) => l.id === one.id).my_progress.position_seconds).toBe(12);
    expect(mine.lessons.find((l: { id: string }) => l.id === one.id).quizzes).toHaveLength(1);

    expect(await roundTrips(null, "GET", "/v1/courses?level=all&price=free&q=round")).toEqual(rt(200));
    expect(await roundTrips(bob, "GET", `/v1/users/${mira.username}/courses`)).toEqual(rt(200));
    expect(await roundTrips(mira, "GET", "/v1/me/teaching")).toEqual(rt(200));
    expect(await roundTrips(sam, "GET", "/v1/me/courses")).toEqual(rt(200));
    expect(await roundTrips(sam, "GET", `/v1/courses/${id}/lessons/${one.id}`)).toEqual(rt(200));
    expect(await roundTrips(null, "GET", `/v1/courses/${id}/lessons/${one.id}/media`)).toEqual(rt(200));
    expect(await roundTrips(null, "GET", `/v1/courses/${id}/cover`)).toEqual(rt(200));
    expect(await roundTrips(mira, "GET", `/v1/courses/${id}/stats`)).toEqual(rt(200));
    expect(await roundTrips(bob, "GET", `/v1/courses/${id}/stats`)).toEqual(rt(403));
    expect(await roundTrips(sam, "DELETE", `/v1/courses/${id}/enrollment`)).toEqual(rt(204));
    expect(await roundTrips(mira, "DELETE", `/v1/courses/${id}/lessons/${two.id}`)).toEqual(rt(204));
    expect(await roundTrips(mira, "DELETE", `/v1/courses/${id}`)).toEqual(rt(204));
    expect(await roundTrips(null, "GET", `/v1/courses/${id}`)).toEqual(rt(404));
  });
});
