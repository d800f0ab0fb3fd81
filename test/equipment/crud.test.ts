import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { MISSING, sql } from "../helpers/db";
import { categoryId, create, dayFromToday, fullItem, imageFile, item, makeFile, patch } from "./fixtures";

const fieldPaths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((e) => e.path);

describe("equipment categories", () => {
  it("lists the active categories in display order, to anyone", async () => {
    const res = await api("GET", "/v1/equipment-categories");
    expect(res.status).toBe(200);
    const seeded = ["instruments", "microphones", "audio-interfaces", "monitors", "headphones", "controllers", "synthesizers", "cables-accessories"];
    const items = res.body.items as Array<{ slug: string; display_order: number }>;
    expect(items.map((c) => c.slug).filter((s) => seeded.includes(s))).toEqual(seeded);
    expect(items.map((c) => c.display_order)).toEqual(items.map((c) => c.display_order).sort((a, b) => a - b));
    expect(items.find((c) => c.slug === "instruments")).toEqual({ id: expect.any(String), name: "Instruments", slug: "instruments", description: null, display_order: 1 });
    expect(items.map((c) => c.slug)).not.toContain("retired-gear");
  });
});

describe("my inventory", () => {
  it("creates, reads, edits, lists and deletes an item", async () => {
    const ada = await signedInUser();
    const photo = await imageFile(ada.id);
    const created = await fullItem(ada, { photo_file_ids: [photo.id] });
    expect(created).toMatchObject({
      category: { id: await categoryId(), slug: "microphones", name: "Microphones" },
      brand: "Shure",
      model: "SM7B",
      nickname: "Studio mic",
      serial_number: "SN-0042",
      purchase_date: "2024-05-01",
      purchase_price: "399.00",
      currency: "EUR",
      notes: "Bought second-hand from a friend.",
      is_public: false,
      photos: [{ id: photo.id, url: `/v1/equipment/${created.id}/photos/${photo.id}`, mime_type: "image/png" }],
      warranties: [],
      maintenance_count: 0,
      last_maintenance: null,
      warranty_ends_on: null,
      next_maintenance_due: null,
    });

    const read = await api("GET", `/v1/me/equipment/${created.id}`, { headers: ada.headers });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created);

    const edited = await patch(ada, created.id, { nickname: null, serial_number: "SN-0043", purchase_price: null, category_id: await categoryId("headphones") });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ nickname: null, serial_number: "SN-0043", purchase_price: null, category: { slug: "headphones" }, brand: "Shure" });

    const list = await api("GET", "/v1/me/equipment", { headers: ada.headers });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([created.id]);

    expect((await api("DELETE", `/v1/me/equipment/${created.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("GET", `/v1/me/equipment/${created.id}`, { headers: ada.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/me/equipment/${created.id}`, { headers: ada.headers })).status).toBe(404);
    expect((await patch(ada, created.id, { brand: "X" })).status).toBe(404);
    expect((await api("GET", "/v1/me/equipment", { headers: ada.headers })).body.items).toEqual([]);
    const [row] = await sql.query("SELECT deleted_at IS NOT NULL AS deleted FROM equipment WHERE id = $1", [created.id]);
    expect(row).toEqual({ deleted: true });
  });

  it("pages the inventory newest first and filters it by category", async () => {
    const ada = await signedInUser();
    const mics = [await item(ada, { model: "A" }), await item(ada, { model: "B" }), await item(ada, { model: "C" })];
    const synth = await item(ada, { category_id: await categoryId("synthesizers"), brand: "Korg", model: "Minilogue" });

    const first = await api("GET", "/v1/me/equipment?limit=2", { headers: ada.headers });
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([synth.id, mics[2].id]);
    const second = await api("GET", `/v1/me/equipment?limit=2&cursor=${first.body.next_cursor}`, { headers: ada.headers });
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([mics[1].id, mics[0].id]);
    expect(second.body.next_cursor).toBeNull();

    const filtered = await api("GET", `/v1/me/equipment?category_id=${await categoryId("synthesizers")}`, { headers: ada.headers });
    expect(filtered.body.items.map((i: { id: string }) => i.id)).toEqual([synth.id]);
    expect((await api("GET", "/v1/me/equipment?cursor=nope", { headers: ada.headers })).status).toBe(422);
  });

  it("refuses bad input with a 422 naming the field", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const bobsImage = await imageFile(bob.id);
    const audio = await makeFile(ada.id, { mime: "audio/wav" });
    const deletedImage = await makeFile(ada.id, { mime: "image/png", deleted: true });
    await sql.query("INSERT INTO equipment_categories (name, slug, is_active, display_order) VALUES ($1, $1, false, 1000) ON CONFLICT DO NOTHING", ["retired-gear"]);
    const [retired] = await sql.query("SELECT id FROM equipment_categories WHERE slug = 'retired-gear'");

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ brand: "" }, "json.brand"],
      [{ model: "x".repeat(256) }, "json.model"],
      [{ purchase_date: "2024-02-30" }, "json.purchase_date"],
      [{ purchase_date: dayFromToday(10) }, "json.purchase_date"],
      [{ purchase_price: "-1.00" }, "json.purchase_price"],
      [{ purchase_price: "12.345" }, "json.purchase_price"],
      [{ currency: "eur" }, "json.currency"],
      [{ category_id: "microphones" }, "json.category_id"],
      [{ category_id: MISSING }, "json.category_id"],
      [{ category_id: retired!.id }, "json.category_id"],
      [{ photo_file_ids: [bobsImage.id] }, "json.photo_file_ids"],
      [{ photo_file_ids: [audio.id] }, "json.photo_file_ids"],
      [{ photo_file_ids: [deletedImage.id] }, "json.photo_file_ids"],
      [{ photo_file_ids: [MISSING] }, "json.photo_file_ids"],
      [{ photo_file_ids: Array.from({ length: 21 }, () => crypto.randomUUID()) }, "json.photo_file_ids"],
      [{ is_public: "yes" }, "json.is_public"],
      [{ owner_id: bob.id }, "json"],
    ];
    for (const [body, path] of cases) {
      const res = await create(ada, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(fieldPaths(res.body).some((p) => p.startsWith(path)), `${JSON.stringify(body)}: ${res.text}`).toBe(true);
    }
    const mine = await item(ada);
    expect((await patch(ada, mine.id, {})).status).toBe(422);
    expect(fieldPaths((await patch(ada, mine.id, { photo_file_ids: [bobsImage.id] })).body)).toEqual(["json.photo_file_ids"]);
    expect(fieldPaths((await patch(ada, mine.id, { category_id: retired!.id })).body)).toEqual(["json.category_id"]);
    expect((await api("GET", "/v1/me/equipment/not-a-uuid", { headers: ada.headers })).status).toBe(422);
    const [row] = await sql.query("SELECT count(*)::int AS n FROM equipment WHERE user_id = $1", [ada.id]);
    expect(row).toEqual({ n: 1 });
  });

  it("keeps an item whose category was retired, and lists it", async () => {
    const ada = await signedInUser();
    const slug = `vintage-${crypto.randomUUID().slice(0, 8)}`;
    const [category] = await sql.query("INSERT INTO equipment_categories (name, slug, display_order) VALUES ($1, $1, 1000) RETURNING id", [slug]);
    const mine = await item(ada, { category_id: category!.id });
    await sql.query("UPDATE equipment_categories SET is_active = false WHERE id = $1", [category!.id]);
    expect((await api("GET", "/v1/equipment-categories")).body.items.map((c: { slug: string }) => c.slug)).not.toContain(slug);
    const res = await patch(ada, mine.id, { nickname: "Still here" });
    expect(res.status).toBe(200);
    expect(res.body.category.slug).toBe(slug);
  });
});
