import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EXPIRE_UPLOADS_BATCH } from "../../src/jobs/expire-uploads";
import { runJob } from "../../src/jobs/schedule";
import { signedInUser } from "../helpers/auth";
import { insert, sql } from "../helpers/db";
import { runCron } from "../gdpr/helpers";
import { call, PART, png, putPart, slice, startUpload, uploadFile, wav } from "./fixtures";

const HOURLY = "0 * * * *";

/** An upload row written directly, with clocks in the past (updated_at is otherwise set by a trigger on every UPDATE). */
function insertUpload(userId: string, values: Record<string, unknown>) {
  const id = crypto.randomUUID();
  return insert("file_uploads", {
    id,
    user_id: userId,
    filename: "old.wav",
    file_size: 10,
    mime_type: "audio/wav",
    total_chunks: 1,
    part_size: PART,
    storage_key: `files/${userId}/${id}`,
    ...values,
  }) as Promise<{ id: string; storage_key: string }>;
}

const remaining = async (ids: string[]) =>
  ((await sql.query("SELECT id FROM file_uploads WHERE id = ANY($1::uuid[])", [ids])) as { id: string }[]).map((r) => r.id).sort();

describe("the expire-uploads job (hourly)", () => {
  it("aborts and deletes expired incomplete uploads and day-old failed or aborted ones, and nothing else", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 40);

    // A: half sent, then abandoned past its expiry
    const expired = (await startUpload(user, bytes, { part_size: PART })).body.id as string;
    await putPart(user, expired, 1, slice(bytes, PART, 1));
    await sql.query("UPDATE file_uploads SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired]);
    const expiredRow = (await sql.query("SELECT storage_key, upload_id FROM file_uploads WHERE id = $1", [expired]))[0]!;
    // before the job comes by, the client already hears that it expired
    expect((await call("GET", `/v1/uploads/${expired}`, { headers: user.headers })).body.status).toBe("expired");
    expect((await putPart(user, expired, 2, slice(bytes, PART, 2))).status).toBe(410);
    expect((await call("POST", `/v1/uploads/${expired}/complete`, { headers: user.headers })).status).toBe(410);

    // B: fresh, kept
    const fresh = (await startUpload(user, wav(2000))).body.id as string;
    // C: aborted a day ago (its R2 abort had failed: the job aborts it again)
    const cKey = `files/${user.id}/${crypto.randomUUID()}`;
    const cMultipart = await env.MEDIA.createMultipartUpload(cKey);
    const oldAborted = await insertUpload(user.id, { status: "aborted", storage_key: cKey, upload_id: cMultipart.uploadId, updated_at: new Date(Date.now() - 25 * 3600_000).toISOString() });
    // D: failed an hour ago, kept for its owner to read
    const recentFailed = await insertUpload(user.id, { status: "failed", updated_at: new Date(Date.now() - 3600_000).toISOString() });
    // E: a completion that crashed after assembling the object, then expired
    const crashed = await insertUpload(user.id, {
      status: "processing",
      upload_id: "gone",
      updated_at: new Date(Date.now() - 3600_000).toISOString(),
      expires_at: new Date(Date.now() - 60_000).toISOString(),
    });
    await env.MEDIA.put(crashed.storage_key, "assembled");
    // F: completed (its original is a file's), whatever its expiry says
    const { upload: done } = await uploadFile(user, png(), { mime_type: "image/png" });
    await sql.query("UPDATE file_uploads SET expires_at = now() - interval '1 hour' WHERE id = $1", [done.id]);

    await runCron(HOURLY, new Date());

    const all = [expired, fresh, oldAborted.id, recentFailed.id, crashed.id, done.id];
    expect(await remaining(all)).toEqual([fresh, recentFailed.id, done.id].sort());
    await expect(env.MEDIA.resumeMultipartUpload(expiredRow.storage_key as string, expiredRow.upload_id as string).uploadPart(2, slice(bytes, PART, 2))).rejects.toThrow();
    await expect(cMultipart.uploadPart(1, "x")).rejects.toThrow();
    expect(await env.MEDIA.head(crashed.storage_key)).toBeNull();
    expect(await env.MEDIA.head(`files/${user.id}/${done.id}`)).not.toBeNull();
    expect((await call("GET", `/v1/uploads/${expired}`, { headers: user.headers })).status).toBe(404);

    // idempotent: a second run changes nothing of these
    await runCron(HOURLY, new Date());
    expect(await remaining(all)).toEqual([fresh, recentFailed.id, done.id].sort());
  });

  it("is bounded per run and finishes the rest on the next", async () => {
    const user = await signedInUser();
    const past = new Date(Date.now() - 60_000).toISOString();
    const rows = await sql.query(
      `INSERT INTO file_uploads (user_id, filename, file_size, mime_type, total_chunks, part_size, storage_key, status, expires_at)
       SELECT $1::uuid, 'old.wav', 10, 'audio/wav', 1, $2::int, 'files/' || $1::text || '/' || gen_random_uuid(), 'pending', $3::timestamptz FROM generate_series(1, $4::int)
       RETURNING id`,
      [user.id, PART, past, EXPIRE_UPLOADS_BATCH + 5],
    );
    const ids = rows.map((r) => r.id as string);

    const first = await runJob("expire-uploads", env, new Date());
    expect(first.expired).toBeGreaterThan(0);
    expect(first.expired).toBeLessThanOrEqual(EXPIRE_UPLOADS_BATCH);
    expect(first.storageErrors).toBe(0);
    const left = await remaining(ids);
    expect(left.length).toBeGreaterThanOrEqual(5);

    const second = await runJob("expire-uploads", env, new Date());
    expect(second.deleted).toBeGreaterThanOrEqual(left.length);
    expect(await remaining(ids)).toEqual([]);
  }, 60_000);
});
