import { sql, type SQL } from "drizzle-orm";
import type { JobContext } from "./schedule";

/**
 * The retention rules of spec §18.1 that come down to "delete (or anonymise) rows older than X",
 * one job per category. Every statement takes at most RETENTION_BATCH rows of each table, and a run
 * at most RETENTION_BATCHES_PER_RUN statements, so a huge backlog is worked off over several runs
 * instead of exceeding a Worker's limits. Idempotent: a row once handled no longer matches.
 */
export const RETENTION_BATCH = 1000;
export const RETENTION_BATCHES_PER_RUN = 5;

/** §18.1 periods. */
export const EXPIRED_TOKEN_DAYS = 30;
export const ACTIVITY_LOG_DAYS = 90;
export const DETAILED_ANALYTICS_MONTHS = 12;
export const DELETED_MESSAGE_DAYS = 30;

/**
 * The job's "now", never ahead of the database's: crons replayed with far-future clocks (tests,
 * a misconfigured trigger) must not erase what is not yet due.
 */
export const clockOf = (now: Date) => sql`LEAST(${now.toISOString()}::timestamptz, now())`;
const daysBefore = (now: Date, days: number) => sql`(${clockOf(now)} - make_interval(days => ${days}))`;
const monthsBefore = (now: Date, months: number) => sql`(${clockOf(now)} - make_interval(months => ${months}))`;

/** One table's rule: which rows are due, what is done to them, by which key (partitioned tables: (id, partition key)). */
interface Rule {
  name: string;
  table: string;
  key: string;
  due: SQL;
  /** SET clause for an anonymisation; a deletion when absent. */
  set?: SQL;
}

function ruleStatement(rule: Rule, limit: number): SQL {
  const table = sql.raw(rule.table);
  const key = sql.raw(rule.key);
  const picked = sql`SELECT ${key} FROM ${table} WHERE ${rule.due} LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
  const action = rule.set
    ? sql`UPDATE ${table} SET ${rule.set} WHERE (${key}) IN (${picked}) RETURNING 1`
    : sql`DELETE FROM ${table} WHERE (${key}) IN (${picked}) RETURNING 1`;
  return sql`${sql.raw(`r_${rule.name}`)} AS (${action})`;
}

/** One statement (one transaction): up to `limit` rows of every rule's table. */
function batchStatement(rules: Rule[], limit: number): SQL {
  const ctes = sql.join(rules.map((r) => ruleStatement(r, limit)), sql`, `);
  const counts = sql.join(rules.map((r) => sql`(SELECT count(*) FROM ${sql.raw(`r_${r.name}`)})::int AS ${sql.raw(`"${r.name}"`)}`), sql`, `);
  return sql`WITH ${ctes} SELECT ${counts}`;
}

/** Runs batches until no table has more due rows or the run's bound is reached; returns rows per table. */
export async function applyRules(ctx: JobContext, rules: Rule[]): Promise<Record<string, number>> {
  const totals: Record<string, number> = Object.fromEntries(rules.map((r) => [r.name, 0]));
  let pending = rules;
  for (let i = 0; i < RETENTION_BATCHES_PER_RUN && pending.length; i++) {
    const { rows } = await ctx.db.execute<Record<string, number>>(batchStatement(pending, RETENTION_BATCH));
    const row = rows[0]!;
    for (const r of pending) totals[r.name]! += Number(row[r.name]);
    // A table that returned fewer than a full batch has nothing more due (rows locked by a
    // concurrent run are that run's to handle).
    pending = pending.filter((r) => Number(row[r.name]) === RETENTION_BATCH);
  }
  return totals;
}

/** §18.1/§18.3: session and one-time tokens 30 days after they expired, were revoked or used. */
export function purgeExpiredTokens(ctx: JobContext) {
  const cutoff = daysBefore(ctx.now, EXPIRED_TOKEN_DAYS);
  return applyRules(ctx, [
    { name: "refreshTokens", table: "refresh_tokens", key: "id", due: sql`expires_at < ${cutoff} OR (is_revoked AND revoked_at < ${cutoff})` },
    { name: "passwordResetTokens", table: "password_reset_tokens", key: "id", due: sql`expires_at < ${cutoff} OR (used AND used_at < ${cutoff})` },
    { name: "emailVerificationTokens", table: "email_verification_tokens", key: "id", due: sql`expires_at < ${cutoff} OR (verified AND verified_at < ${cutoff})` },
  ]);
}

/** §18.1: activity logs after 90 days (the job runs' own log too). */
export function purgeActivityLogs(ctx: JobContext) {
  const cutoff = daysBefore(ctx.now, ACTIVITY_LOG_DAYS);
  return applyRules(ctx, [
    { name: "loginAttempts", table: "login_attempts", key: "id, attempted_at", due: sql`attempted_at < ${cutoff}` },
    { name: "typingIndicators", table: "typing_indicators", key: "id", due: sql`expires_at < ${cutoff}` },
    // A presence row is re-created by the next connection (upsert on user_id).
    { name: "presence", table: "user_presence", key: "id", due: sql`last_seen_at < ${cutoff}` },
    { name: "jobRuns", table: "job_runs", key: "id", due: sql`started_at < ${cutoff}` },
  ]);
}

/**
 * §18.1/§18.2: detailed analytics older than 12 months lose whatever leads to a person: the user
 * (NULL rather than the spec's random UUID, which the foreign key to users would refuse and which
 * would still link one person's plays together), device and source. The rows stay for the
 * aggregates (track_analytics and daily_metrics were computed from them long before and are
 * final; a counted play stays a play).
 */
export function anonymiseOldAnalytics(ctx: JobContext) {
  const cutoff = monthsBefore(ctx.now, DETAILED_ANALYTICS_MONTHS);
  return applyRules(ctx, [
    {
      name: "playbackHistory",
      table: "playback_history",
      key: "id, played_at",
      due: sql`played_at < ${cutoff} AND (user_id IS NOT NULL OR device_type IS NOT NULL OR source IS NOT NULL OR source_id IS NOT NULL)`,
      set: sql`user_id = NULL, device_type = NULL, source = NULL, source_id = NULL`,
    },
    {
      name: "analyticsEvents",
      table: "analytics_events",
      key: "id, created_at",
      due: sql`created_at < ${cutoff} AND anonymized_at IS NULL`,
      set: sql`user_id = NULL, session_id = NULL, ip_address = NULL, user_agent = NULL, anonymized_at = now()`,
    },
  ]);
}

/**
 * §18.1: soft-deleted messages are purged 30 days after their deletion (a direct message's
 * deleted_at is set once both sides deleted it). Reactions go with them (CASCADE); replies and
 * thread members keep their own content (SET NULL).
 */
export function purgeDeletedMessages(ctx: JobContext) {
  const cutoff = daysBefore(ctx.now, DELETED_MESSAGE_DAYS);
  return applyRules(ctx, [
    { name: "messages", table: "messages", key: "id, created_at", due: sql`deleted_at < ${cutoff}` },
    { name: "directMessages", table: "direct_messages", key: "id", due: sql`deleted_at < ${cutoff}` },
  ]);
}
