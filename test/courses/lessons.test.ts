import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { addLesson, draftCourse, educator, enrolled, imageFile, makeFile, page, patchCourse, publishedCourse, ramp } from "./fixtures";

const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(`https://veza.test${path}`, { headers });
const bytesOf = async (res: Response) => [...new Uint8Array(await res.arrayBuffer())];
const positions = async (courseId: string) =>
  (await sql.query("SELECT id, position FROM lessons WHERE course_id = $1 ORDER BY position", [courseId])).map((r) => [r.id, r.position]);

describe("reordering lessons", () => {
  it("applies the full list in one update, and refuses any list that is not exactly the course's lessons", async () => {
    const mira = await educator();
    const course = await draftCourse(mira);
    const [a, b, c] = [await addLesson(mira, course.id), await addLesson(mira, course.id), await addLesson(mira, course.id)];
    const other = await addLesson(mira, (await draftCourse(mira)).id);
    const order = (lesson_ids: string[]) => api("PUT", `/v1/courses/${course.id}/lessons/order`, { body: { lesson_ids }, headers: mira.headers });

    const res = await order([c.id, a.id, b.id]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.map((l: { id: string; position: number }) => [l.id, l.position])).toEqual([[c.id, 0], [a.id, 1], [b.id, 2]]);
    expect(await positions(course.id)).toEqual([[c.id, 0], [a.id, 1], [b.id, 2]]);

    for (const bad of [[c.id, a.id], [c.id, a.id, b.id, other.id], [c.id, a.id, other.id]]) {
      const refused = await order(bad);
      expect(refused.status, JSON.stringify(bad)).toBe(422);
      expect(refused.body.errors).toEqual([{ path: "json.lesson_ids", message: "must list every lesson of the course, each once" }]);
    }
    expect((await order([c.id, c.id, a.id])).status).toBe(422);
    // nothing moved
    expect(await positions(course.id)).toEqual([[c.id, 0], [a.id, 1], [b.id, 2]]);
    expect((await page(mira, course.id)).body.lessons.map((l: { id: string }) => l.id)).toEqual([c.id, a.id, b.id]);

    const bob = await educator();
    expect((await api("PUT", `/v1/courses/${course.id}/lessons/order`, { body: { lesson_ids: [a.id, b.id, c.id] }, headers: bob.headers })).status).toBe(404);
  });

  it("leaves one whole order after concurrent reorders, never a mix or a gap", async () => {
    const mira = await educator();
    const course = await draftCourse(mira);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await addLesson(mira, course.id)).id);
    const orders = [ids, [...ids].reverse(), [ids[2]!, ids[0]!, ids[4]!, ids[1]!, ids[3]!], [ids[1]!, ids[3]!, ids[0]!, ids[4]!, ids[2]!]];
    const results = await Promise.all(orders.map((lesson_ids) => api("PUT", `/v1/courses/${course.id}/lessons/order`, { body: { lesson_ids }, headers: mira.headers })));
    for (const r of results) expect([200, 409], r.text).toContain(r.status);
    const final = await positions(course.id);
    expect(final.map(([, p]) => p)).toEqual([0, 1, 2, 3, 4]);
    expect(orders.map((o) => JSON.stringify(o))).toContain(JSON.stringify(final.map(([id]) => id)));
  });

  it("keeps positions dense when a lesson is removed, and keeps the only lesson of a published course", async () => {
    const mira = await educator();
    const { course, lessons } = await publishedCourse(mira, {}, 3);
    expect((await api("DELETE", `/v1/courses/${course.id}/lessons/${lessons[1].id}`, { headers: mira.headers })).status).toBe(204);
    expect(await positions(course.id)).toEqual([[lessons[0].id, 0], [lessons[2].id, 1]]);
    expect((await api("DELETE", `/v1/courses/${course.id}/lessons/${lessons[0].id}`, { headers: mira.headers })).status).toBe(204);
    const last = await api("DELETE", `/v1/courses/${course.id}/lessons/${lessons[2].id}`, { headers: mira.headers });
    expect(last.status).toBe(409);
    expect((await api("GET", `/v1/courses/${course.id}`)).body.lesson_count).toBe(1);
    // a new lesson goes after the last
    expect((await addLesson(mira, course.id)).position).toBe(1);
  });

  it("edits a lesson; switching it to text drops its media", async () => {
    const mira = await educator();
    const course = await draftCourse(mira);
    const video = await makeFile(mira.id, { mime: "video/mp4" });
    const lesson = await addLesson(mira, course.id, { content_type: "video", media_file_id: video.id, duration_seconds: 90 });
    expect(lesson).toMatchObject({ content_type: "video", media_file_id: video.id, media: { url: `/v1/courses/${course.id}/lessons/${lesson.id}/media`, mime_type: "video/mp4" } });
    const patch = (body: Record<string, unknown>) => api("PATCH", `/v1/courses/${course.id}/lessons/${lesson.id}`, { body, headers: mira.headers });
    expect((await patch({ title: "Renamed", is_preview: true })).body).toMatchObject({ title: "Renamed", is_preview: true, media_file_id: video.id });
    expect((await patch({ content_type: "audio" })).status).toBe(422); // the video is not audio
    const text = await patch({ content_type: "text", content: "Now in words." });
    expect(text.body).toMatchObject({ content_type: "text", media_file_id: null, media: null, content: "Now in words." });
    const student = await signedInUser();
    expect((await api("PATCH", `/v1/courses/${course.id}/lessons/${lesson.id}`, { body: { title: "x" }, headers: student.headers })).status).toBe(404);
  });

  it("takes media only from the educator's own live files of the lesson's type", async () => {
    const mira = await educator();
    const other = await signedInUser();
    const course = await draftCourse(mira);
    const theirs = await makeFile(other.id, { mime: "video/mp4" });
    const image = await imageFile(mira.id);
    const gone = await makeFile(mira.id, { mime: "audio/mpeg", deleted: true });
    const add = (body: Record<string, unknown>) => api("POST", `/v1/courses/${course.id}/lessons`, { body: { title: "m", ...body }, headers: mira.headers });
    for (const [type, file] of [["video", theirs.id], ["video", image.id], ["audio", gone.id]] as const) {
      const res = await add({ content_type: type, media_file_id: file });
      expect(res.status, `${type} ${file}`).toBe(422);
      expect(res.body.errors[0].path).toBe("json.media_file_id");
    }
    expect((await patchCourse(mira, course.id, { cover_file_id: theirs.id })).status).toBe(422);
    expect((await patchCourse(mira, course.id, { cover_file_id: image.id })).body.cover_url).toBe(`/v1/courses/${course.id}/cover`);
  });
});

