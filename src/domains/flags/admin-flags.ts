import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditInsertFrom, type AuditOrigin } from "../../lib/audit";
import { ApiError, notFound } from "../../lib/errors";
import { changeSettings } from "../../lib/flags";
import { parseJson } from "../../lib/json-value";
import { textArray } from "../posts/post-text";
import { iso } from "../tracks/track-view";
import type { CreateFlagInput, Flag, UpdateFlagInput } from "./schemas";

/**
 * Admin CRUD of feature_flags. Reads go to the database (an admin sees the truth, not a cached
 * snapshot); every write is one round trip that also records itself in audit_logs and reads the new
 * snapshot for src/lib/flags.ts (changeSettings).
 */

const flagJson = (a: string) =>
  sql`json_build_object('id', ${sql.raw(a)}.id, 'key', ${sql.raw(a)}.key, 'description', ${sql.raw(a)}.description,
    'enabled', ${sql.raw(a)}.enabled, 'rollout_percent', ${sql.raw(a)}.rollout_percent,
    'allowed_user_ids', to_json(${sql.raw(a)}.allowed_user_ids), 'allowed_roles', to_json(${sql.raw(a)}.allowed_roles),
    'updated_by', ${sql.raw(a)}.updated_by, 'created_at', ${iso(`${a}.created_at`)}, 'updated_at', ${iso(`${a}.updated_at`)})`;

type FlagRow = { flag: unknown };
type WriteRow = { found?: boolean; unknown_user_ids: unknown; flag: unknown };

/** Ids of `ids` that are not live accounts, as a CTE body: a flag must not list a stranger. */
const unknownUsers = (ids: string[] | undefined) =>
  sql`SELECT COALESCE(array_agg(u.id ORDER BY u.id), '{}'::uuid[]) AS ids
        FROM unnest(${textArray(ids ?? [])}::uuid[]) AS u(id)
       WHERE NOT EXISTS (SELECT 1 FROM users x WHERE x.id = u.id AND x.deleted_at IS NULL)`;

const noUnknownUsers = sql`cardinality((SELECT ids FROM unknown_users)) = 0`;

function refuseUnknownUsers(row: WriteRow): void {
  const unknown = parseJson<string[]>(row.unknown_user_ids) ?? [];
  if (unknown.length) {
    throw new ApiError("validation_failed", "Some listed users do not exist.", {
      errors: unknown.map((id) => ({ path: "json.allowed_user_ids", message: `${id} is not an account` })),
    });
  }
}

const FLAG_ACTION = { create: "feature_flag.create", update: "feature_flag.update", delete: "feature_flag.delete" } as const;

/** An audit row per changed flag: no subject user (a platform setting), the admin as actor. */
const audited = (action: keyof typeof FLAG_ACTION, adminId: string, origin: AuditOrigin, from: SQL, data: { oldData?: SQL; newData?: SQL }, key: SQL) =>
  auditInsertFrom(
    { action: FLAG_ACTION[action], userId: sql`NULL::uuid`, actorId: adminId, origin, severity: action === "delete" ? "warning" : "info", metadata: sql`jsonb_build_object('key', ${key})`, ...data },
    from,
  );

/** GET /v1/admin/flags: every flag, by key (a few dozen rows: the table is read whole anyway). */
export async function listFlags(db: Database): Promise<{ items: Flag[] }> {
  const { rows } = await db.execute<{ items: unknown }>(
    sql`SELECT COALESCE(json_agg(${flagJson("f")} ORDER BY f.key), '[]'::json) AS items FROM feature_flags f`,
  );
  return { items: parseJson<Flag[]>(rows[0]?.items) ?? [] };
}

/** GET /v1/admin/flags/:key */
export async function getFlag(db: Database, key: string): Promise<Flag> {
  const { rows } = await db.execute<FlagRow>(sql`SELECT ${flagJson("f")} AS flag FROM feature_flags f WHERE f.key = ${key}`);
  if (!rows[0]) throw notFound("This feature flag");
  return parseJson<Flag>(rows[0].flag)!;
}

