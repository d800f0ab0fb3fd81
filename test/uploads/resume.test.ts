import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { one } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { brokenBody, call, PART, partRequest, putPart, sha256, shortBody, slice, startUpload, wav } from "./fixtures";

describe("a resumable upload in parts", () => {
  it("survives a dropped part: GET says what is missing, the part is sent again, and the file is stored byte for byte", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 300 * 1024);
    const hash = await sha256(bytes);

    const created = await startUpload(user, bytes, { filename: "C:\\music\\Take 3.wav", part_size: PART });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/v1/uploads/${created.body.id}`);
    expect(created.body).toMatchObject({
      filename: "Take 3.wav",
      mime_type: "audio/wav",
      kind: "audio",
      size: bytes.length,
      sha256: hash,
      status: "pending",
      part_size: PART,
      total_parts: 2,
      parts_uploaded: 0,
      bytes_uploaded: 0,
      parts: [],
      missing_parts: [1, 2],
      file_id: null,
      error: null,
    });
    const id = created.body.id as string;
    const row = await one("SELECT storage_key, upload_id, status, total_chunks, part_size, file_hash FROM file_uploads WHERE id = $1", [id]);
    expect(row).toMatchObject({ storage_key: `files/${user.id}/${id}`, status: "pending", total_chunks: 2, part_size: PART, file_hash: hash });
    expect(row.upload_id).toEqual(expect.any(String));

    const first = await putPart(user, id, 1, slice(bytes, PART, 1));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "uploading", parts_uploaded: 1, bytes_uploaded: PART, parts: [{ part_number: 1, size: PART }], missing_parts: [2] });

    // the connection drops half-way through part 2
    const last = slice(bytes, PART, 2);
    const dropped = await putPart(user, id, 2, brokenBody(last, 100 * 1024), last.length);
    expect(dropped.status).toBe(400);
    expect(dropped.body.code).toBe("bad_request");
    expect(dropped.body.detail).toMatch(/broke off.*send the part again/i);
    // and a body that ends early is no better
    const cut = await putPart(user, id, 2, shortBody(last, 1000), last.length);
    expect(cut.status).toBe(400);

    const progress = await call("GET", `/v1/uploads/${id}`, { headers: user.headers });
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ status: "uploading", parts_uploaded: 1, bytes_uploaded: PART, missing_parts: [2], parts: [{ part_number: 1, size: PART }] });

    const resumed = await putPart(user, id, 2, last);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ parts_uploaded: 2, bytes_uploaded: bytes.length, missing_parts: [] });

    const completed = await call("POST", `/v1/uploads/${id}/complete`, { headers: user.headers });
    expect(completed.status).toBe(201);
    expect(completed.body).toMatchObject({
      upload_id: id,
      filename: "Take 3.wav",
      mime_type: "audio/wav",
      kind: "audio",
      extension: "wav",
      size: bytes.length,
      sha256: hash,
      url: `/v1/files/${completed.body.id}`,
    });

    const stored = await env.MEDIA.get(`files/${user.id}/${id}`);
    expect(stored).not.toBeNull();
    const storedBytes = new Uint8Array(await stored!.arrayBuffer());
    expect(storedBytes.length).toBe(bytes.length);
    expect(await sha256(storedBytes)).toBe(hash);

    const file = await one(
      "SELECT user_id, filename, original_filename, mime_type, file_size, storage_path, storage_provider, url, file_hash, deleted_at FROM files WHERE id = $1",
      [completed.body.id],
    );
    expect(file).toEqual({
      user_id: user.id,
      filename: `${id}.wav`,
      original_filename: "Take 3.wav",
      mime_type: "audio/wav",
      file_size: String(bytes.length),
      storage_path: `files/${user.id}/${id}`,
      storage_provider: "r2",
      url: `/v1/files/${completed.body.id}`,
      file_hash: hash,
      deleted_at: null,
    });
    const after = await call("GET", `/v1/uploads/${id}`, { headers: user.headers });
    expect(after.body).toMatchObject({ status: "completed", file_id: completed.body.id, missing_parts: [] });

    // completing again answers the same file
    const again = await call("POST", `/v1/uploads/${id}/complete`, { headers: user.headers });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(completed.body);
  });

  it("takes parts in any order, replaces a part sent twice, and counts each part once", async () => {
    const user = await signedInUser();
    const bytes = wav(2 * PART + 1234);
    const created = await startUpload(user, bytes, { part_size: PART });
    const id = created.body.id as string;
    expect(created.body.total_parts).toBe(3);
    expect((await putPart(user, id, 3, slice(bytes, PART, 3))).status).toBe(200);
    expect((await putPart(user, id, 1, slice(bytes, PART, 1))).status).toBe(200);
    const twice = await putPart(user, id, 1, slice(bytes, PART, 1));
    expect(twice.body).toMatchObject({ parts_uploaded: 2, bytes_uploaded: PART + 1234, missing_parts: [2] });
    expect(twice.body.parts).toEqual([{ part_number: 1, size: PART }, { part_number: 3, size: 1234 }]);
    // parts 2 sent concurrently with a repeat of part 3: both recorded, nothing lost
    const [two, three] = await Promise.all([putPart(user, id, 2, slice(bytes, PART, 2)), putPart(user, id, 3, slice(bytes, PART, 3))]);
    expect([two.status, three.status]).toEqual([200, 200]);
    const row = await one("SELECT chunks_uploaded, bytes_uploaded, jsonb_array_length(parts) AS n FROM file_uploads WHERE id = $1", [id]);
    expect(row).toEqual({ chunks_uploaded: 3, bytes_uploaded: String(bytes.length), n: 3 });
    const completed = await call("POST", `/v1/uploads/${id}/complete`, { headers: user.headers });
    expect(completed.status).toBe(201);
    const stored = await env.MEDIA.get(`files/${user.id}/${id}`);
    expect(await sha256(new Uint8Array(await stored!.arrayBuffer()))).toBe(await sha256(bytes));
  });

  it("refuses a part of the wrong size, a part number out of range, a missing Content-Length and a body that is not octet-stream", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 10);
    const id = (await startUpload(user, bytes, { part_size: PART })).body.id as string;

    const short = await putPart(user, id, 1, bytes.subarray(0, PART - 1));
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual([{ path: "header.content-length", message: `must be ${PART} for part 1` }]);
    const lastTooBig = await putPart(user, id, 2, bytes.subarray(0, 11));
    expect(lastTooBig.status).toBe(422);
    expect(lastTooBig.body.errors[0].path).toBe("header.content-length");

    const outOfRange = await putPart(user, id, 3, bytes.subarray(0, 10));
    expect(outOfRange.status).toBe(422);
    expect(outOfRange.body.errors).toEqual([{ path: "param.n", message: "must be between 1 and 2 (total_parts)" }]);
    for (const n of ["0", "-1", "1.5", "x", "10001"]) {
      const res = await call("PUT", `/v1/uploads/${id}/parts/${n}`, { headers: { ...user.headers, "content-type": "application/octet-stream", "content-length": "10" } });
      expect(res.status, n).toBe(422);
      expect(res.body.errors[0].path, n).toBe("param.n");
    }

    const noLength = await putPart(user, id, 2, shortBody(bytes.subarray(PART), 10));
    expect(noLength.status).toBe(422);
    expect(noLength.body.errors.map((e: { path: string }) => e.path)).toContain("header.content-length");

    const text = partRequest(user, id, 2, bytes.subarray(PART));
    text.headers.set("content-type", "text/plain");
    const wrongType = await call("PUT", `/v1/uploads/${id}/parts/2`, { headers: Object.fromEntries(text.headers) });
    expect(wrongType.status).toBe(415);

    const notUuid = await call("GET", "/v1/uploads/not-a-uuid", { headers: user.headers });
    expect(notUuid.status).toBe(422);
    expect(notUuid.body.errors[0].path).toBe("param.id");

    // nothing was recorded by any of these
    expect((await call("GET", `/v1/uploads/${id}`, { headers: user.headers })).body).toMatchObject({ status: "pending", parts_uploaded: 0, bytes_uploaded: 0 });
  });

  it("costs two round trips per part and one per GET", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 99);
    const id = (await startUpload(user, bytes, { part_size: PART })).body.id as string;
    const part = await withRoundTrips(partRequest(user, id, 2, slice(bytes, PART, 2)));
    expect(part.response.status).toBe(200);
    expect(part.roundTrips).toBe(2);
    const get = await withRoundTrips(new Request(`https://veza.test/v1/uploads/${id}`, { headers: user.headers }));
    expect(get.response.status).toBe(200);
    expect(get.roundTrips).toBe(1);
  });
});