describe("streaming a media lesson", () => {
  it("streams with byte ranges to the educator, enrolled learners, and anyone for a preview lesson", async () => {
    const mira = await educator();
    const sam = await signedInUser();
    const eve = await signedInUser();
    const audio = await makeFile(mira.id, { mime: "audio/mpeg", bytes: ramp(1000) });
    const course = await draftCourse(mira);
    const locked = await addLesson(mira, course.id, { content_type: "audio", media_file_id: audio.id, duration_seconds: 60 });
    const preview = await addLesson(mira, course.id, { content_type: "audio", media_file_id: audio.id, is_preview: true });
    const url = (l: { id: string }) => `/v1/courses/${course.id}/lessons/${l.id}/media`;

    // a draft: its educator only, even for the preview
    expect((await api("GET", url(preview))).status).toBe(404);
    const own = await get(url(locked), mira.headers);
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toContain("private");
    expect(await bytesOf(own)).toEqual([...ramp(1000)]);

    await patchCourse(mira, course.id, { status: "published" });
    const part = await get(url(preview), { Range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(part.headers.get("accept-ranges")).toBe("bytes");
    expect(await bytesOf(part)).toEqual([...ramp(1000).slice(100, 200)]);
    const past = await get(url(preview), { Range: "bytes=5000-" });
    expect(past.status).toBe(416);
    await past.arrayBuffer();

    expect((await api("GET", url(locked))).status).toBe(404);
    expect((await api("GET", url(locked), { headers: eve.headers })).status).toBe(404);
    await enrolled(sam, course.id);
    const tail = await get(url(locked), { ...sam.headers, Range: "bytes=-10" });
    expect(tail.status).toBe(206);
    expect(await bytesOf(tail)).toEqual([...ramp(1000).slice(990)]);

    // the lesson read: content for those who may open it, 403 for a lesson of a course you see but did not join
    expect((await api("GET", `/v1/courses/${course.id}/lessons/${locked.id}`, { headers: sam.headers })).body.media.url).toBe(url(locked));
    expect((await api("GET", `/v1/courses/${course.id}/lessons/${locked.id}`, { headers: eve.headers })).status).toBe(403);
    expect((await api("GET", `/v1/courses/${course.id}/lessons/${preview.id}`)).status).toBe(200);
  });

  it("serves the cover to whoever sees the course", async () => {
    const mira = await educator();
    const cover = await imageFile(mira.id, new Uint8Array([7, 7, 7]));
    const { course } = await publishedCourse(mira, { cover_file_id: cover.id }, 1);
    const res = await get(course.cover_url);
    expect(res.status).toBe(200);
    expect(await bytesOf(res)).toEqual([7, 7, 7]);
    await patchCourse(mira, course.id, { status: "draft" });
    expect((await api("GET", course.cover_url)).status).toBe(404);
  });
});
