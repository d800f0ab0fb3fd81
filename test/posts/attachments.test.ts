import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { block, file, posted } from "./fixtures";

/** Puts bytes in R2 at the file's storage_path. */
async function store(fileId: string, bytes: Uint8Array) {
  const [row] = await sql.query("SELECT storage_path FROM files WHERE id = $1", [fileId]);
  await env.MEDIA.put(row!.storage_path as string, bytes);
}

describe("GET /v1/posts/:id/attachments/:fileId", () => {
  it("serves a post's files with the post's access", async () => {
    const ada = await signedInUser();
    const eve = await signedInUser();
    const image = await file(ada.id, "image/png");
    const other = await file(ada.id, "image/png");
    await store(image, new Uint8Array([1, 2, 3, 4]));
    const pub = await posted(ada, "pic", { image_file_ids: [image] });
    const url = pub.attachments.images[0].url as string;
    const res = await exports.default.fetch(`https://veza.test${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toContain("public");
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3, 4]);
    // a file of the author's the post does not name is not served through it
    expect((await api("GET", `/v1/posts/${pub.id}/attachments/${other}`)).status).toBe(404);

    const priv = await posted(ada, "private pic", { image_file_ids: [image], visibility: "private" });
    const privUrl = priv.attachments.images[0].url as string;
    expect((await api("GET", privUrl)).status).toBe(404);
    const mine = await exports.default.fetch(`https://veza.test${privUrl}`, { headers: ada.headers });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toContain("private");
    await mine.arrayBuffer();

    await block(ada, eve);
    expect((await api("GET", url, { headers: eve.headers })).status).toBe(404);
    // a deleted file leaves the post and is no longer served
    await sql.query("UPDATE files SET deleted_at = now() WHERE id = $1", [image]);
    expect((await api("GET", url)).status).toBe(404);
    expect((await api("GET", `/v1/posts/${pub.id}`)).body.attachments.images).toEqual([]);
  });
});
