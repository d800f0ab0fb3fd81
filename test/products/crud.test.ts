import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";
import { create, draft, imageFile, makeFile, patch, productRow } from "./fixtures";

const fieldsOf = (res: { body: { errors?: Array<{ path: string }> } }) => (res.body.errors ?? []).map((e) => e.path);

describe("POST /v1/products", () => {
  it("creates a draft with its fields, a slug from its name, and hides nothing from its seller", async () => {
    const ada = await signedInUser();
    const preview = await makeFile(ada.id, { mime: "audio/mpeg" });
    const image = await imageFile(ada.id);
    const deliverable = await makeFile(ada.id, { mime: "application/zip" });
    const name = `Midnight Drill Kit ${uniq()}`;
    const res = await create(ada, {
      name,
      category: "beat",
      tags: ["Trap", "dark", "trap"],
      formats: ["WAV", "MP3"],
      price: "24.5",
      bpm: 140,
      musical_key: "Am",
      genre: "Drill",
      preview_file_id: preview.id,
      image_file_ids: [image.id],
      download_file_ids: [deliverable.id],
    });
    expect(res.status, res.text).toBe(201);
    const p = res.body;
    expect(p).toMatchObject({
      name,
      slug: name.toLowerCase().replace(/ /g, "-"),
      status: "draft",
      for_sale: false,
      category: "beat",
      tags: ["trap", "dark"],
      formats: ["WAV", "MP3"],
      price: "24.50",
      currency: "USD",
      pricing_model: "fixed",
      minimum_price: null,
      bpm: 140,
      musical_key: "Am",
      genre: "Drill",
      published_at: null,
      preview_url: `/v1/products/${p.id}/preview`,
      thumbnail_url: `/v1/products/${p.id}/images/${image.id}`,
      download_file_count: 1,
      download_file_ids: [deliverable.id],
      preview_file_id: preview.id,
      licenses: [],
      seller: { id: ada.id, username: ada.username },
    });
    expect((await productRow(p.id)).thumbnail_url).toBe(`/v1/products/${p.id}/images/${image.id}`);
  });

  it("suffixes a slug already taken, and refuses a chosen slug that is taken (409)", async () => {
    const ada = await signedInUser();
    const name = `Same Name ${uniq()}`;
    const first = await draft(ada, { name });
    const second = await draft(ada, { name });
    expect(second.slug).not.toBe(first.slug);
    expect(second.slug.startsWith(`${first.slug}-`)).toBe(true);
    const taken = await create(ada, { slug: first.slug });
    expect(taken.status).toBe(409);
    expect(fieldsOf(taken)).toEqual(["json.slug"]);
    // a slug cannot pass for an id (GET /v1/products/:idOrSlug tells them apart by shape)
    expect(fieldsOf(await create(ada, { slug: crypto.randomUUID() }))).toEqual(["json.slug"]);
  });

  it("validates pricing: pwyw minimum above the price, a free product with a price, a missing price", async () => {
    const ada = await signedInUser();
    const pwyw = await create(ada, { pricing_model: "pwyw", price: "5.00", minimum_price: "8.00" });
    expect(pwyw.status).toBe(422);
    expect(fieldsOf(pwyw)).toEqual(["json.minimum_price"]);
    expect(fieldsOf(await create(ada, { pricing_model: "pwyw", price: "5.00" }))).toEqual(["json.minimum_price"]);
    const free = await create(ada, { pricing_model: "free", price: "3.00" });
    expect(free.status).toBe(422);
    expect(fieldsOf(free)).toEqual(["json.price"]);
    expect(fieldsOf(await create(ada, { price: undefined }))).toEqual(["json.price"]);
    expect(fieldsOf(await create(ada, { price: "12.345" }))).toEqual(["json.price"]);
    expect(fieldsOf(await create(ada, { minimum_price: "1.00" }))).toEqual(["json.minimum_price"]);

    const ok = await draft(ada, { pricing_model: "pwyw", price: "5.00", minimum_price: "2.00" });
    expect(ok).toMatchObject({ pricing_model: "pwyw", price: "5.00", minimum_price: "2.00" });
    const gratis = await draft(ada, { pricing_model: "free", price: undefined });
    expect(gratis).toMatchObject({ pricing_model: "free", price: "0.00" });
  });

  it("validates the rest: tags (≤ 10, ≤ 50 characters), bpm, category, unknown fields", async () => {
    const ada = await signedInUser();
    expect(fieldsOf(await create(ada, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }))).toEqual(["json.tags"]);
    expect(fieldsOf(await create(ada, { tags: ["x".repeat(51)] }))).toEqual(["json.tags.0"]);
    expect(fieldsOf(await create(ada, { bpm: 10 }))).toEqual(["json.bpm"]);
    expect(fieldsOf(await create(ada, { category: "car" }))).toEqual(["json.category"]);
    expect((await create(ada, { status: "active" })).status).toBe(422);
  });

  it("refuses files that are not the seller's own live ones of the right kind (422)", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const bobsAudio = await makeFile(bob.id, { mime: "audio/mpeg" });
    const image = await imageFile(ada.id);
    const goneAudio = await makeFile(ada.id, { mime: "audio/mpeg", deleted: true });
    expect(fieldsOf(await create(ada, { preview_file_id: bobsAudio.id }))).toEqual(["json.preview_file_id"]);
    expect(fieldsOf(await create(ada, { preview_file_id: image.id }))).toEqual(["json.preview_file_id"]);
    expect(fieldsOf(await create(ada, { preview_file_id: goneAudio.id }))).toEqual(["json.preview_file_id"]);
    expect(fieldsOf(await create(ada, { download_file_ids: [bobsAudio.id] }))).toEqual(["json.download_file_ids"]);
    const audio = await makeFile(ada.id, { mime: "audio/mpeg" });
    expect(fieldsOf(await create(ada, { image_file_ids: [audio.id] }))).toEqual(["json.image_file_ids"]);
    expect(fieldsOf(await create(ada, { image_file_ids: [image.id, image.id] }))).toEqual(["json.image_file_ids"]);
    const { n } = (await sql.query("SELECT count(*)::int AS n FROM products WHERE seller_id = $1", [ada.id]))[0] as { n: number };
    expect(n).toBe(0);
  });
});

