import { createRoute } from "@hono/zod-openapi";
import { jsonBody } from "../../lib/openapi";
import { jsonDoc as json } from "../../lib/problem";
import { adminOnly, CACHING, problems, tags } from "./routes";
import {
  ConfigListSchema,
  ConfigSchema,
  CreateConfigSchema,
  CreateFlagSchema,
  FlagListSchema,
  FlagSchema,
  KeyParamSchema,
  UpdateConfigSchema,
  UpdateFlagSchema,
} from "./schemas";

const readErrors = { 401: problems[401], 403: problems[403] };
const ADMIN = "Admins only.";
const WRITE = `${ADMIN} Recorded in the audit log. ${CACHING} One database round trip.`;

export const listFlagsRoute = createRoute({
  method: "get", path: "/v1/admin/flags", tags, ...adminOnly,
  summary: "All feature flags",
  description: `${ADMIN} Every flag by key, read from the database (not the cache). One database round trip.`,
  responses: { 200: json("The flags", FlagListSchema), ...readErrors },
});

export const getFlagRoute = createRoute({
  method: "get", path: "/v1/admin/flags/{key}", tags, ...adminOnly,
  summary: "One feature flag",
  description: `${ADMIN} One database round trip.`,
  request: { params: KeyParamSchema },
  responses: { 200: json("The flag", FlagSchema), ...readErrors, 404: problems[404], 422: problems[422] },
});

export const createFlagRoute = createRoute({
  method: "post", path: "/v1/admin/flags", tags, ...adminOnly,
  summary: "Create a feature flag",
  description: `Off by default (enabled false, rollout 0, empty allow-lists). Listed users must be existing accounts (422). ${WRITE}`,
  request: { body: jsonBody(CreateFlagSchema) },
  responses: { 201: json("The new flag", FlagSchema), ...readErrors, 409: problems[409], 422: problems[422] },
});

export const updateFlagRoute = createRoute({
  method: "patch", path: "/v1/admin/flags/{key}", tags, ...adminOnly,
  summary: "Change a feature flag",
  description: `Switch it, change its rollout, or replace an allow-list (lists are replaced whole). ${WRITE}`,
  request: { params: KeyParamSchema, body: jsonBody(UpdateFlagSchema) },
  responses: { 200: json("The flag as changed", FlagSchema), ...readErrors, 404: problems[404], 422: problems[422] },
});

export const deleteFlagRoute = createRoute({
  method: "delete", path: "/v1/admin/flags/{key}", tags, ...adminOnly,
  summary: "Delete a feature flag",
  description: `An unknown flag is off for everyone. ${WRITE}`,
  request: { params: KeyParamSchema },
  responses: { 204: { description: "Deleted" }, ...readErrors, 404: problems[404], 422: problems[422] },
});

export const listConfigsRoute = createRoute({
  method: "get", path: "/v1/admin/configs", tags, ...adminOnly,
  summary: "All system settings",
  description: `${ADMIN} Every setting by key, public or not, read from the database. One database round trip.`,
  responses: { 200: json("The settings", ConfigListSchema), ...readErrors },
});

export const getConfigRoute = createRoute({
  method: "get", path: "/v1/admin/configs/{key}", tags, ...adminOnly,
  summary: "One system setting",
  description: `${ADMIN} One database round trip.`,
  request: { params: KeyParamSchema },
  responses: { 200: json("The setting", ConfigSchema), ...readErrors, 404: problems[404], 422: problems[422] },
});

export const createConfigRoute = createRoute({
  method: "post", path: "/v1/admin/configs", tags, ...adminOnly,
  summary: "Create a system setting",
  description: `The value must have the declared value_type (string, number, boolean, json = an object or an array): 422 otherwise. Public settings are served to clients by GET /v1/flags. ${WRITE}`,
  request: { body: jsonBody(CreateConfigSchema) },
  responses: { 201: json("The new setting", ConfigSchema), ...readErrors, 409: problems[409], 422: problems[422] },
});

export const updateConfigRoute = createRoute({
  method: "patch", path: "/v1/admin/configs/{key}", tags, ...adminOnly,
  summary: "Change a system setting",
  description: `A value must have the setting's type, or the value_type sent with it (422 otherwise). ${WRITE}`,
  request: { params: KeyParamSchema, body: jsonBody(UpdateConfigSchema) },
  responses: { 200: json("The setting as changed", ConfigSchema), ...readErrors, 404: problems[404], 422: problems[422] },
});

export const deleteConfigRoute = createRoute({
  method: "delete", path: "/v1/admin/configs/{key}", tags, ...adminOnly,
  summary: "Delete a system setting",
  description: `Code reading it falls back to its own default. ${WRITE}`,
  request: { params: KeyParamSchema },
  responses: { 204: { description: "Deleted" }, ...readErrors, 404: problems[404], 422: problems[422] },
});
