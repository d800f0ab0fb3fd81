import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { rateLimit } from "../../lib/rate-limit";
import { json, jsonBody, problems, readErrors, signedIn, writeErrors } from "./responses";
import {
  CreateMaintenanceSchema,
  CreateWarrantySchema,
  EquipmentIdParamSchema,
  MaintenanceListSchema,
  MaintenanceParamSchema,
  MaintenanceSchema,
  PageQuerySchema,
  UpdateMaintenanceSchema,
  UpdateWarrantySchema,
  WarrantyListSchema,
  WarrantyParamSchema,
  WarrantySchema,
} from "./schemas";

/** Warranties and maintenance of my items: the owner's only, 404 for anyone else. */

const tags = ["Equipment"];
const OWNER_ONLY = "Only for your own live items: anyone else's, or a deleted one, is 404. One database round trip.";

export const listWarrantiesRoute = createRoute({
  method: "get",
  path: "/v1/me/equipment/{id}/warranties",
  tags,
  summary: "The warranties of one of my items",
  description: `All of them (at most 20), latest end date first. ${OWNER_ONLY}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: EquipmentIdParamSchema },
  responses: { 200: json("The warranties", WarrantyListSchema), ...readErrors },
});

export const createWarrantyRoute = createRoute({
  method: "post",
  path: "/v1/me/equipment/{id}/warranties",
  tags,
  summary: "Add a warranty to one of my items",
  description: `start_date ≤ end_date; documents are your own live PDF or image files. A warranty ending within 30 days gets one reminder notification. ${OWNER_ONLY}`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "equipment")] as const,
  request: { params: EquipmentIdParamSchema, body: jsonBody(CreateWarrantySchema) },
  responses: { 201: json("The warranty", WarrantySchema), ...writeErrors, 409: problems[409], 429: problems[429] },
});

export const updateWarrantyRoute = createRoute({
  method: "patch",
  path: "/v1/me/equipment/{id}/warranties/{warrantyId}",
  tags,
  summary: "Edit a warranty",
  description: `Any field; a new end_date re-arms the expiry reminder. Dates out of order with the stored ones are a 422. ${OWNER_ONLY}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: WarrantyParamSchema, body: jsonBody(UpdateWarrantySchema) },
  responses: { 200: json("The warranty as edited", WarrantySchema), ...writeErrors },
});

export const deleteWarrantyRoute = createRoute({
  method: "delete",
  path: "/v1/me/equipment/{id}/warranties/{warrantyId}",
  tags,
  summary: "Delete a warranty",
  description: OWNER_ONLY,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: WarrantyParamSchema },
  responses: { 204: { description: "Deleted" }, ...writeErrors },
});

export const listMaintenanceRoute = createRoute({
  method: "get",
  path: "/v1/me/equipment/{id}/maintenance",
  tags,
  summary: "The maintenance history of one of my items",
  description: `Newest first (by performed_on), by cursor. ${OWNER_ONLY}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: EquipmentIdParamSchema, query: PageQuerySchema },
  responses: { 200: json("A page of the history", MaintenanceListSchema), ...readErrors },
});

export const createMaintenanceRoute = createRoute({
  method: "post",
  path: "/v1/me/equipment/{id}/maintenance",
  tags,
  summary: "Record maintenance of one of my items",
  description: `performed_on not in the future; next_due_date (when this kind is due again) not before it; currency defaults to the item's. ${OWNER_ONLY}`,
  security: signedIn,
  middleware: [requireAuth(), rateLimit("POSTING_LIMITER", "equipment")] as const,
  request: { params: EquipmentIdParamSchema, body: jsonBody(CreateMaintenanceSchema) },
  responses: { 201: json("The maintenance entry", MaintenanceSchema), ...writeErrors, 429: problems[429] },
});

export const updateMaintenanceRoute = createRoute({
  method: "patch",
  path: "/v1/me/equipment/{id}/maintenance/{maintenanceId}",
  tags,
  summary: "Edit a maintenance entry",
  description: `Any field; null clears an optional one. ${OWNER_ONLY}`,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: MaintenanceParamSchema, body: jsonBody(UpdateMaintenanceSchema) },
  responses: { 200: json("The entry as edited", MaintenanceSchema), ...writeErrors },
});

export const deleteMaintenanceRoute = createRoute({
  method: "delete",
  path: "/v1/me/equipment/{id}/maintenance/{maintenanceId}",
  tags,
  summary: "Delete a maintenance entry",
  description: OWNER_ONLY,
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { params: MaintenanceParamSchema },
  responses: { 204: { description: "Deleted" }, ...writeErrors },
});