describe("PATCH /v1/products/:id", () => {
  it("edits fields, clears nullable ones, keeps the slug on rename and changes it on request", async () => {
    const ada = await signedInUser();
    const p = await draft(ada, { bpm: 90, genre: "Lo-fi" });
    const slug = `renamed-${uniq()}`;
    const res = await patch(ada, p.id, { name: "Renamed", bpm: null, genre: null, tags: ["chill"], description: "New." });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: "Renamed", slug: p.slug, bpm: null, genre: null, tags: ["chill"], description: "New." });
    expect((await patch(ada, p.id, { slug })).body.slug).toBe(slug);
    expect((await api("GET", `/v1/products/${slug}`, { headers: ada.headers })).body.id).toBe(p.id);
    const other = await draft(ada);
    const clash = await patch(ada, other.id, { slug });
    expect(clash.status).toBe(409);
    expect(fieldsOf(clash)).toEqual(["json.slug"]);
  });

  it("translates the pricing CHECKs into field errors, and switching models keeps them consistent", async () => {
    const ada = await signedInUser();
    const p = await draft(ada, { pricing_model: "pwyw", price: "10.00", minimum_price: "4.00" });
    const below = await patch(ada, p.id, { price: "3.00" });
    expect(below.status, below.text).toBe(422);
    expect(fieldsOf(below)).toEqual(["json.minimum_price"]);
    const freeWithPrice = await patch(ada, p.id, { pricing_model: "free", price: "2.00" });
    expect(freeWithPrice.status).toBe(422);
    expect(fieldsOf(freeWithPrice)).toEqual(["json.price"]);
    const free = await patch(ada, p.id, { pricing_model: "free" });
    expect(free.body).toMatchObject({ pricing_model: "free", price: "0.00", minimum_price: null });
    const pwywWithoutFloor = await patch(ada, p.id, { pricing_model: "pwyw", price: "5.00" });
    expect(fieldsOf(pwywWithoutFloor)).toEqual(["json.minimum_price"]);
    const fixed = await patch(ada, p.id, { pricing_model: "fixed", price: "7.00" });
    expect(fixed.body).toMatchObject({ pricing_model: "fixed", price: "7.00", minimum_price: null });
  });

  it("refuses foreign files on update too", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const p = await draft(ada);
    const bobsImage = await imageFile(bob.id);
    expect(fieldsOf(await patch(ada, p.id, { image_file_ids: [bobsImage.id] }))).toEqual(["json.image_file_ids"]);
    const audio = await makeFile(ada.id, { mime: "audio/wav" });
    expect((await patch(ada, p.id, { preview_file_id: audio.id })).body.preview_file_id).toBe(audio.id);
    expect((await patch(ada, p.id, { preview_file_id: null })).body.preview_url).toBeNull();
  });
});

describe("DELETE /v1/products/:id", () => {
  it("soft-deletes: gone from the page and my list, the row kept", async () => {
    const ada = await signedInUser();
    const p = await draft(ada);
    expect((await api("DELETE", `/v1/products/${p.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("GET", `/v1/products/${p.id}`, { headers: ada.headers })).status).toBe(404);
    expect((await api("GET", "/v1/me/products", { headers: ada.headers })).body.items).toEqual([]);
    expect((await productRow(p.id)).deleted_at).not.toBeNull();
    expect((await api("DELETE", `/v1/products/${p.id}`, { headers: ada.headers })).status).toBe(404);
  });
});

describe("GET /v1/me/products", () => {
  it("lists every live product of mine, drafts included, newest first, by status and by cursor", async () => {
    const ada = await signedInUser();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await draft(ada));
    await sql.query("UPDATE products SET status = 'inactive' WHERE id = $1", [made[0].id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api("GET", `/v1/me/products?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: ada.headers });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(made.map((p) => p.id).reverse());
    const inactive = await api("GET", "/v1/me/products?status=inactive", { headers: ada.headers });
    expect(inactive.body.items.map((p: { id: string }) => p.id)).toEqual([made[0].id]);
  });
});
