// Constraints and triggers of migrations/0009_hardware.sql (equipment categories, equipment,
// warranties, maintenance). Every test creates its own rows.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, MISSING, uniq, insert, insertId, once } from "../helpers/db";

async function categoryId(slug: string): Promise<string> {
  const [row] = await sql.query("SELECT id FROM equipment_categories WHERE slug = $1", [slug]);
  return row!.id as string;
}
const newEquipment = async (userId: string, o: Record<string, unknown> = {}) =>
  insertId("equipment", { user_id: userId, category_id: await categoryId("microphones"), brand: "Shure", model: "SM58", ...o });
const newWarranty = (equipmentId: string, o: Record<string, unknown> = {}) =>
  insertId("equipment_warranties", { equipment_id: equipmentId, provider: "Shure", start_date: "2025-01-01", end_date: "2027-01-01", ...o });
const newMaintenance = (equipmentId: string, o: Record<string, unknown> = {}) =>
  insertId("equipment_maintenance", { equipment_id: equipmentId, performed_on: "2025-03-01", maintenance_type: "service", ...o });
const uuidArray = (n: number) => `{${Array.from({ length: n }, () => crypto.randomUUID()).join(",")}}`;

interface Ctx { owner: string; item: string }
const ctx = once(async (): Promise<Ctx> => {
  const owner = (await createUser()).id;
  return { owner, item: await newEquipment(owner) };
});

type Case = [name: string, run: (c: Ctx) => Promise<unknown>, code: string, constraint: string];
const cases: Case[] = [
  // categories
  ["rejects a category name already used", () => insert("equipment_categories", { name: "Microphones", slug: `m-${uniq()}` }), "23505", "uq_equipment_categories_name"],
  ["rejects a category slug already used", () => insert("equipment_categories", { name: `Mics ${uniq()}`, slug: "microphones" }), "23505", "uq_equipment_categories_slug"],
  ["rejects a category slug with spaces", () => insert("equipment_categories", { name: `Mics ${uniq()}`, slug: "Bad Slug" }), "23514", "chk_equipment_categories_slug_format"],
  // equipment
  ["rejects a negative purchase price", (c) => newEquipment(c.owner, { purchase_price: "-1.00" }), "23514", "chk_equipment_purchase_price_positive"],
  ["rejects a currency that is not ISO 4217", (c) => newEquipment(c.owner, { currency: "eu" }), "23514", "chk_equipment_currency_format"],
  ["rejects more than 20 photos", (c) => newEquipment(c.owner, { photo_file_ids: uuidArray(21) }), "23514", "chk_equipment_photo_count"],
  ["rejects equipment without a brand", (c) => newEquipment(c.owner, { brand: null }), "23502", ""],
  ["rejects equipment of an unknown category", (c) => newEquipment(c.owner, { category_id: MISSING }), "23503", "fk_equipment_equipment_categories"],
  ["rejects equipment of an unknown user", () => newEquipment(MISSING), "23503", "fk_equipment_users"],
  ["refuses to delete a category that equipment uses", () =>
    sql.query("DELETE FROM equipment_categories WHERE slug = 'microphones'"), "23503", "fk_equipment_equipment_categories"],
  // warranties
  ["rejects a warranty ending before it starts", (c) => newWarranty(c.item, { start_date: "2025-01-01", end_date: "2024-12-31" }), "23514", "chk_equipment_warranties_dates_valid"],
  ["rejects a warranty type of 'lifetime'", (c) => newWarranty(c.item, { warranty_type: "lifetime" }), "23514", "chk_equipment_warranties_type_valid"],
  ["rejects more than 20 warranty documents", (c) => newWarranty(c.item, { document_file_ids: uuidArray(21) }), "23514", "chk_equipment_warranties_document_count"],
  ["rejects a warranty of unknown equipment", () => newWarranty(MISSING), "23503", "fk_equipment_warranties_equipment"],
  // maintenance
  ["rejects a maintenance type of 'polish'", (c) => newMaintenance(c.item, { maintenance_type: "polish" }), "23514", "chk_equipment_maintenance_type_valid"],
  ["rejects a negative maintenance cost", (c) => newMaintenance(c.item, { cost: "-3.00" }), "23514", "chk_equipment_maintenance_cost_positive"],
  ["rejects a maintenance currency of 'EU1'", (c) => newMaintenance(c.item, { currency: "EU1" }), "23514", "chk_equipment_maintenance_currency_format"],
  ["rejects a next due date before the maintenance", (c) =>
    newMaintenance(c.item, { performed_on: "2025-03-01", next_due_date: "2025-02-01" }), "23514", "chk_equipment_maintenance_next_due_after"],
  ["rejects more than 20 maintenance documents", (c) => newMaintenance(c.item, { document_file_ids: uuidArray(21) }), "23514", "chk_equipment_maintenance_document_count"],
  ["rejects maintenance of unknown equipment", () => newMaintenance(MISSING), "23503", "fk_equipment_maintenance_equipment"],
];

