import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { bucketFailing, call, MiB, PART, png, sha256, startUpload, uploadFile, warmAuth, wav } from "./fixtures";

const GiB = 1024 * MiB;
const HASH = "a".repeat(64);

async function create(body: Record<string, unknown>) {
  const user = await signedInUser();
  return call("POST", "/v1/uploads", { headers: user.headers, json: { filename: "a.wav", size: 1000, mime_type: "audio/wav", sha256: HASH, ...body } });
}

const paths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);

describe("POST /v1/uploads", () => {
  it("opens an upload with the default 8 MiB parts, the declared type made canonical, and 24 hours to live", async () => {
    const user = await signedInUser();
    const bytes = wav(20 * MiB + 5);
    const res = await startUpload(user, bytes, { mime_type: "audio/x-wav", filename: "../../etc/\u202Egnp.wav" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mime_type: "audio/wav", kind: "audio", part_size: 8 * MiB, total_parts: 3, status: "pending", filename: "gnp.wav" });
    const ttl = Date.parse(res.body.expires_at) - Date.parse(res.body.created_at);
    expect(ttl).toBe(24 * 3600 * 1000);
    for (const [declared, canonical] of [["audio/wave", "audio/wav"], ["audio/x-flac", "audio/flac"], ["audio/mp3", "audio/mpeg"], ["image/webp", "image/webp"]]) {
      const other = await startUpload(user, wav(1000), { mime_type: declared });
      expect(other.body.mime_type, declared).toBe(canonical);
    }
  });

  it("takes audio up to 2 GiB and images up to 20 MiB, part sizes from 5 to 95 MiB", async () => {
    expect((await create({ size: 2 * GiB })).status).toBe(201);
    expect((await create({ size: 20 * MiB, mime_type: "image/png" })).status).toBe(201);
    const largest = await create({ size: 2 * GiB, part_size: 95 * MiB });
    expect(largest.body).toMatchObject({ part_size: 95 * MiB, total_parts: 22 });
    const smallest = await create({ size: 2 * GiB, part_size: PART });
    expect(smallest.body).toMatchObject({ part_size: PART, total_parts: 410 });

    const tooBig = await create({ size: 2 * GiB + 1 });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.errors).toEqual([{ path: "json.size", message: `must be at most ${2 * GiB} bytes for an audio file` }]);
    const imageTooBig = await create({ size: 20 * MiB + 1, mime_type: "image/jpeg" });
    expect(imageTooBig.status).toBe(422);
    expect(paths(imageTooBig)).toEqual(["json.size"]);
    expect(paths(await create({ part_size: PART - 1 }))).toEqual(["json.part_size"]);
    expect(paths(await create({ part_size: 95 * MiB + 1 }))).toEqual(["json.part_size"]);
    expect(paths(await create({ part_size: 6_000_000.5 }))).toEqual(["json.part_size"]);
  });

  it("validates every field, with its path (422, never a 500)", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filename: "" }, "json.filename"],
      [{ filename: "///" }, "json.filename"],
      [{ filename: 42 }, "json.filename"],
      [{ size: 0 }, "json.size"],
      [{ size: -5 }, "json.size"],
      [{ size: 1.5 }, "json.size"],
      [{ size: "1000" }, "json.size"],
      [{ mime_type: "application/x-msdownload" }, "json.mime_type"],
      [{ mime_type: "video/mp4" }, "json.mime_type"],
      [{ mime_type: "AUDIO/WAV" }, "json.mime_type"],
      [{ sha256: "A".repeat(64) }, "json.sha256"],
      [{ sha256: "abc" }, "json.sha256"],
      [{ sha256: undefined }, "json.sha256"],
    ];
    for (const [body, path] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(paths(res), JSON.stringify(body)).toContain(path);
    }
    const user = await signedInUser();
    const notJson = await call("POST", "/v1/uploads", { headers: { ...user.headers, "content-type": "application/json" }, json: undefined });
    expect(notJson.status).toBeLessThan(500);
  });

  it("refuses content the user already has as a live file (409 with its file_id), but not one they deleted", async () => {
    const user = await signedInUser();
    const bytes = png();
    const { completed } = await uploadFile(user, bytes, { mime_type: "image/png", filename: "cover.png" });
    expect(completed.status).toBe(201);

    const again = await startUpload(user, bytes, { mime_type: "image/png" });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
    expect(again.body).toMatchObject({ code: "conflict", status: 409, file_id: completed.body.id });
    expect(await sql.query("SELECT 1 FROM file_uploads WHERE user_id = $1", [user.id])).toHaveLength(1);

    // another user may upload the same bytes
    expect((await startUpload(await signedInUser(), bytes, { mime_type: "image/png" })).status).toBe(201);

    await sql.query("UPDATE files SET deleted_at = now() WHERE id = $1", [completed.body.id]);
    expect((await startUpload(user, bytes, { mime_type: "image/png" })).status).toBe(201);
  });

  it("refuses a second upload of content already under way (409 with its upload_id, to resume it)", async () => {
    const user = await signedInUser();
    const bytes = wav(1000);
    const first = await startUpload(user, bytes);
    const second = await startUpload(user, bytes, { filename: "again.wav" });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: "conflict", upload_id: first.body.id });
    expect(second.body.file_id).toBeUndefined();
    // once aborted, it may start over
    expect((await call("DELETE", `/v1/uploads/${first.body.id}`, { headers: user.headers })).status).toBe(204);
    expect((await startUpload(user, bytes)).status).toBe(201);
  });

  it("answers 503 (not 500) when storage is down, recording nothing", async () => {
    const user = await signedInUser();
    const res = await call("POST", "/v1/uploads", {
      headers: user.headers,
      json: { filename: "a.wav", size: 1000, mime_type: "audio/wav", sha256: HASH },
      bindings: { MEDIA: bucketFailing("createMultipartUpload") },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await sql.query("SELECT 1 FROM file_uploads WHERE user_id = $1", [user.id])).toHaveLength(0);
  });

  it("costs one round trip", async () => {
    const user = await signedInUser();
    await warmAuth(user);
    const bytes = wav(2000);
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/uploads", {
        method: "POST",
        headers: { ...user.headers, "content-type": "application/json" },
        body: JSON.stringify({ filename: "x.wav", size: bytes.length, mime_type: "audio/wav", sha256: await sha256(bytes) }),
      }),
    );
    expect(response.status).toBe(201);
    expect(roundTrips).toBe(1);
  });
});
