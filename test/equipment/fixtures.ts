import { expect } from "vitest";
import { api, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";

/** Fixtures of the hardware module's tests: items, warranties and maintenance through the API. */

export { banUser, imageFile, makeFile, ramp, softDeleteUser } from "../tracks/fixtures";

const categories = new Map<string, string>();

/** The id of a seeded category (0009_hardware.sql). */
export async function categoryId(slug = "microphones"): Promise<string> {
  if (!categories.has(slug)) {
    const [row] = await sql.query("SELECT id FROM equipment_categories WHERE slug = $1", [slug]);
    categories.set(slug, row!.id as string);
  }
  return categories.get(slug)!;
}

/** POST /v1/me/equipment as `user` (a Shure SM7B unless told). */
export const create = async (user: SignedInUser, body: Record<string, unknown> = {}) =>
  api("POST", "/v1/me/equipment", { body: { category_id: await categoryId(), brand: "Shure", model: "SM7B", ...body }, headers: user.headers });

/** An item that must be created; resolves to its JSON. */
export async function item(user: SignedInUser, body: Record<string, unknown> = {}) {
  const res = await create(user, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** An item with every private field filled in. */
export const fullItem = (user: SignedInUser, body: Record<string, unknown> = {}) =>
  item(user, {
    nickname: "Studio mic",
    serial_number: "SN-0042",
    purchase_date: "2024-05-01",
    purchase_price: "399.00",
    currency: "EUR",
    notes: "Bought second-hand from a friend.",
    ...body,
  });

export async function warranty(user: SignedInUser, itemId: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", `/v1/me/equipment/${itemId}/warranties`, {
    body: { provider: "Thomann", start_date: "2024-05-01", end_date: "2027-05-01", ...body },
    headers: user.headers,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export async function maintenance(user: SignedInUser, itemId: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", `/v1/me/equipment/${itemId}/maintenance`, {
    body: { performed_on: "2025-01-10", maintenance_type: "cleaning", ...body },
    headers: user.headers,
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export const patch = (user: SignedInUser, itemId: string, body: Record<string, unknown>) =>
  api("PATCH", `/v1/me/equipment/${itemId}`, { body, headers: user.headers });

export const block = (blocker: { id: string }, blocked: { id: string }) =>
  sql.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [blocker.id, blocked.id]);

/** A calendar day `days` from today (UTC), as the API writes dates. */
export const dayFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The keys only an owner may see. */
export const PRIVATE_KEYS = ["serial_number", "purchase_date", "purchase_price", "currency", "notes", "is_public", "warranties", "last_maintenance", "maintenance_count", "warranty_ends_on", "next_maintenance_due"];
