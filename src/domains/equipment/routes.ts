import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { bytes } from "../tracks/responses";
import { json, jsonBody, optionalBearer, problems, readErrors, signedIn, writeErrors } from "./responses";
import {
  CategoryListSchema,
  CreateEquipmentSchema,
  EquipmentIdParamSchema,
  EquipmentListSchema,
  EquipmentSchema,
  MyEquipmentQuerySchema,
  PageQuerySchema,
  PhotoParamSchema,
  PublicEquipmentListSchema,
  PublicEquipmentSchema,
  ReminderListSchema,
  RemindersQuerySchema,
  UpdateEquipmentSchema,
  UsernameParamSchema,
} from "./schemas";

const tags = ["Equipment"];

/** Who sees an item: said once, used by every public route's description. */
export const VISIBILITY =
  "Your inventory is private: an item is shown to others only once you mark it is_public, and then only as a gear card (category, brand, model, nickname, photos) on your profile — never its serial number, price, notes, warranties, maintenance or documents. A public item is hidden while its owner is banned or deleted, their profile is private, or a block stands either way. Anything you may not see is 404, never 403.";

export const categoriesRoute = createRoute({
  method: "get",
  path: "/v1/equipment-categories",
  tags,
  summary: "Equipment categories",
  description: "The active categories, in display order: the category_id of an item is one of these. One database round trip.",
  security: optionalBearer,
  responses: { 200: json("The categories", CategoryListSchema), 401: problems[401], 403: problems[403] },
});

export const remindersRoute = createRoute({
  method: "get",
  path: "/v1/me/equipment/reminders",
  tags,
  summary: "What needs my attention: warranties ending, maintenance due",
  description:
    "Warranties of my items ending within `days` (from today on), and maintenance due within `days` (overdue included: the latest entry of each maintenance type with a next_due_date), soonest first, at most 100. A warranty ending within 30 days also gets one notification (and an email when email_notifications is on) from a daily job. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: RemindersQuerySchema },
  responses: { 200: json("The reminders", ReminderListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const createEquipmentRoute = createRoute({
  method: "post",
  path: "/v1/me/equipment",
  tags,
  summary: "Add an item to my inventory",
  description: `Private unless is_public. The category must be active; photos must be your own live image files (at most 20). ${VISIBILITY} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "equipment")] as const,
  request: { body: jsonBody(CreateEquipmentSchema) },
  responses: { 201: json("The new item", EquipmentSchema), 401: problems[401], 403: problems[403], 422: problems[422], 429: problems[429] },
});

export const myEquipmentRoute = createRoute({
  method: "get",
  path: "/v1/me/equipment",
  tags,
  summary: "My inventory",
  description: "My items (not deleted), newest first, by cursor; `category_id` narrows it. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: MyEquipmentQuerySchema },
  responses: { 200: json("A page of items", EquipmentListSchema), 401: problems[401], 403: problems[403], 422: problems[422] },
});

export const getMyEquipmentRoute = createRoute({
  method: "get",
  path: "/v1/me/equipment/{id}",
  tags,
  summary: "One of my items, in full",
  description: "With its notes, all its warranties and its latest maintenance. Another's item is 404. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: EquipmentIdParamSchema },
  responses: { 200: json("The item", EquipmentSchema), ...readErrors },
});

export const updateEquipmentRoute = createRoute({
  method: "patch",
  path: "/v1/me/equipment/{id}",
  tags,
  summary: "Edit one of my items (also: show it on my profile or not)",
  description: `Any field; null clears an optional one. ${VISIBILITY} One database round trip.`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: EquipmentIdParamSchema, body: jsonBody(UpdateEquipmentSchema) },
  responses: { 200: json("The item as edited", EquipmentSchema), ...writeErrors },
});

export const deleteEquipmentRoute = createRoute({
  method: "delete",
  path: "/v1/me/equipment/{id}",
  tags,
  summary: "Remove one of my items",
  description: "A soft delete: it leaves the inventory, the profile and the reminders at once. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: EquipmentIdParamSchema },
  responses: { 204: { description: "Deleted" }, ...writeErrors },
});

export const documentRoute = createRoute({
  method: "get",
  path: "/v1/me/equipment/{id}/documents/{fileId}",
  tags,
  summary: "A document of one of my items' warranties or maintenance",
  description: "Only a file a warranty or maintenance entry of the item lists; yours only; sent as an attachment, with byte ranges. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: PhotoParamSchema },
  responses: { 200: bytes("The document", "application/pdf", "image/png", "image/jpeg"), 206: bytes("Part of it", "application/pdf"), ...readErrors, 416: problems[416] },
});

export const publicListRoute = createRoute({
  method: "get",
  path: "/v1/users/{username}/equipment",
  tags,
  summary: "A profile's gear",
  description: `The public items of a profile, newest first, by cursor — what everyone sees, the owner included. 404 when the profile cannot be found by you (deleted, banned, private, blocked, unknown). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: UsernameParamSchema, query: PageQuerySchema },
  responses: { 200: json("A page of gear cards", PublicEquipmentListSchema), ...readErrors },
});

export const publicItemRoute = createRoute({
  method: "get",
  path: "/v1/equipment/{id}",
  tags,
  summary: "One gear card",
  description: `A public item's card (its owner also sees it while private). ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: EquipmentIdParamSchema },
  responses: { 200: json("The gear card", PublicEquipmentSchema), ...readErrors },
});

export const photoRoute = createRoute({
  method: "get",
  path: "/v1/equipment/{id}/photos/{fileId}",
  tags,
  summary: "One of an item's photos",
  description: `Only a file the item lists as a photo, with byte ranges. ${VISIBILITY} One database round trip.`,
  security: optionalBearer,
  request: { params: PhotoParamSchema },
  responses: { 200: bytes("The image", "image/png", "image/jpeg", "image/webp"), 206: bytes("Part of the image", "image/png"), ...readErrors, 416: problems[416] },
});