describe("hardware constraints", () => {
  it.each(cases)("%s", async (_name, run, code, constraint) => {
    const c = await ctx();
    await expectPgError(run(c), code, constraint || undefined);
  });

  it("seeds the equipment categories with slugs", async () => {
    const rows = await sql.query(
      `SELECT slug FROM equipment_categories WHERE slug = ANY($1::text[]) ORDER BY display_order`,
      ["{instruments,microphones,audio-interfaces,monitors,headphones,controllers,synthesizers,cables-accessories}"],
    );
    expect(rows.map((r) => r.slug)).toEqual([
      "instruments", "microphones", "audio-interfaces", "monitors", "headphones", "controllers", "synthesizers", "cables-accessories",
    ]);
  });

  it("keeps equipment private, with no photos, by default", async () => {
    const c = await ctx();
    const row = await insert("equipment", { user_id: c.owner, category_id: await categoryId("synthesizers"), brand: "Korg", model: "MS-20" });
    expect(row).toMatchObject({ is_public: false, photo_file_ids: [], currency: "USD", deleted_at: null });
  });

  it("deletes warranties and maintenance with their equipment", async () => {
    const c = await ctx();
    const item = await newEquipment(c.owner);
    await newWarranty(item);
    await newMaintenance(item);
    await sql.query("DELETE FROM equipment WHERE id = $1", [item]);
    const [row] = await sql.query(
      `SELECT (SELECT count(*) FROM equipment_warranties WHERE equipment_id = $1)::int AS w,
              (SELECT count(*) FROM equipment_maintenance WHERE equipment_id = $1)::int AS m`, [item]);
    expect(row).toEqual({ w: 0, m: 0 });
  });

  it("deletes a user's equipment with the user", async () => {
    const owner = (await createUser()).id;
    const item = await newEquipment(owner);
    await sql.query("DELETE FROM users WHERE id = $1", [owner]);
    expect(await sql.query("SELECT 1 FROM equipment WHERE id = $1", [item])).toHaveLength(0);
  });
});

describe("warranty expiry reminder", () => {
  it("re-arms the 30-day reminder when the end date changes, not on other edits", async () => {
    const c = await ctx();
    const w = await newWarranty(c.item);
    await sql.query("UPDATE equipment_warranties SET expiry_notified_at = now() WHERE id = $1", [w]);
    const [kept] = await sql.query("UPDATE equipment_warranties SET notes = 'receipt in drawer' WHERE id = $1 RETURNING expiry_notified_at", [w]);
    expect(kept!.expiry_notified_at).not.toBeNull();
    const [reset] = await sql.query("UPDATE equipment_warranties SET end_date = '2028-01-01' WHERE id = $1 RETURNING expiry_notified_at", [w]);
    expect(reset!.expiry_notified_at).toBeNull();
  });

  it("lets the reminder job set expiry_notified_at together with a date change", async () => {
    const c = await ctx();
    const w = await newWarranty(c.item);
    const [row] = await sql.query(
      "UPDATE equipment_warranties SET end_date = '2029-01-01', expiry_notified_at = now() WHERE id = $1 RETURNING expiry_notified_at", [w]);
    expect(row!.expiry_notified_at).not.toBeNull();
  });
});

describe("updated_at", () => {
  const bumps: [table: string, make: (c: Ctx) => Promise<string>, set: string][] = [
    ["equipment_categories", () => insertId("equipment_categories", { name: `Cat ${uniq()}`, slug: `cat-${uniq()}` }), "display_order = 99"],
    ["equipment", (c) => newEquipment(c.owner), "is_public = true"],
    ["equipment_warranties", (c) => newWarranty(c.item), "policy_number = 'P-1'"],
    ["equipment_maintenance", (c) => newMaintenance(c.item), "notes = 'new strings'"],
  ];
  it.each(bumps)("moves on UPDATE of %s", async (table, make, set) => {
    const c = await ctx();
    const id = await make(c);
    const [row] = await sql.query(`UPDATE ${table} SET ${set} WHERE id = $1 RETURNING updated_at > created_at AS moved`, [id]);
    expect(row!.moved).toBe(true);
  });
});
