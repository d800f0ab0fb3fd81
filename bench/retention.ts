import pg from "pg";
import { backendExecutor } from "../scripts/database";
import { createPostgresBackend, type Backend } from "../scripts/dev-db/backends";
import { startDevDatabaseServer, type DevDatabaseServer } from "../scripts/dev-db/server";
import { migrate } from "../scripts/migrations";
import { createDb } from "../src/db/client";
import type { Env } from "../src/env";
import { createLogger } from "../src/lib/logger";
import { jobs } from "../src/jobs/schedule";
import type { Row } from "./lib";
import { ADMIN_URL, reachable, scratchDatabase } from "./query-replay";

/**
 * Issue 10: rows processed per second by the retention jobs on a year of activity (plus the
 * backlog past each retention period), on the machine's PostgreSQL. A scratch database is migrated
 * and filled set-based (production triggers and constraints on); each job then runs exactly as its
 * cron would (neon-http through the dev database server, one bounded run after another) until a
 * run finds nothing more to do. Rows/s = rows the runs handled / their wall time.
 */
const V = {
  users: 20_000,
  tokens: 200_000,
  oneTimeTokens: 50_000,
  loginAttempts: 500_000,
  tracks: 20_000,
  plays: 300_000,
  events: 500_000,
  messages: 300_000,
  directMessages: 100_000,
  auditRows: 300_000,
};

/** Seconds in 400 days: a year of activity and the backlog older than it. */
const SPAN = 400 * 86_400;
const ago = (expr: string) => `now() - make_interval(secs => (${expr}) % ${SPAN})`;

const POPULATE = [
  `SELECT ensure_monthly_partitions(t, (date_trunc('month', now()) - interval '14 months')::date, 16)
     FROM unnest(ARRAY['login_attempts', 'playback_history', 'analytics_events', 'messages']) t`,
  `SELECT ensure_monthly_partitions('audit_logs', (date_trunc('month', now()) - interval '27 months')::date, 29)`,
  `CREATE TABLE bench_u AS SELECT n, gen_random_uuid() AS id FROM generate_series(1, ${V.users}) n`,
  `INSERT INTO users (id, email, username, created_at) SELECT id, 'ret' || n || '@veza.bench', 'ret_' || n, now() - interval '420 days' FROM bench_u`,
  `INSERT INTO refresh_tokens (user_id, token_hash, created_at, expires_at, is_revoked, revoked_at)
     SELECT u.id, md5(g::text), c, c + interval '30 days', g % 5 = 0, CASE WHEN g % 5 = 0 THEN c + interval '1 day' END
       FROM generate_series(1, ${V.tokens}) g JOIN bench_u u ON u.n = 1 + g % ${V.users}
       CROSS JOIN LATERAL (SELECT ${ago("g::bigint * 7919")} AS c) x`,
  `INSERT INTO password_reset_tokens (user_id, token_hash, created_at, expires_at, used, used_at)
     SELECT u.id, md5('r' || g), c, c + interval '1 hour', g % 2 = 0, CASE WHEN g % 2 = 0 THEN c + interval '5 minutes' END
       FROM generate_series(1, ${V.oneTimeTokens}) g JOIN bench_u u ON u.n = 1 + g % ${V.users}
       CROSS JOIN LATERAL (SELECT ${ago("g::bigint * 7919")} AS c) x`,
  `INSERT INTO email_verification_tokens (user_id, token_hash, email, created_at, expires_at)
     SELECT u.id, md5('v' || g), 'ret' || u.n || '@veza.bench', c, c + interval '1 day'
       FROM generate_series(1, ${V.oneTimeTokens}) g JOIN bench_u u ON u.n = 1 + g % ${V.users}
       CROSS JOIN LATERAL (SELECT ${ago("g::bigint * 7919")} AS c) x`,
  `INSERT INTO login_attempts (identifier, success, failure_reason, ip_address, attempted_at)
     SELECT 'ret' || (g % ${V.users}) || '@veza.bench', g % 4 <> 0, CASE WHEN g % 4 = 0 THEN 'invalid_password' END, '198.51.100.1', ${ago("g::bigint * 7919")}
       FROM generate_series(1, ${V.loginAttempts}) g`,
  `INSERT INTO user_presence (user_id, status, last_seen_at) SELECT id, 'offline', ${ago("n::bigint * 104729")} FROM bench_u`,
  `INSERT INTO files (id, user_id, filename, original_filename, mime_type, file_size, storage_path, url, is_processed)
     SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, u.id, g || '.wav', g || '.wav', 'audio/wav', 1000, 'u/' || g, '/f/' || g, true
       FROM generate_series(1, ${V.tracks}) g JOIN bench_u u ON u.n = g`,
  `INSERT INTO tracks (creator_id, file_id, title, duration, duration_ms, visibility, status, processing_progress, hls_path, published_at)
     SELECT f.user_id, f.id, 'Track ' || f.filename, 180, 180000, 'public', 'ready', 100, 'hls/' || f.id, now() - interval '420 days' FROM files f WHERE f.filename ~ '^[0-9]+\\.wav$'`,
  `CREATE TABLE bench_t AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM tracks`,
  `INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage, source, device_type, played_at)
     SELECT u.id, t.id, 30 + g % 150, g % 101, (ARRAY['playlist','album','search','direct'])[1 + g % 4], (ARRAY['mobile','desktop','web'])[1 + g % 3], ${ago("g::bigint * 7919")}
       FROM generate_series(1, ${V.plays}) g JOIN bench_u u ON u.n = 1 + g % ${V.users} JOIN bench_t t ON t.n = 1 + g % ${V.tracks}`,
  `INSERT INTO analytics_events (user_id, session_id, event_type, entity_type, entity_id, ip_address, user_agent, created_at)
     SELECT u.id, gen_random_uuid(), 'page.view', 'track', t.id, '203.0.113.7', 'Mozilla/5.0', ${ago("g::bigint * 7919")}
       FROM generate_series(1, ${V.events}) g JOIN bench_u u ON u.n = 1 + g % ${V.users} JOIN bench_t t ON t.n = 1 + g % ${V.tracks}`,
  `INSERT INTO rooms (name, room_type, creator_id) SELECT 'Room ' || n, 'public', id FROM bench_u WHERE n <= 100`,
  `CREATE TABLE bench_r AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM rooms`,
  // One message in ten deleted, a day after it was written.
  `INSERT INTO messages (room_id, sender_id, content, created_at, is_deleted, deleted_at)
     SELECT r.id, u.id, 'message ' || g, date_trunc('milliseconds', c), g % 10 = 0, CASE WHEN g % 10 = 0 THEN c + interval '1 day' END
       FROM generate_series(1, ${V.messages}) g JOIN bench_u u ON u.n = 1 + g % ${V.users} JOIN bench_r r ON r.n = 1 + g % 100
       CROSS JOIN LATERAL (SELECT ${ago("g::bigint * 7919")} AS c) x`,
  `INSERT INTO direct_messages (sender_id, recipient_id, content, created_at, is_deleted_by_sender, is_deleted_by_recipient, deleted_at)
     SELECT a.id, b.id, 'dm ' || g, c, g % 10 = 0, g % 10 = 0, CASE WHEN g % 10 = 0 THEN c + interval '1 day' END
       FROM generate_series(1, ${V.directMessages}) g JOIN bench_u a ON a.n = 1 + g % ${V.users} JOIN bench_u b ON b.n = 1 + (g + 1) % ${V.users}
       CROSS JOIN LATERAL (SELECT ${ago("g::bigint * 7919")} AS c) x`,
  // 26 months of audit rows: the two oldest months are past the 24-month retention.
  `INSERT INTO audit_logs (action, user_id, metadata, created_at)
     SELECT 'bench.event', u.id, jsonb_build_object('n', g), now() - make_interval(secs => (g::bigint * 7919) % (790 * 86400))
       FROM generate_series(1, ${V.auditRows}) g JOIN bench_u u ON u.n = 1 + g % ${V.users}`,
  `DROP TABLE bench_u, bench_t, bench_r`,
  `VACUUM ANALYZE`,
];

