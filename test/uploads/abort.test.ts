import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { one } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { call, PART, png, putPart, slice, startUpload, uploadFile, warmAuth, wav } from "./fixtures";

const abort = (user: { headers: Record<string, string> }, id: string) => call("DELETE", `/v1/uploads/${id}`, { headers: user.headers });

describe("DELETE /v1/uploads/:id", () => {
  it("aborts the R2 multipart upload and marks the upload aborted; it then takes no parts and cannot be completed", async () => {
    const user = await signedInUser();
    const bytes = wav(PART + 500);
    const id = (await startUpload(user, bytes, { part_size: PART })).body.id as string;
    expect((await putPart(user, id, 1, slice(bytes, PART, 1))).status).toBe(200);
    const row = await one("SELECT storage_key, upload_id FROM file_uploads WHERE id = $1", [id]);

    const res = await abort(user, id);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    // R2 no longer knows the multipart upload: its parts are gone
    const multipart = env.MEDIA.resumeMultipartUpload(row.storage_key as string, row.upload_id as string);
    await expect(multipart.uploadPart(2, slice(bytes, PART, 2))).rejects.toThrow();

    expect((await call("GET", `/v1/uploads/${id}`, { headers: user.headers })).body).toMatchObject({ status: "aborted", missing_parts: [2] });
    const part = await putPart(user, id, 2, slice(bytes, PART, 2));
    expect(part.status).toBe(409);
    expect(part.body.detail).toMatch(/aborted/);
    expect((await call("POST", `/v1/uploads/${id}/complete`, { headers: user.headers })).status).toBe(409);
    // aborting again is fine
    expect((await abort(user, id)).status).toBe(204);
    expect((await abort(user, crypto.randomUUID())).status).toBe(404);
  });

  it("refuses to abort a completed upload (409: it is a file now)", async () => {
    const user = await signedInUser();
    const { upload, completed } = await uploadFile(user, png(), { mime_type: "image/png" });
    expect(completed.status).toBe(201);
    const res = await abort(user, upload.id);
    expect(res.status).toBe(409);
    expect(await env.MEDIA.head(`files/${user.id}/${upload.id}`)).not.toBeNull();
  });

  it("costs one round trip", async () => {
    const user = await signedInUser();
    await warmAuth(user);
    const id = (await startUpload(user, wav(999))).body.id as string;
    const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/uploads/${id}`, { method: "DELETE", headers: user.headers }));
    expect(response.status).toBe(204);
    expect(roundTrips).toBe(1);
  });
});
