// Hardware: spec §12 (tables named only; columns designed in migrations/0009_hardware.sql, the source
// of truth, which also seeds equipment_categories). CHECKs, indexes and triggers live there.
// Equipment is private to its owner unless is_public; serial numbers are never shown publicly.
import { sql } from "drizzle-orm";
import { pgTable, uuid, varchar, text, integer, boolean, timestamp, numeric, char, date } from "drizzle-orm/pg-core";
import { users } from "./accounts";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const money = (name: string) => numeric(name, { precision: 10, scale: 2 });

export type WarrantyType = "manufacturer" | "extended" | "retailer" | "insurance";
export type MaintenanceType =
  | "service" | "repair" | "setup" | "restring" | "cleaning" | "calibration" | "upgrade" | "inspection" | "other";

/** Seeded: instruments, microphones, audio-interfaces, monitors, headphones, controllers, synthesizers,
 * cables-accessories. */
export const equipmentCategories = pgTable("equipment_categories", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: varchar("name", { length: 100 }).notNull(),
  slug: varchar("slug", { length: 100 }).notNull(),
  description: text("description"),
  displayOrder: integer("display_order").notNull().default(0),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** photo_file_ids: ids of the owner's files (no FK on array elements; max 20). */
export const equipment = pgTable("equipment", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  categoryId: uuid("category_id").notNull().references(() => equipmentCategories.id, { onDelete: "restrict" }),
  brand: varchar("brand", { length: 100 }).notNull(),
  model: varchar("model", { length: 255 }).notNull(),
  nickname: varchar("nickname", { length: 100 }),
  serialNumber: varchar("serial_number", { length: 100 }),
  purchaseDate: date("purchase_date"),
  purchasePrice: money("purchase_price"),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  photoFileIds: uuid("photo_file_ids").array().notNull().default(sql`'{}'`),
  notes: text("notes"),
  isPublic: boolean("is_public").notNull().default(false),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  deletedAt: ts("deleted_at"),
});

/** expiry_notified_at: set by the daily job when it sends the 30-day reminder; reset when end_date changes. */
export const equipmentWarranties = pgTable("equipment_warranties", {
  id: uuid("id").primaryKey().defaultRandom(),
  equipmentId: uuid("equipment_id").notNull().references(() => equipment.id, { onDelete: "cascade" }),
  provider: varchar("provider", { length: 255 }).notNull(),
  warrantyType: varchar("warranty_type", { length: 20 }).$type<WarrantyType>().notNull().default("manufacturer"),
  policyNumber: varchar("policy_number", { length: 100 }),
  startDate: date("start_date").notNull(),
  endDate: date("end_date").notNull(),
  documentFileIds: uuid("document_file_ids").array().notNull().default(sql`'{}'`),
  notes: text("notes"),
  expiryNotifiedAt: ts("expiry_notified_at"),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const equipmentMaintenance = pgTable("equipment_maintenance", {
  id: uuid("id").primaryKey().defaultRandom(),
  equipmentId: uuid("equipment_id").notNull().references(() => equipment.id, { onDelete: "cascade" }),
  performedOn: date("performed_on").notNull(),
  maintenanceType: varchar("maintenance_type", { length: 20 }).$type<MaintenanceType>().notNull(),
  performedBy: varchar("performed_by", { length: 255 }),
  cost: money("cost"),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  notes: text("notes"),
  nextDueDate: date("next_due_date"),
  documentFileIds: uuid("document_file_ids").array().notNull().default(sql`'{}'`),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
