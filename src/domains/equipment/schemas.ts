import { z } from "@hono/zod-openapi";
import type { MaintenanceType, WarrantyType } from "../../db/schema/hardware";
import { Money } from "../products/schemas";

/**
 * The shapes of the hardware module (spec §12; columns designed in migrations/0009_hardware.sql),
 * shared by routes, services and tests. Limits mirror the migration (VARCHAR lengths, DECIMAL(10,2),
 * ≤ 20 files per array, the type lists), so bad input is a 422 with a field path, never a 23514.
 * Dates are calendar days ("2026-03-01"); money travels as strings with two decimals.
 */

export const WARRANTY_TYPES = ["manufacturer", "extended", "retailer", "insurance"] as const satisfies readonly WarrantyType[];
export const MAINTENANCE_TYPES = [
  "service", "repair", "setup", "restring", "cleaning", "calibration", "upgrade", "inspection", "other",
] as const satisfies readonly MaintenanceType[];

/** chk_equipment_photo_count and the document CHECKs. */
export const MAX_FILES = 20;
/** Warranties one item may carry: the item page embeds them all. */
export const MAX_WARRANTIES_PER_ITEM = 20;
export const MAX_NOTES = 10_000;

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const line = (max: number) => z.string().trim().min(1).max(max).refine((s) => noControl(s) && !/[\r\n]/.test(s), "must be one line of text");
const notes = z.string().trim().min(1).max(MAX_NOTES).refine(noControl, "must not contain control characters");
const currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").openapi({ example: "EUR" });
const day = z.iso.date().openapi({ example: "2026-03-01" });
const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });

/** The owner's calendar may run a day ahead of UTC; anything later is a typo, not a purchase. */
const tomorrowUtc = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const notFuture = (message: string) => day.refine((d) => d <= tomorrowUtc(), message);

const distinct = (ids: string[]) => new Set(ids).size === ids.length;
const fileIds = (description: string) =>
  z.array(z.uuid()).max(MAX_FILES).refine(distinct, "must not repeat a file").openapi({ description });

// ---------------------------------------------------------------------------------------------------
// Categories

export const CategorySchema = z
  .object({ id: z.uuid(), name: z.string(), slug: z.string(), description: z.string().nullable(), display_order: z.number().int() })
  .openapi("EquipmentCategory");
export const CategoryListSchema = z.object({ items: z.array(CategorySchema) }).openapi("EquipmentCategoryList");
const CategoryRefSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });

// ---------------------------------------------------------------------------------------------------
// Equipment

const equipmentFields = {
  category_id: z.uuid().openapi({ description: "An active category of GET /v1/equipment-categories" }),
  brand: line(100).openapi({ example: "Shure" }),
  model: line(255).openapi({ example: "SM7B" }),
  nickname: line(100).openapi({ example: "Old Blue" }),
  serial_number: line(100).openapi({ description: "Never shown to anyone but you" }),
  purchase_date: notFuture("must not be in the future"),
  purchase_price: Money,
  currency: currency.openapi({ description: "Of purchase_price; defaults to USD" }),
  photo_file_ids: fileIds(`Up to ${MAX_FILES} of your live image files, in display order`),
  notes: notes.openapi({ description: "Private notes; never shown publicly" }),
  is_public: z.boolean().openapi({ description: "Shown on your profile's gear list (without serial number, price, notes, warranties, maintenance)" }),
};

export const CreateEquipmentSchema = z
  .object({
    category_id: equipmentFields.category_id,
    brand: equipmentFields.brand,
    model: equipmentFields.model,
    nickname: equipmentFields.nickname.optional(),
    serial_number: equipmentFields.serial_number.optional(),
    purchase_date: equipmentFields.purchase_date.optional(),
    purchase_price: equipmentFields.purchase_price.optional(),
    currency: equipmentFields.currency.optional(),
    photo_file_ids: equipmentFields.photo_file_ids.optional(),
    notes: equipmentFields.notes.optional(),
    is_public: equipmentFields.is_public.optional().openapi({ description: "Defaults to false: your inventory is private" }),
  })
  .strict()
  .openapi("CreateEquipment");
export type CreateEquipmentInput = z.infer<typeof CreateEquipmentSchema>;

