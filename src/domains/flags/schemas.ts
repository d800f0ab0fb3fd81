import { z } from "@hono/zod-openapi";
import { systemConfigValueTypes } from "../../db/schema/admin";

/**
 * The shapes of system settings and feature flags (migration 0013: system_configs, feature_flags),
 * shared by routes, services and tests. Limits mirror the table (key format, VARCHAR(100), rollout
 * 0..100, the value's JSON type), so bad input is a 422 with a field path, never a 23514. Both tables
 * are read whole into every isolate's memory (src/lib/flags.ts): values and lists are capped.
 */

export const ROLES = ["user", "creator", "premium", "moderator", "admin"] as const;
export const MAX_ALLOWED_USERS = 1000;
/** Serialised JSON size of one setting's value. */
export const MAX_VALUE_BYTES = 16 * 1024;

const timestamp = z.string().openapi({ format: "date-time", example: "2026-03-01T12:00:00.000Z" });
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const Key = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, "must be lower-case words of letters, digits and underscores separated by dots, e.g. player.waveform_v2")
  .openapi({ example: "player.waveform_v2" });
export const KeyParamSchema = z.object({ key: Key.openapi({ param: { name: "key", in: "path" } }) });

const Description = z.string().trim().max(2000).refine(noControl, "must be one line of text without control characters").nullable();

// ---------------------------------------------------------------------------------------------
// Feature flags

const flagFields = {
  description: Description.openapi({ description: "What the flag switches, for admins" }),
  enabled: z.boolean().openapi({ description: "The kill switch: off means off for everyone, whatever the rest says" }),
  rollout_percent: z.number().int().min(0).max(100).openapi({ description: "Share of signed-in users (by a stable hash of the user id and the flag key) who get it; 100 = everyone, anonymous visitors included" }),
  allowed_user_ids: z
    .array(z.uuid())
    .max(MAX_ALLOWED_USERS)
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
    .openapi({ description: `Users who get it whatever the rollout (at most ${MAX_ALLOWED_USERS}; each must be an existing account)` }),
  allowed_roles: z
    .array(z.enum(ROLES))
    .max(ROLES.length)
    .transform((roles) => [...new Set(roles)])
    .openapi({ description: "Roles whose members get it whatever the rollout" }),
};

export const CreateFlagSchema = z
  .object({
    key: Key,
    description: flagFields.description.optional(),
    enabled: flagFields.enabled.default(false),
    rollout_percent: flagFields.rollout_percent.default(0),
    allowed_user_ids: flagFields.allowed_user_ids.default([]),
    allowed_roles: flagFields.allowed_roles.default([]),
  })
  .strict()
  .openapi("CreateFeatureFlag");
export type CreateFlagInput = z.infer<typeof CreateFlagSchema>;

export const UpdateFlagSchema = z
  .object({
    description: flagFields.description.optional(),
    enabled: flagFields.enabled.optional(),
    rollout_percent: flagFields.rollout_percent.optional(),
    allowed_user_ids: flagFields.allowed_user_ids.optional(),
    allowed_roles: flagFields.allowed_roles.optional(),
  })
  .strict()
  .refine((o) => Object.values(o).some((v) => v !== undefined), "must change at least one field")
  .openapi("UpdateFeatureFlag");
export type UpdateFlagInput = z.infer<typeof UpdateFlagSchema>;

export const FlagSchema = z
  .object({
    id: z.uuid(),
    key: Key,
    description: z.string().nullable(),
    enabled: z.boolean(),
    rollout_percent: z.number().int(),
    allowed_user_ids: z.array(z.uuid()),
    allowed_roles: z.array(z.enum(ROLES)),
    updated_by: z.uuid().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("FeatureFlag");
export type Flag = z.infer<typeof FlagSchema>;
export const FlagListSchema = z.object({ items: z.array(FlagSchema) }).openapi("FeatureFlagList");

/** GET /v1/flags: what a client needs to know, for its viewer. */
export const ClientFlagsSchema = z
  .object({
    flags: z.array(Key).openapi({ description: "The keys of the flags on for you, sorted. A flag not listed is off for you (or does not exist): the names of features off for you are not disclosed." }),
    configs: z.record(z.string(), z.unknown()).openapi({ description: "The public settings (is_public), by key", example: { "uploads.max_track_minutes": 60 } }),
  })
  .openapi("ClientFlags");

// ---------------------------------------------------------------------------------------------
// System settings

export const VALUE_TYPES = systemConfigValueTypes;
export type ValueType = (typeof VALUE_TYPES)[number];

/** The JSON type a value of `type` must have ('json' = an object or an array), as chk_system_configs_value_matches_type says. */
export function valueHasType(value: unknown, type: ValueType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "json":
      return typeof value === "object" && value !== null;
  }
}

export const typeNames: Record<ValueType, string> = { string: "a string", number: "a number", boolean: "true or false", json: "a JSON object or array" };

const Value = z
  .unknown()
  .refine((v) => v !== undefined, "is required")
  .refine((v) => v === undefined || JSON.stringify(v).length <= MAX_VALUE_BYTES, `must be at most ${MAX_VALUE_BYTES} bytes of JSON`)
  .openapi({ description: "The setting's value, of its value_type", example: 60 });

const configFields = {
  value_type: z.enum(VALUE_TYPES).openapi({ description: "string, number, boolean, or json (an object or an array)" }),
  description: Description.openapi({ description: "What the setting controls, for admins" }),
  is_public: z.boolean().openapi({ description: "Readable by clients (GET /v1/flags)" }),
};

const typedValue = (o: { value?: unknown; value_type?: ValueType }, ctx: z.RefinementCtx) => {
  if (o.value !== undefined && o.value_type && !valueHasType(o.value, o.value_type)) {
    ctx.addIssue({ code: "custom", path: ["value"], message: `must be ${typeNames[o.value_type]} (value_type ${o.value_type})` });
  }
};

export const CreateConfigSchema = z
  .object({
    key: Key,
    value_type: configFields.value_type,
    value: Value,
    description: configFields.description.optional(),
    is_public: configFields.is_public.default(false),
  })
  .strict()
  .superRefine(typedValue)
  .openapi("CreateSystemConfig");
export type CreateConfigInput = z.infer<typeof CreateConfigSchema>;

export const UpdateConfigSchema = z
  .object({
    value_type: configFields.value_type.optional().openapi({ description: "Changing the type needs a value of the new type in the same request" }),
    value: Value.optional(),
    description: configFields.description.optional(),
    is_public: configFields.is_public.optional(),
  })
  .strict()
  .superRefine(typedValue)
  .refine((o) => Object.values(o).some((v) => v !== undefined), "must change at least one field")
  .openapi("UpdateSystemConfig");
export type UpdateConfigInput = z.infer<typeof UpdateConfigSchema>;

export const ConfigSchema = z
  .object({
    id: z.uuid(),
    key: Key,
    value_type: z.enum(VALUE_TYPES),
    value: z.unknown(),
    description: z.string().nullable(),
    is_public: z.boolean(),
    updated_by: z.uuid().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("SystemConfig");
export type Config = z.infer<typeof ConfigSchema>;
export const ConfigListSchema = z.object({ items: z.array(ConfigSchema) }).openapi("SystemConfigList");
