import { sql } from "drizzle-orm";
import type { JobContext } from "./schedule";

/** The monthly range-partitioned tables of spec §21 (migrations create their first months). */
export const PARTITIONED_TABLES = ["messages", "analytics_events", "audit_logs", "playback_history", "login_attempts"] as const;

/** Months of partitions kept ready ahead of "now", the current one included (spec §21: premake 3). */
export const MONTHS_AHEAD = 4;

const countPartitions = sql`SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
  WHERE p.relname IN (${sql.join(PARTITIONED_TABLES.map((t) => sql`${t}`), sql`, `)})`;

/**
 * Creates the current and next three months' partitions of every partitioned table, moving any
 * rows that landed in a table's default partition into their month. One round trip (a batch).
 */
export async function maintainPartitions({ db, now }: JobContext): Promise<Record<string, number>> {
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const results = await db.batch([
    db.execute<{ n: number }>(countPartitions),
    ...PARTITIONED_TABLES.map((t) => db.execute(sql`SELECT ensure_monthly_partitions(${t}, ${month}::date, ${MONTHS_AHEAD})`)),
    db.execute<{ n: number }>(countPartitions),
  ]);
  const [before, after] = [results[0], results[results.length - 1]!] as { rows: { n: number }[] }[];
  return { partitionsCreated: Number(after!.rows[0]!.n) - Number(before!.rows[0]!.n) };
}
