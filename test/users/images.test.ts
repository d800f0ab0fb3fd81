import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser } from "./fixtures";

/** A real 1x1 PNG. */
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));
/** The start of a JFIF file and of a lossless WebP: enough for the magic bytes. */
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
const WEBP = new Uint8Array([...new TextEncoder().encode("RIFF"), 0x1a, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8L"), 0x0d, 0, 0, 0, 0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00]);
/** A Windows executable: "MZ", whatever it is named. */
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]);

/** Variants of the same picture (a different trailing byte): distinct SHA-256, still a PNG. */
const pngVariant = (n: number) => new Uint8Array([...PNG, n]);

/** Through the Worker, waiting for its after-response work (R2 clean-up) to finish. */
async function call(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://veza.test${path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const upload = (kind: "avatar" | "banner", body: Uint8Array, type: string, headers: Record<string, string>) =>
  call(`/v1/me/${kind}`, { method: "PUT", headers: { ...headers, "content-type": type }, body });

async function sha256(bytes: Uint8Array) {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("PUT /v1/me/avatar and GET /v1/media/...", () => {
  it("stores a PNG, points the profile at it and serves it back byte-identical, immutable, with an ETag", async () => {
    const user = await signedInUser();
    const bytes = pngVariant(1);
    const res = await upload("avatar", bytes, "image/png", { ...user.headers, "content-disposition": 'attachment; filename="C:\\photos\\me.png"' });
    expect(res.status).toBe(200);
    const stored = (await res.json()) as { url: string; file_id: string; file_hash: string; mime_type: string; file_size: number };
    expect(stored.url).toMatch(new RegExp(`^/v1/media/avatars/${user.id}/[A-Za-z0-9_-]{24}\\.png$`));
    expect(stored).toMatchObject({ mime_type: "image/png", file_size: bytes.length, file_hash: await sha256(bytes) });

    const file = await one("SELECT user_id, filename, original_filename, mime_type, file_size, storage_path, url, file_hash, is_public FROM files WHERE id = $1", [stored.file_id]);
    expect(file).toEqual({
      user_id: user.id,
      filename: stored.url.split("/").at(-1),
      original_filename: "me.png",
      mime_type: "image/png",
      file_size: String(bytes.length),
      storage_path: stored.url.replace("/v1/media/", ""),
      url: stored.url,
      file_hash: await sha256(bytes),
      is_public: true,
    });
    const object = await env.MEDIA.head(file.storage_path as string);
    expect(object?.httpMetadata).toMatchObject({ contentType: "image/png", cacheControl: "public, max-age=31536000, immutable" });
    expect((await api("GET", "/v1/me", { headers: user.headers })).body.profile.avatar_url).toBe(stored.url);
    expect((await api("GET", `/v1/users/${user.username}`)).body.avatar_url).toBe(stored.url);

    const served = await call(stored.url);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = served.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);

    const again = await call(stored.url, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
  });

  it("costs one database round trip", async () => {
    const user = await signedInUser();
    await api("GET", "/v1/me", { headers: user.headers });
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/me/avatar", { method: "PUT", headers: { ...user.headers, "content-type": "image/png" }, body: pngVariant(2) }),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });

  it("takes JPEG and WebP too, as banner or avatar", async () => {
    const user = await signedInUser();
    const banner = await upload("banner", JPEG, "image/jpeg", user.headers);
    expect(banner.status).toBe(200);
    const { url } = (await banner.json()) as { url: string };
    expect(url).toMatch(new RegExp(`^/v1/media/banners/${user.id}/.+\\.jpg$`));
    const avatar = await upload("avatar", WEBP, "image/webp", user.headers);
    expect(avatar.status).toBe(200);
    const me = (await api("GET", "/v1/me", { headers: user.headers })).body.profile;
    expect(me.banner_url).toBe(url);
    expect(me.avatar_url).toMatch(/\.webp$/);
    expect((await call(url)).headers.get("content-type")).toBe("image/jpeg");
  });

  it("deletes the image it replaces, unless it is still the other picture", async () => {
    const user = await signedInUser();
    const first = (await (await upload("avatar", pngVariant(3), "image/png", user.headers)).json()) as { url: string; file_id: string };
    // the same bytes as banner: the stored file is reused, not copied
    const banner = (await (await upload("banner", pngVariant(3), "image/png", user.headers)).json()) as { url: string; file_id: string };
    expect(banner.file_id).toBe(first.file_id);
    const second = (await (await upload("avatar", pngVariant(4), "image/png", user.headers)).json()) as { url: string; file_id: string };
    expect((await call(first.url)).status).toBe(200); // still the banner
    await upload("avatar", pngVariant(5), "image/png", user.headers);
    expect((await call(second.url)).status).toBe(404);
    const rows = await sql.query("SELECT id, deleted_at IS NOT NULL AS deleted FROM files WHERE user_id = $1 ORDER BY created_at", [user.id]);
    expect(rows.map((r) => r.deleted)).toEqual([false, true, false]);
  });

  it("refuses a renamed executable sent as image/png (415), storing nothing", async () => {
    const user = await signedInUser();
    const res = await upload("avatar", EXE, "image/png", { ...user.headers, "content-disposition": 'attachment; filename="cat.png"' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { code: string }).code).toBe("unsupported_media_type");
    expect(await sql.query("SELECT 1 FROM files WHERE user_id = $1", [user.id])).toHaveLength(0);
    expect((await env.MEDIA.list({ prefix: `avatars/${user.id}/` })).objects).toHaveLength(0);
    expect((await one("SELECT avatar_url FROM user_profiles WHERE user_id = $1", [user.id])).avatar_url).toBeNull();
  });

  it.each([
    ["a PNG declared as JPEG", PNG, "image/jpeg"],
    ["a JPEG declared as WebP", JPEG, "image/webp"],
    ["a PNG as application/octet-stream", PNG, "application/octet-stream"],
    ["a PNG as image/gif", PNG, "image/gif"],
    ["an SVG", new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), "image/svg+xml"],
    ["an empty body", new Uint8Array(), "image/png"],
  ])("refuses %s with 415", async (_, body, type) => {
    const user = await signedInUser();
    const res = await upload("avatar", body, type, user.headers);
    expect(res.status).toBe(415);
    expect(await sql.query("SELECT 1 FROM files WHERE user_id = $1", [user.id])).toHaveLength(0);
  });

  it("refuses an image over 5 MiB (413) and takes one of exactly 5 MiB", async () => {
    const user = await signedInUser();
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PNG);
    const res = await upload("avatar", big, "image/png", user.headers);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("payload_too_large");
    expect(await sql.query("SELECT 1 FROM files WHERE user_id = $1", [user.id])).toHaveLength(0);
    expect((await upload("avatar", big.subarray(0, 5 * 1024 * 1024), "image/png", user.headers)).status).toBe(200);
  });

  it("refuses anonymous (401) and banned (403) uploads", async () => {
    expect((await upload("avatar", PNG, "image/png", {})).status).toBe(401);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await upload("banner", PNG, "image/png", banned.headers)).status).toBe(403);
  });

  it("answers 404 for an image that does not exist and 422 for an impossible address", async () => {
    const user = await signedInUser();
    expect((await call(`/v1/media/avatars/${user.id}/AAAAAAAAAAAAAAAAAAAAAAAA.png`)).status).toBe(404);
    expect((await call(`/v1/media/avatars/${user.id}/..%2F..%2Fsecret.png`)).status).toBe(422);
    expect((await call(`/v1/media/exports/${user.id}/AAAAAAAAAAAAAAAAAAAAAAAA.png`)).status).toBe(422);
  });
});
