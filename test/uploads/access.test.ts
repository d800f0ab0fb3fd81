import { describe, expect, it } from "vitest";
import { forgetAuthState } from "../../src/lib/auth/state";
import { signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { call, PART, putPart, send, slice, startUpload, wav } from "./fixtures";

/** Every upload route, as `user` (or anonymous), on upload `id`. */
function everyRoute(id: string, bytes: Uint8Array) {
  return [
    (h: Record<string, string>) => call("POST", "/v1/uploads", { headers: h, json: { filename: "x.wav", size: 10, mime_type: "audio/wav", sha256: "b".repeat(64) } }),
    (h: Record<string, string>) => call("GET", `/v1/uploads/${id}`, { headers: h }),
    (h: Record<string, string>) =>
      send(
        new Request(`https://veza.test/v1/uploads/${id}/parts/2`, {
          method: "PUT",
          headers: { ...h, "content-type": "application/octet-stream", "content-length": String(bytes.length - PART) },
          body: slice(bytes, PART, 2),
        }),
      ),
    (h: Record<string, string>) => call("POST", `/v1/uploads/${id}/complete`, { headers: h }),
    (h: Record<string, string>) => call("DELETE", `/v1/uploads/${id}`, { headers: h }),
  ];
}

async function openUpload() {
  const owner = await signedInUser();
  const bytes = wav(PART + 77);
  const id = (await startUpload(owner, bytes, { part_size: PART })).body.id as string;
  expect((await putPart(owner, id, 1, slice(bytes, PART, 1))).status).toBe(200);
  return { owner, bytes, id };
}

const state = (id: string) => one("SELECT status, chunks_uploaded FROM file_uploads WHERE id = $1", [id]);

describe("who may touch an upload", () => {
  it("refuses anonymous requests (401) on every route", async () => {
    const { id, bytes } = await openUpload();
    for (const route of everyRoute(id, bytes)) {
      const res = await route({});
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("unauthenticated");
    }
    expect(await state(id)).toEqual({ status: "uploading", chunks_uploaded: 1 });
  });

  it("hides an upload from another user (404 on read, part, complete and abort), changing nothing", async () => {
    const { id, bytes } = await openUpload();
    const stranger = await signedInUser();
    const [, get, put, complete, remove] = everyRoute(id, bytes);
    for (const route of [get!, put!, complete!, remove!]) {
      const res = await route(stranger.headers);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("not_found");
    }
    expect(await state(id)).toEqual({ status: "uploading", chunks_uploaded: 1 });
  });

  it("refuses a banned account (403) and a deleted one (401) on every route, even their own uploads", async () => {
    for (const [change, status] of [["is_banned = true", 403], ["deleted_at = now()", 401]] as const) {
      const { owner, id, bytes } = await openUpload();
      await sql.query(`UPDATE users SET ${change} WHERE id = $1`, [owner.id]);
      await forgetAuthState(owner.id);
      for (const route of everyRoute(id, bytes)) expect((await route(owner.headers)).status, change).toBe(status);
      expect(await state(id)).toEqual({ status: "uploading", chunks_uploaded: 1 });
    }
  });
});
