import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { notFound } from "../../lib/errors";
import { preciseIso } from "../tracks/track-view";
import { profileFoundBy } from "../users/sql-fragments";
import { equipmentJson, equipmentSummaryJson, fromJson, ownedBy, publicEquipmentJson, visibleTo } from "./equipment-view";
import type { Equipment, EquipmentSummary, MyEquipmentQuery, PageQuery, PublicEquipment } from "./schemas";

type Page<T> = { items: T[]; next_cursor: string | null };
type PageRow = { id: string | null; cursor_at: string | null; item: unknown };

/** Newest first by (created_at, id): the page after `cursor`, over the equipment alias `e`. */
const after = (cursor: string | undefined) => {
  if (!cursor) return sql``;
  const [at, id] = decodeCursor(cursor);
  return sql`AND (e.created_at, e.id) < (${at}::timestamptz, ${id}::uuid)`;
};

function page<T>(rows: PageRow[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => fromJson<T>(r.item)),
    next_cursor: rows.length > limit && last ? encodeCursor(last.cursor_at!, last.id!) : null,
  };
}

/** GET /v1/equipment-categories, one statement: the active categories, in display order. */
export async function listCategories(db: Database) {
  const { rows } = await db.execute<{ id: string; name: string; slug: string; description: string | null; display_order: number }>(sql`
    SELECT id, name, slug, description, display_order FROM equipment_categories WHERE is_active ORDER BY display_order, name`);
  return { items: rows.map((r) => ({ ...r, display_order: Number(r.display_order) })) };
}

/** GET /v1/me/equipment/:id, one statement: my live item in full. */
export async function getMyEquipment(db: Database, userId: string, id: string): Promise<Equipment> {
  const { rows } = await db.execute<{ item: unknown }>(sql`
    SELECT ${equipmentJson()} AS item FROM equipment e WHERE e.id = ${id}::uuid AND ${ownedBy(userId)}`);
  if (!rows[0]) throw notFound("This item");
  return fromJson<Equipment>(rows[0].item);
}

/** GET /v1/me/equipment, one statement: my live items, newest first, optionally of one category. */
export async function listMyEquipment(db: Database, userId: string, q: MyEquipmentQuery): Promise<Page<EquipmentSummary>> {
  const { rows } = await db.execute<PageRow>(sql`
    SELECT e.id, ${preciseIso("e.created_at")} AS cursor_at, ${equipmentSummaryJson()} AS item
      FROM equipment e
     WHERE ${ownedBy(userId)} ${q.category_id ? sql`AND e.category_id = ${q.category_id}::uuid` : sql``} ${after(q.cursor)}
     ORDER BY e.created_at DESC, e.id DESC LIMIT ${q.limit + 1}`);
  return page(rows, q.limit);
}

/**
 * GET /v1/users/:username/equipment, one statement: a profile's public gear, newest first. The
 * profile is found by the profile's own rule (404 when deleted, banned, private to the viewer,
 * blocked either way, or unknown); the LEFT JOIN keeps one row for a profile with no public item,
 * so 404 and an empty list are told apart. Even its owner sees only the public items here: this is
 * the page others see.
 */
export async function listPublicEquipment(db: Database, username: string, viewerId: string | null, q: PageQuery): Promise<Page<PublicEquipment>> {
  const { rows } = await db.execute<PageRow>(sql`
    SELECT x.* FROM users owner
      JOIN user_profiles op ON op.user_id = owner.id
      LEFT JOIN LATERAL (
        SELECT e.id, ${preciseIso("e.created_at")} AS cursor_at, ${publicEquipmentJson()} AS item
          FROM equipment e
         WHERE e.user_id = owner.id AND e.is_public AND e.deleted_at IS NULL ${after(q.cursor)}
         ORDER BY e.created_at DESC, e.id DESC LIMIT ${q.limit + 1}
      ) x ON true
     WHERE ${profileFoundBy(username, viewerId, "owner", "op")}
     ORDER BY x.cursor_at DESC, x.id DESC`);
  if (rows.length === 0) throw notFound("This user");
  return page(rows.filter((r) => r.id !== null), q.limit);
}

/** GET /v1/equipment/:id, one statement: a public item's card (its owner also sees it while private). */
export async function getPublicEquipment(db: Database, viewerId: string | null, id: string): Promise<PublicEquipment> {
  const { rows } = await db.execute<{ item: unknown }>(sql`
    SELECT ${publicEquipmentJson()} AS item FROM equipment e WHERE e.id = ${id}::uuid AND ${visibleTo(viewerId)}`);
  if (!rows[0]) throw notFound("This item");
  return fromJson<PublicEquipment>(rows[0].item);
}