export const UpdateEquipmentSchema = z
  .object({
    category_id: equipmentFields.category_id.optional(),
    brand: equipmentFields.brand.optional(),
    model: equipmentFields.model.optional(),
    nickname: equipmentFields.nickname.nullable().optional(),
    serial_number: equipmentFields.serial_number.nullable().optional(),
    purchase_date: equipmentFields.purchase_date.nullable().optional(),
    purchase_price: equipmentFields.purchase_price.nullable().optional(),
    currency: equipmentFields.currency.optional(),
    photo_file_ids: equipmentFields.photo_file_ids.optional(),
    notes: equipmentFields.notes.nullable().optional(),
    is_public: equipmentFields.is_public.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .openapi("UpdateEquipment");
export type UpdateEquipmentInput = z.infer<typeof UpdateEquipmentSchema>;

const FileRefSchema = z.object({ id: z.uuid(), url: z.string(), mime_type: z.string() });
const DocumentRefSchema = FileRefSchema.extend({ filename: z.string() });

/** What anyone sees of a public item: a "my gear" card. */
export const PublicEquipmentSchema = z
  .object({
    id: z.uuid(),
    category: CategoryRefSchema,
    brand: z.string(),
    model: z.string(),
    nickname: z.string().nullable(),
    photos: z.array(FileRefSchema),
    created_at: timestamp,
  })
  .openapi("PublicEquipment");
export type PublicEquipment = z.infer<typeof PublicEquipmentSchema>;
export const PublicEquipmentListSchema = z
  .object({ items: z.array(PublicEquipmentSchema), next_cursor: z.string().nullable() })
  .openapi("PublicEquipmentList");

export const WarrantySchema = z
  .object({
    id: z.uuid(),
    equipment_id: z.uuid(),
    provider: z.string(),
    warranty_type: z.enum(WARRANTY_TYPES),
    policy_number: z.string().nullable(),
    start_date: day,
    end_date: day,
    status: z.enum(["upcoming", "active", "expired"]).openapi({ description: "Against today's date (UTC)" }),
    documents: z.array(DocumentRefSchema),
    notes: z.string().nullable(),
    expiry_notified_at: timestamp.nullable().openapi({ description: "When the 30-day expiry reminder was sent; reset when end_date changes" }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("EquipmentWarranty");
export type Warranty = z.infer<typeof WarrantySchema>;
export const WarrantyListSchema = z.object({ items: z.array(WarrantySchema) }).openapi("EquipmentWarrantyList");

export const MaintenanceSchema = z
  .object({
    id: z.uuid(),
    equipment_id: z.uuid(),
    performed_on: day,
    maintenance_type: z.enum(MAINTENANCE_TYPES),
    performed_by: z.string().nullable(),
    cost: z.string().nullable().openapi({ example: "45.00" }),
    currency: z.string(),
    notes: z.string().nullable(),
    next_due_date: day.nullable(),
    documents: z.array(DocumentRefSchema),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("EquipmentMaintenance");
export type Maintenance = z.infer<typeof MaintenanceSchema>;
export const MaintenanceListSchema = z
  .object({ items: z.array(MaintenanceSchema), next_cursor: z.string().nullable() })
  .openapi("EquipmentMaintenanceList");

/** An item of my inventory, as lists show it. */
export const EquipmentSummarySchema = PublicEquipmentSchema.extend({
  serial_number: z.string().nullable(),
  purchase_date: day.nullable(),
  purchase_price: z.string().nullable(),
  currency: z.string(),
  is_public: z.boolean(),
  warranty_ends_on: day.nullable().openapi({ description: "The latest end date of its warranties, if any" }),
  next_maintenance_due: day.nullable().openapi({ description: "The soonest next_due_date among the latest entry of each maintenance type" }),
  updated_at: timestamp,
}).openapi("EquipmentSummary");
export type EquipmentSummary = z.infer<typeof EquipmentSummarySchema>;
export const EquipmentListSchema = z.object({ items: z.array(EquipmentSummarySchema), next_cursor: z.string().nullable() }).openapi("EquipmentList");

/** An item of mine in full: the summary, notes, its warranties and its latest maintenance. */
export const EquipmentSchema = EquipmentSummarySchema.extend({
  notes: z.string().nullable(),
  warranties: z.array(WarrantySchema).openapi({ description: "All of them, latest end date first" }),
  maintenance_count: z.number().int(),
  last_maintenance: MaintenanceSchema.nullable(),
}).openapi("Equipment");
export type Equipment = z.infer<typeof EquipmentSchema>;

// ---------------------------------------------------------------------------------------------------
// Warranties and maintenance: inputs

const warrantyFields = {
  provider: line(255).openapi({ description: "Manufacturer, retailer or insurer", example: "Thomann" }),
  warranty_type: z.enum(WARRANTY_TYPES),
  policy_number: line(100),
  start_date: day,
  end_date: day,
  document_file_ids: fileIds(`Up to ${MAX_FILES} of your live PDF or image files (invoice, certificate)`),
  notes,
};

const datesInOrder = (v: { start_date?: string | null; end_date?: string | null }, ctx: z.RefinementCtx) => {
  if (v.start_date && v.end_date && v.end_date < v.start_date) ctx.addIssue({ code: "custom", path: ["end_date"], message: "must not be before start_date" });
};

export const CreateWarrantySchema = z
  .object({
    provider: warrantyFields.provider,
    warranty_type: warrantyFields.warranty_type.optional().openapi({ description: "Defaults to manufacturer" }),
    policy_number: warrantyFields.policy_number.optional(),
    start_date: warrantyFields.start_date,
    end_date: warrantyFields.end_date,
    document_file_ids: warrantyFields.document_file_ids.optional(),
    notes: warrantyFields.notes.optional(),
  })
  .strict()
  .superRefine(datesInOrder)
  .openapi("CreateEquipmentWarranty");
export type CreateWarrantyInput = z.infer<typeof CreateWarrantySchema>;

export const UpdateWarrantySchema = z
  .object({
    provider: warrantyFields.provider.optional(),
    warranty_type: warrantyFields.warranty_type.optional(),
    policy_number: warrantyFields.policy_number.nullable().optional(),
    start_date: warrantyFields.start_date.optional(),
    end_date: warrantyFields.end_date.optional().openapi({ description: "A new end date re-arms the 30-day expiry reminder" }),
    document_file_ids: warrantyFields.document_file_ids.optional(),
    notes: warrantyFields.notes.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .superRefine(datesInOrder)
  .openapi("UpdateEquipmentWarranty");
export type UpdateWarrantyInput = z.infer<typeof UpdateWarrantySchema>;

const maintenanceFields = {
  performed_on: notFuture("must not be in the future: the history records what was done"),
  maintenance_type: z.enum(MAINTENANCE_TYPES),
  performed_by: line(255).openapi({ description: "Technician or shop" }),
  cost: Money,
  currency: currency.openapi({ description: "Of cost; defaults to the item's currency" }),
  notes,
  next_due_date: day.openapi({ description: "When this kind of maintenance is due again (not before performed_on)" }),
  document_file_ids: fileIds(`Up to ${MAX_FILES} of your live PDF or image files (receipts, reports)`),
};

const dueAfterPerformed = (v: { performed_on?: string | null; next_due_date?: string | null }, ctx: z.RefinementCtx) => {
  if (v.performed_on && v.next_due_date && v.next_due_date < v.performed_on) {
    ctx.addIssue({ code: "custom", path: ["next_due_date"], message: "must not be before performed_on" });
  }
};

export const CreateMaintenanceSchema = z
  .object({
    performed_on: maintenanceFields.performed_on,
    maintenance_type: maintenanceFields.maintenance_type,
    performed_by: maintenanceFields.performed_by.optional(),
    cost: maintenanceFields.cost.optional(),
    currency: maintenanceFields.currency.optional(),
    notes: maintenanceFields.notes.optional(),
    next_due_date: maintenanceFields.next_due_date.optional(),
    document_file_ids: maintenanceFields.document_file_ids.optional(),
  })
  .strict()
  .superRefine(dueAfterPerformed)
  .openapi("CreateEquipmentMaintenance");
export type CreateMaintenanceInput = z.infer<typeof CreateMaintenanceSchema>;

export const UpdateMaintenanceSchema = z
  .object({
    performed_on: maintenanceFields.performed_on.optional(),
    maintenance_type: maintenanceFields.maintenance_type.optional(),
    performed_by: maintenanceFields.performed_by.nullable().optional(),
    cost: maintenanceFields.cost.nullable().optional(),
    currency: maintenanceFields.currency.optional(),
    notes: maintenanceFields.notes.nullable().optional(),
    next_due_date: maintenanceFields.next_due_date.nullable().optional(),
    document_file_ids: maintenanceFields.document_file_ids.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" })
  .superRefine(dueAfterPerformed)
  .openapi("UpdateEquipmentMaintenance");
export type UpdateMaintenanceInput = z.infer<typeof UpdateMaintenanceSchema>;

// ---------------------------------------------------------------------------------------------------
// Reminders

export const ReminderSchema = z
  .object({
    kind: z.enum(["warranty_expiry", "maintenance_due"]),
    due_date: day,
    days_left: z.number().int().openapi({ description: "Negative when maintenance is overdue" }),
    equipment: z.object({ id: z.uuid(), brand: z.string(), model: z.string(), nickname: z.string().nullable() }),
    warranty: z.object({ id: z.uuid(), provider: z.string(), warranty_type: z.enum(WARRANTY_TYPES) }).nullable(),
    maintenance: z.object({ id: z.uuid(), maintenance_type: z.enum(MAINTENANCE_TYPES), performed_on: day }).nullable(),
  })
  .openapi("EquipmentReminder");
export type Reminder = z.infer<typeof ReminderSchema>;
export const ReminderListSchema = z.object({ items: z.array(ReminderSchema) }).openapi("EquipmentReminderList");

// ---------------------------------------------------------------------------------------------------
// Parameters and queries

const limit = z.coerce.number().int().min(1).max(100).default(20);
const cursor = z.string().max(300).optional().openapi({ description: "next_cursor of the previous page" });

export const EquipmentIdParamSchema = z.object({ id: z.uuid() });
export const PhotoParamSchema = z.object({ id: z.uuid(), fileId: z.uuid() });
export const WarrantyParamSchema = z.object({ id: z.uuid(), warrantyId: z.uuid() });
export const MaintenanceParamSchema = z.object({ id: z.uuid(), maintenanceId: z.uuid() });
export const UsernameParamSchema = z.object({ username: z.string().min(1).max(50) });

export const MyEquipmentQuerySchema = z.object({
  category_id: z.uuid().optional().openapi({ description: "Only items of this category" }),
  cursor,
  limit,
});
export type MyEquipmentQuery = z.infer<typeof MyEquipmentQuerySchema>;
export const PageQuerySchema = z.object({ cursor, limit });
export type PageQuery = z.infer<typeof PageQuerySchema>;
export const RemindersQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).openapi({ description: "How far ahead to look (days)" }),
});
