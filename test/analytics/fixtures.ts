import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { createFile, one, sql } from "../helpers/db";

/** Fixtures of the analytics domain's tests. */

/** A ready track of `creatorId` (public unless told), made directly in the database. */
export async function makeTrack(creatorId: string, options: { visibility?: string; genre?: string | null; title?: string } = {}): Promise<string> {
  const file = await createFile(creatorId);
  const row = await one(
    `INSERT INTO tracks (creator_id, file_id, title, genre, visibility, status, duration, duration_ms, hls_path)
     VALUES ($1, $2, $3, $4, $5, 'ready', 200, 200000, $6) RETURNING id`,
    [creatorId, file.id, options.title ?? `Track ${crypto.randomUUID().slice(0, 8)}`, options.genre ?? null, options.visibility ?? "public", `hls/${file.id}`],
  );
  return row.id as string;
}

export interface Play {
  track: string;
  user: string | null;
  at: string;
  seconds: number;
  completion: number;
  source?: string | null;
  device?: string | null;
}

/** playback_history rows, inserted as they are (the play_count trigger runs as for real plays). */
export async function insertPlays(plays: Play[]): Promise<void> {
  for (const p of plays) {
    await sql.query(
      `INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage, source, device_type, played_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [p.user, p.track, p.seconds, p.completion, p.source ?? null, p.device ?? null, p.at],
    );
  }
}

/** Runs a Cron Trigger of wrangler.toml through the Worker's scheduled handler, with the given clock. */
export async function runCron(cron: string, at: Date) {
  const controller = createScheduledController({ cron, scheduledTime: at.getTime() });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

/** A random UTC day between 1990 and 2015: no other test writes history there. */
export function randomPastDay(): string {
  const start = Date.UTC(1990, 0, 1);
  const span = Date.UTC(2015, 0, 1) - start;
  return new Date(start + Math.floor(Math.random() * (span / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}

export { banUser, softDeleteUser } from "../tracks/fixtures";