/** The retention jobs measured, in the order the daily cron runs them. */
const JOBS = ["purge-expired-tokens", "purge-activity-logs", "purge-deleted-messages", "anonymise-old-analytics", "archive-audit-logs"] as const;

/** Rows a job's counts say it handled (parts and partitions of the archive are not rows). */
const rowsOf = (name: string, counts: Record<string, number>) =>
  name === "archive-audit-logs" ? counts.rowsArchived ?? 0 : Object.values(counts).reduce((a, b) => a + b, 0);

/** An R2 bucket that keeps only the size of what the archive job writes (the bench measures the database side). */
function sizingBucket() {
  let bytes = 0;
  const bucket = { put: async (_key: string, value: string) => void (bytes += value.length) } as unknown as R2Bucket;
  return { bucket, bytes: () => bytes };
}

export async function retentionBench(): Promise<Row[]> {
  if (!(await reachable())) {
    return [{ area: "retention", metric: `retention jobs: skipped (no PostgreSQL at ${ADMIN_URL})`, value: 0, unit: "" }];
  }
  const log = (line: string) => console.error(`[retention] ${line}`);
  const { url, release } = await scratchDatabase("veza_bench_retention", log);
  const rows: Row[] = [];
  let backend: Backend | undefined;
  let server: DevDatabaseServer | undefined;
  const client = new pg.Client({ connectionString: url });
  try {
    backend = await createPostgresBackend(url);
    await migrate(backendExecutor(backend));
    await client.connect();
    for (const sql of POPULATE) {
      const t = performance.now();
      await client.query(sql);
      log(`${((performance.now() - t) / 1000).toFixed(1)} s  ${sql.replace(/\s+/g, " ").slice(0, 90)}`);
    }
    server = await startDevDatabaseServer(backend, { log: false });
    backend = undefined; // the server closes it now
    const r2 = sizingBucket();
    const env = { DATABASE_URL: `postgres://bench:x@127.0.0.1:${server.port}/veza`, MEDIA: r2.bucket } as unknown as Env;
    const db = createDb(env);
    const quiet = createLogger({ bench: "retention" });
    quiet.info = () => undefined;

    for (const name of JOBS) {
      let handled = 0;
      let runs = 0;
      const t = performance.now();
      for (;;) {
        const counts = await jobs[name]!({ env, db, log: quiet, now: new Date() });
        runs++;
        const n = rowsOf(name, counts);
        handled += n;
        if (n === 0 || runs >= 500) break;
      }
      const seconds = (performance.now() - t) / 1000;
      const perSecond = handled / seconds;
      log(`${name}: ${handled} rows in ${runs} runs, ${seconds.toFixed(1)} s, ${Math.round(perSecond)} rows/s`);
      rows.push({ area: "retention", metric: `${name}: ${handled} rows over ${runs} bounded runs`, value: Math.round(perSecond), unit: "rows/s" });
    }
    log(`archive written to R2: ${(r2.bytes() / 1e6).toFixed(1)} MB`);
  } finally {
    await client.end().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await backend?.close().catch(() => undefined);
    await release(false);
  }
  return rows;
}
