import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { bucketFailing, call, exe, mp3, PART, png, putAllParts, putPart, sha256, slice, startUpload, uploadFile, warmAuth, wav } from "./fixtures";
import { FLAC } from "./real-media";

const complete = (user: { headers: Record<string, string> }, id: string) => call("POST", `/v1/uploads/${id}/complete`, { headers: user.headers });
const objectOf = (userId: string, id: string) => env.MEDIA.head(`files/${userId}/${id}`);
const uploadRow = (id: string) => one("SELECT status, file_id, metadata FROM file_uploads WHERE id = $1", [id]);

describe("POST /v1/uploads/:id/complete", () => {
  it("refuses a renamed executable (415), deletes its bytes and fails the upload — and says so again when asked twice", async () => {
    const user = await signedInUser();
    const { upload, completed } = await uploadFile(user, exe(PART + 4096), { filename: "song.wav", mime_type: "audio/wav" });
    expect(completed.status).toBe(415);
    expect(completed.body.code).toBe("unsupported_media_type");
    expect(completed.body.detail).toMatch(/"song\.wav" are not a type Veza stores/);
    expect(await objectOf(user.id, upload.id)).toBeNull();
    expect(await uploadRow(upload.id)).toMatchObject({ status: "failed", file_id: null });
    expect(await sql.query("SELECT 1 FROM files WHERE user_id = $1", [user.id])).toHaveLength(0);

    const again = await complete(user, upload.id);
    expect(again.status).toBe(415);
    const view = await call("GET", `/v1/uploads/${upload.id}`, { headers: user.headers });
    expect(view.body).toMatchObject({ status: "failed", error: completed.body.detail });
  });

  it("refuses bytes of the other kind than declared (a PNG declared as audio: 415)", async () => {
    const user = await signedInUser();
    const { upload, completed } = await uploadFile(user, png(), { filename: "track.wav", mime_type: "audio/wav" });
    expect(completed.status).toBe(415);
    expect(completed.body.detail).toMatch(/Declared as audio\/wav, but the bytes are image\/png/);
    expect(await objectOf(user.id, upload.id)).toBeNull();
  });

  it("stores the sniffed type when it differs from the declared one within the kind (FLAC sent as audio/wav)", async () => {
    const user = await signedInUser();
    const bytes = new Uint8Array([...FLAC, ...new TextEncoder().encode(crypto.randomUUID())]);
    const { completed } = await uploadFile(user, bytes, { filename: "take.wav", mime_type: "audio/wav" });
    expect(completed.status).toBe(201);
    expect(completed.body).toMatchObject({ mime_type: "audio/flac", kind: "audio", extension: "flac", filename: "take.wav" });
    expect((await one("SELECT mime_type, filename FROM files WHERE id = $1", [completed.body.id])).mime_type).toBe("audio/flac");
  });

  it("stores an image, and an MP3 with and without a large ID3v2 tag (cover art beyond the sniffed head)", async () => {
    const user = await signedInUser();
    const image = await uploadFile(user, png(), { filename: "cover.png", mime_type: "image/png" });
    expect(image.completed.status).toBe(201);
    expect(image.completed.body).toMatchObject({ mime_type: "image/png", kind: "image", extension: "png" });

    const bare = await uploadFile(user, mp3(40), { filename: "demo.mp3", mime_type: "audio/mpeg" });
    expect(bare.completed.body).toMatchObject({ mime_type: "audio/mpeg", extension: "mp3" });
    const tagged = await uploadFile(user, mp3(40, { tagBytes: 300 * 1024 }), { filename: "tagged.mp3", mime_type: "audio/mp3" });
    expect(tagged.completed.status).toBe(201);
    expect(tagged.completed.body).toMatchObject({ mime_type: "audio/mpeg", extension: "mp3" });
    // a huge "tag" followed by anything but MPEG audio is still refused
    const fake = new Uint8Array([...mp3(0, { tagBytes: 200 * 1024 }), ...exe(2048)]);
    expect((await uploadFile(user, fake, { filename: "fake.mp3", mime_type: "audio/mpeg" })).completed.status).toBe(415);
  });

  it("fails an upload whose bytes do not match the declared SHA-256 (422) and deletes them", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 100);
    const { upload, completed } = await uploadFile(user, bytes, { sha256: await sha256(wav(10)) });
    expect(completed.status).toBe(422);
    expect(completed.body.code).toBe("validation_failed");
    expect(completed.body.errors).toEqual([{ path: "sha256", message: `the stored bytes hash to ${await sha256(bytes)}` }]);
    expect(await objectOf(user.id, upload.id)).toBeNull();
    expect(await uploadRow(upload.id)).toMatchObject({ status: "failed", file_id: null });
    expect((await complete(user, upload.id)).status).toBe(422);
    // and it takes no more parts
    expect((await putPart(user, upload.id, 2, slice(bytes, PART, 2))).status).toBe(409);
  });

  it("lists the missing parts (409) and completes once they are in", async () => {
    const user = await signedInUser();
    const bytes = wav(2 * PART + 7);
    const upload = (await startUpload(user, bytes, { part_size: PART })).body;
    const none = await complete(user, upload.id);
    expect(none.status).toBe(409);
    expect(none.body.missing_parts).toEqual([1, 2, 3]);
    await putPart(user, upload.id, 2, slice(bytes, PART, 2));
    const some = await complete(user, upload.id);
    expect(some.status).toBe(409);
    expect(some.body).toMatchObject({ code: "conflict", missing_parts: [1, 3] });
    expect(some.body.detail).toMatch(/Parts are missing: 1, 3/);
    await putPart(user, upload.id, 1, slice(bytes, PART, 1));
    await putPart(user, upload.id, 3, slice(bytes, PART, 3));
    expect((await complete(user, upload.id)).status).toBe(201);
  });

  it("answers 409 with the winning file_id when the same content was stored meanwhile (the unique index decides)", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 50);
    const upload = (await startUpload(user, bytes, { part_size: PART })).body;
    await putAllParts(user, upload.id, bytes, PART);
    // the same content lands as a file by another path while this upload is open
    const winner = await one(
      `INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, url, file_hash)
       VALUES ($1, 'w.wav', 'w.wav', 'audio/wav', $2, $3, '/v1/files/w', $4) RETURNING id`,
      [user.id, bytes.length, `files/${user.id}/elsewhere`, await sha256(bytes)],
    );
    const res = await complete(user, upload.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "conflict", file_id: winner.id });
    expect(await objectOf(user.id, upload.id)).toBeNull();
    expect(await uploadRow(upload.id)).toMatchObject({ status: "failed", file_id: null, metadata: { duplicate_of: winner.id } });
    expect((await complete(user, upload.id)).body).toMatchObject({ status: 409, file_id: winner.id });
  });

  it("lets one of two simultaneous completions do the work; the other waits its turn or gets the same file", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 999);
    const upload = (await startUpload(user, bytes, { part_size: PART })).body;
    await putAllParts(user, upload.id, bytes, PART);
    const results = await Promise.all([complete(user, upload.id), complete(user, upload.id)]);
    const statuses = results.map((r) => r.status).sort();
    expect([[200, 201], [201, 409]]).toContainEqual(statuses);
    const done = results.find((r) => r.status === 201)!;
    expect((await complete(user, upload.id)).body).toEqual(done.body);
    expect(await sql.query("SELECT 1 FROM files WHERE user_id = $1", [user.id])).toHaveLength(1);
  });

  it("takes over a completion that crashed (a claim older than 15 minutes), even after R2 assembled the object", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 3);
    const upload = (await startUpload(user, bytes, { part_size: PART })).body;
    await putAllParts(user, upload.id, bytes, PART);
    const row = await one("SELECT storage_key, upload_id, parts FROM file_uploads WHERE id = $1", [upload.id]);
    // the crashed completion got as far as assembling the parts
    const parts = (row.parts as { partNumber: number; etag: string }[]).map(({ partNumber, etag }) => ({ partNumber, etag }));
    await env.MEDIA.resumeMultipartUpload(row.storage_key as string, row.upload_id as string).complete(parts);
    await sql.query("UPDATE file_uploads SET status = 'processing' WHERE id = $1", [upload.id]);
    const busy = await complete(user, upload.id);
    expect(busy.status).toBe(409);
    expect(busy.headers.get("retry-after")).toBe("5");
    // 16 minutes later (updated_at is set by a trigger on UPDATE, so the row is re-inserted with its old clock)
    const stale = (await one(
      `INSERT INTO file_uploads (user_id, filename, file_size, mime_type, file_hash, bytes_uploaded, chunks_uploaded, total_chunks, part_size, parts,
                                 status, storage_key, upload_id, updated_at)
       SELECT user_id, filename, file_size, mime_type, file_hash, bytes_uploaded, chunks_uploaded, total_chunks, part_size, parts,
              status, storage_key, upload_id, now() - interval '16 minutes'
         FROM file_uploads WHERE id = $1 RETURNING id`,
      [upload.id],
    )).id as string;
    await sql.query("DELETE FROM file_uploads WHERE id = $1", [upload.id]);
    const taken = await complete(user, stale);
    expect(taken.status).toBe(201);
    expect(taken.body.sha256).toBe(await sha256(bytes));
  });

  it("answers 503 (not 500) when storage fails midway, gives the claim back, and completes on the next try", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 21);
    const upload = (await startUpload(user, bytes, { part_size: PART })).body;
    await putAllParts(user, upload.id, bytes, PART);
    // the parts get assembled, then reading the object back fails
    const failed = await call("POST", `/v1/uploads/${upload.id}/complete`, { headers: user.headers, bindings: { MEDIA: bucketFailing("get") } });
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe("service_unavailable");
    expect(await uploadRow(upload.id)).toMatchObject({ status: "uploading", file_id: null });
    const retried = await complete(user, upload.id);
    expect(retried.status).toBe(201);
    expect(retried.body.sha256).toBe(await sha256(bytes));
  });

  it("answers 410 for a completed upload whose file was deleted since, and 404 for an unknown upload", async () => {
    const user = await signedInUser();
    const { upload, completed } = await uploadFile(user, png(), { mime_type: "image/png" });
    await sql.query("UPDATE files SET deleted_at = now() WHERE id = $1", [completed.body.id]);
    expect((await complete(user, upload.id)).status).toBe(410);
    expect((await complete(user, crypto.randomUUID())).status).toBe(404);
  });

  it("costs two round trips, whether it stores the file or refuses it", async () => {
    const user = await signedInUser();
    await warmAuth(user);
    const completeRequest = (id: string) => new Request(`https://veza.test/v1/uploads/${id}/complete`, { method: "POST", headers: user.headers });
    for (const [bytes, status] of [[wav(PART + 12), 201], [exe(PART + 12), 415]] as const) {
      const upload = (await startUpload(user, bytes, { part_size: PART })).body;
      await putAllParts(user, upload.id, bytes, PART);
      const { response, roundTrips } = await withRoundTrips(completeRequest(upload.id));
      expect(response.status).toBe(status);
      expect(roundTrips).toBe(2);
    }
  });
});
