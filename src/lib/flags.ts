import { sql, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { Database } from "../db/client";
import type { AppEnv } from "../env";
import type { AuthContext } from "./auth/middleware";
import { parseJson } from "./json-value";

/**
 * Feature flags and system settings (migration 0013: feature_flags, system_configs), read on the
 * hot path without a database round trip. Both tables are small and read whole into one snapshot,
 * kept in two layers:
 *  - this isolate's memory, and
 *  - the data centre's Cache API (caches.default), so a fresh isolate does not go to the database;
 * each for at most SETTINGS_TTL_SECONDS counted from the moment the snapshot was READ from the
 * database (a snapshot copied from the Cache API keeps its age).
 *
 * What "purged on change" means on Workers: an admin's write returns the new snapshot in the same
 * round trip; the isolate that made it serves it at once and puts it in its data centre's cache.
 * Other isolates, and other data centres, have no signal to listen to: they keep what they hold
 * until it is SETTINGS_TTL_SECONDS old. So every request everywhere sees a change at most
 * SETTINGS_TTL_SECONDS after it committed, and the writer's own isolate sees it at once. (A reader
 * racing the write may put an older snapshot back into the cache: it still expires
 * SETTINGS_TTL_SECONDS after it was read, which was before the change.)
 */
export const SETTINGS_TTL_SECONDS = 30;

export type Role = AuthContext["role"];

/** One feature_flags row, as evaluation needs it. */
export interface FlagRule {
  key: string;
  enabled: boolean;
  rollout_percent: number;
  allowed_user_ids: string[];
  allowed_roles: Role[];
}

/** One system_configs row's value, and whether clients may read it. */
export interface ConfigEntry {
  value: unknown;
  is_public: boolean;
}

export interface Settings {
  flags: Record<string, FlagRule>;
  configs: Record<string, ConfigEntry>;
  /** Date.now() just before the database was asked: the snapshot is at least this fresh. */
  readAt: number;
}

type SettingsRow = { flags: unknown; configs: unknown };

/** The whole snapshot in one statement (for a db.batch after a write, so the writer reads its own change). */
export const settingsQuery = (db: Database) =>
  db.execute<SettingsRow>(sql`
    SELECT
      (SELECT COALESCE(json_object_agg(f.key, json_build_object(
                'key', f.key, 'enabled', f.enabled, 'rollout_percent', f.rollout_percent,
                'allowed_user_ids', f.allowed_user_ids, 'allowed_roles', f.allowed_roles)), '{}'::json)
         FROM feature_flags f) AS flags,
      (SELECT COALESCE(json_object_agg(s.key, json_build_object('value', s.value, 'is_public', s.is_public)), '{}'::json)
         FROM system_configs s) AS configs`);

/** A row of `settingsQuery`, read at `readAt`, as a snapshot. */
export function settingsFrom(row: SettingsRow, readAt: number): Settings {
  return { flags: parseJson<Record<string, FlagRule>>(row.flags) ?? {}, configs: parseJson<Record<string, ConfigEntry>>(row.configs) ?? {}, readAt };
}

let memory: Settings | null = null;

const fresh = (s: Settings | null | undefined, now: number): s is Settings => !!s && now - s.readAt < SETTINGS_TTL_SECONDS * 1000;

const cacheKey = () => new Request("https://settings.veza.internal/v1/snapshot");

/** The current snapshot: from this isolate's memory, else the data centre's cache, else the database (one round trip). */
export async function currentSettings(db: Database): Promise<Settings> {
  const now = Date.now();
  if (fresh(memory, now)) return memory;
  const cache = edgeCache();
  const hit = await cache?.match(cacheKey()).catch(() => undefined);
  const cached = hit ? ((await hit.json()) as Settings) : null;
  if (fresh(cached, now)) return (memory = cached);
  const readAt = Date.now();
  const { rows } = await settingsQuery(db);
  const settings = settingsFrom(rows[0]!, readAt);
  await rememberSettings(settings);
  return settings;
}

/**
 * Makes `settings` (just read, e.g. in the batch of an admin's write) this isolate's snapshot and
 * its data centre's: the "purge" of a change, as far as it can reach (see the top of this file).
 */
export async function rememberSettings(settings: Settings): Promise<void> {
  memory = settings;
  const ageLeft = Math.max(1, Math.ceil(SETTINGS_TTL_SECONDS - (Date.now() - settings.readAt) / 1000));
  await edgeCache()
    ?.put(cacheKey(), new Response(JSON.stringify(settings), { headers: { "content-type": "application/json", "cache-control": `max-age=${ageLeft}` } }))
    .catch(() => undefined);
}

function edgeCache(): Cache | null {
  try {
    return caches.default;
  } catch {
    return null;
  }
}

/**
 * The rollout bucket of a user for a flag, 0..99: the first four bytes of SHA-256("<flag key>:<user
 * id>") as a big-endian unsigned integer, modulo 100. Stable (the same user always lands in the same
 * bucket), independent across flags (the key is hashed in), and monotonic in the percentage: raising
 * a rollout from 10 % to 20 % keeps the first 10 % in.
 */
export async function rolloutBucket(flagKey: string, userId: string): Promise<number> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${flagKey}:${userId.toLowerCase()}`));
  return new DataView(digest).getUint32(0) % 100;
}

/**
 * Is `flag` on for `viewer` (null: anonymous)? Off when disabled; otherwise on for listed users,
 * listed roles, and users whose bucket falls under the rollout. Anonymous visitors have no stable id
 * to bucket: they get a flag only at a 100 % rollout.
 */
export async function flagOn(flag: FlagRule, viewer: Pick<AuthContext, "userId" | "role"> | null): Promise<boolean> {
  if (!flag.enabled) return false;
  if (flag.rollout_percent >= 100) return true;
  if (!viewer) return false;
  if (flag.allowed_user_ids.includes(viewer.userId) || flag.allowed_roles.includes(viewer.role)) return true;
  return flag.rollout_percent > 0 && (await rolloutBucket(flag.key, viewer.userId)) < flag.rollout_percent;
}

/**
 * For any route: is feature `key` on for this request's user (anonymous when not signed in)? An
 * unknown key is off. No database round trip while the snapshot is cached (see the top of this file).
 */
export async function isEnabled(c: Context<AppEnv>, key: string): Promise<boolean> {
  const flag = own((await currentSettings(c.var.db)).flags, key);
  return flag ? flagOn(flag, c.get("auth") ?? null) : false;
}

/** For any route: the value of system setting `key` (undefined when unset), from the same snapshot. */
export async function configValue(c: Context<AppEnv>, key: string): Promise<unknown> {
  return own((await currentSettings(c.var.db)).configs, key)?.value;
}

/** A snapshot's entry by key: never something inherited from Object.prototype ("constructor"). */
const own = <T>(entries: Record<string, T>, key: string): T | undefined => (Object.hasOwn(entries, key) ? entries[key] : undefined);

/**
 * Runs an admin's change of feature_flags or system_configs and reads the new snapshot in the same
 * round trip (one db.batch: one transaction, the read sees the change), then makes that snapshot
 * current here: the purge. Answers the change's rows.
 */
export async function changeSettings<T extends Record<string, unknown>>(db: Database, change: SQL): Promise<T[]> {
  const readAt = Date.now();
  const [changed, snapshot] = await db.batch([db.execute<T>(change), settingsQuery(db)]);
  await rememberSettings(settingsFrom(snapshot.rows[0]!, readAt));
  return changed.rows;
}
