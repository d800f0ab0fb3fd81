import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError, notFound } from "../../lib/errors";
import { changeSettings } from "../../lib/flags";
import { parseJson } from "../../lib/json-value";
import { iso } from "../tracks/track-view";
import { typeNames, type Config, type CreateConfigInput, type UpdateConfigInput, type ValueType } from "./schemas";

/**
 * Admin CRUD of system_configs: typed values, validated on write. The request's own value and type
 * are checked by zod; a PATCH of the value alone is checked against the stored type in the same
 * statement (the CHECK chk_system_configs_value_matches_type stays the last word). Every write is one
 * round trip, audited, and reads the new snapshot for src/lib/flags.ts.
 */

const configJson = (a: string) =>
  sql`json_build_object('id', ${sql.raw(a)}.id, 'key', ${sql.raw(a)}.key, 'value_type', ${sql.raw(a)}.value_type, 'value', ${sql.raw(a)}.value,
    'description', ${sql.raw(a)}.description, 'is_public', ${sql.raw(a)}.is_public, 'updated_by', ${sql.raw(a)}.updated_by,
    'created_at', ${iso(`${a}.created_at`)}, 'updated_at', ${iso(`${a}.updated_at`)})`;

/** SQL: does jsonb `value` have `type` (a text expression)? As chk_system_configs_value_matches_type. */
const hasType = (value: SQL, type: SQL) =>
  sql`(CASE ${type} WHEN 'json' THEN jsonb_typeof(${value}) IN ('object', 'array') ELSE jsonb_typeof(${value}) = ${type} END)`;

const CONFIG_ACTION = { create: "system_config.create", update: "system_config.update", delete: "system_config.delete" } as const;

const audited = (action: keyof typeof CONFIG_ACTION, adminId: string, origin: AuditOrigin, from: SQL, data: { oldData?: SQL; newData?: SQL }, key: SQL) =>
  auditInsertFrom(
    { action: CONFIG_ACTION[action], userId: sql`NULL::uuid`, actorId: adminId, origin, severity: action === "delete" ? "warning" : "info", metadata: sql`jsonb_build_object('key', ${key})`, ...data },
    from,
  );

const jsonb = (value: unknown) => sql`${value === undefined ? null : JSON.stringify(value)}::jsonb`;

/** GET /v1/admin/configs: every setting, by key. */
export async function listConfigs(db: Database): Promise<{ items: Config[] }> {
  const { rows } = await db.execute<{ items: unknown }>(
    sql`SELECT COALESCE(json_agg(${configJson("s")} ORDER BY s.key), '[]'::json) AS items FROM system_configs s`,
  );
  return { items: parseJson<Config[]>(rows[0]?.items) ?? [] };
}

/** GET /v1/admin/configs/:key */
export async function getConfig(db: Database, key: string): Promise<Config> {
  const { rows } = await db.execute<{ config: unknown }>(sql`SELECT ${configJson("s")} AS config FROM system_configs s WHERE s.key = ${key}`);
  if (!rows[0]) throw notFound("This setting");
  return parseJson<Config>(rows[0].config)!;
}

/** POST /v1/admin/configs: 409 when the key is taken. */
export async function createConfig(db: Database, adminId: string, input: CreateConfigInput, origin: AuditOrigin): Promise<Config> {
  const [row] = await changeSettings<{ config: unknown }>(db, sql`
    WITH created AS (
      INSERT INTO system_configs (key, value, value_type, description, is_public, updated_by)
      VALUES (${input.key}, ${jsonb(input.value)}, ${input.value_type}, ${input.description ?? null}, ${input.is_public}, ${adminId}::uuid)
      ON CONFLICT (key) DO NOTHING
      RETURNING *
    ), logged AS (${audited("create", adminId, origin, sql`created`, { newData: sql`to_jsonb(created)` }, sql`created.key`)})
    SELECT (SELECT ${configJson("s")} FROM created s) AS config`);
  if (!row?.config) throw new ApiError("conflict", "A setting with this key already exists.", { errors: [{ path: "json.key", message: "is already taken" }] });
  return parseJson<Config>(row.config)!;
}

type UpdateRow = { current_type: ValueType | null; config: unknown };

/**
 * PATCH /v1/admin/configs/:key. A value alone must have the stored type (422 naming it); a new
 * value_type needs a value of that type in the same request (checked by zod, and here when only
 * the type is sent).
 */
export async function updateConfig(db: Database, adminId: string, key: string, input: UpdateConfigInput, origin: AuditOrigin): Promise<Config> {
  const newType = sql`COALESCE(${input.value_type ?? null}::varchar, t.value_type)`;
  const newValue = sql`COALESCE(${jsonb(input.value)}, t.value)`;
  const [row] = await changeSettings<UpdateRow>(db, sql`
    WITH target AS (SELECT * FROM system_configs WHERE key = ${key}),
    updated AS (
      UPDATE system_configs s SET
        value = ${newValue},
        value_type = ${newType},
        description = CASE WHEN ${input.description !== undefined}::boolean THEN ${input.description ?? null} ELSE s.description END,
        is_public = COALESCE(${input.is_public ?? null}::boolean, s.is_public),
        updated_by = ${adminId}::uuid
        FROM target t
       WHERE s.id = t.id AND ${hasType(newValue, newType)}
      RETURNING s.*
    ), logged AS (${audited("update", adminId, origin, sql`updated u, target t`, { oldData: sql`to_jsonb(t)`, newData: sql`to_jsonb(u)` }, sql`u.key`)})
    SELECT (SELECT value_type FROM target) AS current_type, (SELECT ${configJson("s")} FROM updated s) AS config`);
  if (!row?.current_type) throw notFound("This setting");
  if (!row.config) {
    const type = input.value_type ?? row.current_type;
    throw new ApiError("validation_failed", "The value does not have the setting's type.", {
      errors: [{ path: "json.value", message: `must be ${typeNames[type]} (value_type ${type})` }],
    });
  }
  return parseJson<Config>(row.config)!;
}

/** DELETE /v1/admin/configs/:key: code reading it then gets undefined (its own default). */
export async function deleteConfig(db: Database, adminId: string, key: string, origin: AuditOrigin): Promise<void> {
  const [row] = await changeSettings<{ deleted: number }>(db, sql`
    WITH deleted AS (DELETE FROM system_configs WHERE key = ${key} RETURNING *),
    logged AS (${audited("delete", adminId, origin, sql`deleted`, { oldData: sql`to_jsonb(deleted)` }, sql`deleted.key`)})
    SELECT count(*)::int AS deleted FROM deleted`);
  if (!Number(row?.deleted)) throw notFound("This setting");
}