/** POST /v1/admin/flags: 409 when the key is taken, 422 when a listed user does not exist. */
export async function createFlag(db: Database, adminId: string, input: CreateFlagInput, origin: AuditOrigin): Promise<Flag> {
  const [row] = await changeSettings<WriteRow>(db, sql`
    WITH unknown_users AS (${unknownUsers(input.allowed_user_ids)}),
    created AS (
      INSERT INTO feature_flags (key, description, enabled, rollout_percent, allowed_user_ids, allowed_roles, updated_by)
      SELECT ${input.key}, ${input.description ?? null}, ${input.enabled}, ${input.rollout_percent},
             ${textArray(input.allowed_user_ids)}::uuid[], ${textArray(input.allowed_roles)}::user_role[], ${adminId}::uuid
       WHERE ${noUnknownUsers}
      ON CONFLICT (key) DO NOTHING
      RETURNING *
    ), logged AS (${audited("create", adminId, origin, sql`created`, { newData: sql`to_jsonb(created)` }, sql`created.key`)})
    SELECT (SELECT to_json(ids) FROM unknown_users) AS unknown_user_ids, (SELECT ${flagJson("f")} FROM created f) AS flag`);
  refuseUnknownUsers(row!);
  if (!row!.flag) throw new ApiError("conflict", "A feature flag with this key already exists.", { errors: [{ path: "json.key", message: "is already taken" }] });
  return parseJson<Flag>(row!.flag)!;
}

/** PATCH /v1/admin/flags/:key: lists are replaced whole; a null description clears it. */
export async function updateFlag(db: Database, adminId: string, key: string, input: UpdateFlagInput, origin: AuditOrigin): Promise<Flag> {
  const [row] = await changeSettings<WriteRow>(db, sql`
    WITH target AS (SELECT * FROM feature_flags WHERE key = ${key}),
    unknown_users AS (${unknownUsers(input.allowed_user_ids)}),
    updated AS (
      UPDATE feature_flags f SET
        description = CASE WHEN ${input.description !== undefined}::boolean THEN ${input.description ?? null} ELSE f.description END,
        enabled = COALESCE(${input.enabled ?? null}::boolean, f.enabled),
        rollout_percent = COALESCE(${input.rollout_percent ?? null}::integer, f.rollout_percent),
        allowed_user_ids = COALESCE(${input.allowed_user_ids ? textArray(input.allowed_user_ids) : null}::uuid[], f.allowed_user_ids),
        allowed_roles = COALESCE(${input.allowed_roles ? textArray(input.allowed_roles) : null}::user_role[], f.allowed_roles),
        updated_by = ${adminId}::uuid
        FROM target t
       WHERE f.id = t.id AND ${noUnknownUsers}
      RETURNING f.*
    ), logged AS (${audited("update", adminId, origin, sql`updated u, target t`, { oldData: sql`to_jsonb(t)`, newData: sql`to_jsonb(u)` }, sql`u.key`)})
    SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT to_json(ids) FROM unknown_users) AS unknown_user_ids,
           (SELECT ${flagJson("f")} FROM updated f) AS flag`);
  if (!row!.found) throw notFound("This feature flag");
  refuseUnknownUsers(row!);
  return parseJson<Flag>(row!.flag)!;
}

/** DELETE /v1/admin/flags/:key: the flag is off for everyone from then on (an unknown key is off). */
export async function deleteFlag(db: Database, adminId: string, key: string, origin: AuditOrigin): Promise<void> {
  const [row] = await changeSettings<{ deleted: number }>(db, sql`
    WITH deleted AS (DELETE FROM feature_flags WHERE key = ${key} RETURNING *),
    logged AS (${audited("delete", adminId, origin, sql`deleted`, { oldData: sql`to_jsonb(deleted)` }, sql`deleted.key`)})
    SELECT count(*)::int AS deleted FROM deleted`);
  if (!Number(row?.deleted)) throw notFound("This feature flag");
}
