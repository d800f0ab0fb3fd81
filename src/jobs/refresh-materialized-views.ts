import { sql } from "drizzle-orm";
import type { JobContext } from "./schedule";

/**
 * REFRESH ... CONCURRENTLY keeps the views readable while they rebuild (it needs the unique
 * indexes migrations/0014 creates). Hourly for trending (spec §23.1), daily for statistics (§23.2).
 */
async function refresh(ctx: JobContext, view: "trending_tracks" | "user_statistics") {
  await ctx.db.execute(sql.raw(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`));
  const rows = await ctx.db.execute<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${view}`));
  return { rows: Number(rows.rows[0]!.n) };
}

export const refreshTrendingTracks = (ctx: JobContext) => refresh(ctx, "trending_tracks");
export const refreshUserStatistics = (ctx: JobContext) => refresh(ctx, "user_statistics");
