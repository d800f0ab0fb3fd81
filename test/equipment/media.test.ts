import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { bytesOf, call } from "../tracks/fixtures";
import { imageFile, item, maintenance, makeFile, patch, ramp, warranty } from "./fixtures";

const get = (path: string, headers: Record<string, string> = {}) => call(path, { headers });

describe("photos and documents", () => {
  it("serves a public item's photo to anyone, with byte ranges, and only files the item lists", async () => {
    const ada = await signedInUser();
    const photo = await imageFile(ada.id, ramp(1000));
    const other = await imageFile(ada.id, ramp(10));
    const mine = await item(ada, { photo_file_ids: [photo.id], is_public: true });
    const path = `/v1/equipment/${mine.id}/photos/${photo.id}`;

    const whole = await get(path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("image/png");
    expect(whole.headers.get("cache-control")).toBe("public, max-age=300");
    expect(whole.headers.get("content-security-policy")).toContain("sandbox");
    expect(await bytesOf(whole)).toEqual(ramp(1000));

    const part = await get(path, { Range: "bytes=10-19" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect(await bytesOf(part)).toEqual(ramp(1000).slice(10, 20));
    expect((await get(path, { Range: "bytes=5000-" })).status).toBe(416);

    // a file of the owner's that the item does not list is not served through it
    const unlisted = await get(`/v1/equipment/${mine.id}/photos/${other.id}`);
    expect(unlisted.status).toBe(404);
    await unlisted.arrayBuffer();

    // a photo deleted since is gone from the item and its URL
    await sql.query("UPDATE files SET deleted_at = now() WHERE id = $1", [photo.id]);
    const afterDelete = await get(path);
    expect(afterDelete.status).toBe(404);
    await afterDelete.arrayBuffer();
    const res = await patch(ada, mine.id, { nickname: "x" });
    expect(res.body.photos).toEqual([]);
  });

  it("serves a private item's photo to its owner only, privately cached", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const photo = await imageFile(ada.id, ramp(50));
    const mine = await item(ada, { photo_file_ids: [photo.id] });
    const path = `/v1/equipment/${mine.id}/photos/${photo.id}`;
    const own = await get(path, ada.headers);
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toBe("private, max-age=300");
    await own.arrayBuffer();
    for (const headers of [{}, bob.headers]) {
      const res = await get(path, headers);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }
  });

  it("serves warranty and maintenance documents to the owner only, as attachments", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const pdf = await makeFile(ada.id, { mime: "application/pdf", originalFilename: "invoice 2024.pdf", bytes: ramp(300) });
    const receipt = await imageFile(ada.id, ramp(20));
    const stray = await makeFile(ada.id, { mime: "application/pdf", bytes: ramp(5) });
    const mine = await item(ada, { is_public: true });
    await warranty(ada, mine.id, { document_file_ids: [pdf.id] });
    await maintenance(ada, mine.id, { document_file_ids: [receipt.id] });

    const doc = await get(`/v1/me/equipment/${mine.id}/documents/${pdf.id}`, ada.headers);
    expect(doc.status).toBe(200);
    expect(doc.headers.get("content-type")).toBe("application/pdf");
    expect(doc.headers.get("content-disposition")).toBe('attachment; filename="invoice 2024.pdf"');
    expect(await bytesOf(doc)).toEqual(ramp(300));
    const part = await get(`/v1/me/equipment/${mine.id}/documents/${pdf.id}`, { ...ada.headers, Range: "bytes=-10" });
    expect(part.status).toBe(206);
    expect(await bytesOf(part)).toEqual(ramp(300).slice(290));
    const img = await get(`/v1/me/equipment/${mine.id}/documents/${receipt.id}`, ada.headers);
    expect(img.status).toBe(200);
    await img.arrayBuffer();

    const refusals: Array<[string, Record<string, string>, number]> = [
      [`/v1/me/equipment/${mine.id}/documents/${stray.id}`, ada.headers, 404], // not listed by any record of the item
      [`/v1/me/equipment/${mine.id}/documents/${pdf.id}`, bob.headers, 404], // a public item's documents stay private
      [`/v1/me/equipment/${mine.id}/documents/${pdf.id}`, {}, 401],
      [`/v1/equipment/${mine.id}/photos/${pdf.id}`, {}, 404], // a document is no photo
    ];
    for (const [path, headers, status] of refusals) {
      const res = await get(path, headers);
      expect(res.status, path).toBe(status);
      await res.arrayBuffer();
    }
  });
});
