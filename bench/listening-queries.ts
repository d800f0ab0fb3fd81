import pg from "pg";
import { backendExecutor } from "../scripts/database";
import { createPostgresBackend, type Backend } from "../scripts/dev-db/backends";
import type { DevDatabaseServer } from "../scripts/dev-db/server";
import { migrate } from "../scripts/migrations";
import { signAccessToken } from "../src/lib/auth/tokens";
import { percentile, median, type Row } from "./lib";
import { ADMIN_URL, capturingWorker, ids, JWT_SECRET, paramsFor, planOf, reachable, replay, scratchDatabase, type Binding } from "./query-replay";

/**
 * DESIGN §8 "hot queries at 1-year volumes: p95 < 10 ms, every one on an index" for the listening
 * endpoints, on the machine's PostgreSQL 15. A scratch database is migrated and filled set-based
 * (every production trigger and constraint on), the built Worker runs against it through the dev
 * database server, and the statements the server receives for each endpoint are captured; each is
 * then replayed ~200 times directly on PostgreSQL with other users/playlists/tracks substituted in
 * its parameters (writes inside BEGIN … ROLLBACK, constraints checked immediately), and EXPLAINed
 * (the harness of bench/query-replay.ts).
 */
const SAMPLES = 200;
const V = { users: 50_000, tracks: 500_000, playlists: 100_000, likesPerUser: 38, heavyLikes: 2_000, playsPerUser: 96, heavyPlays: 2_000, topComments: 800_000, replies: 200_000 };

const POPULATE = [
  // One month further back than a year: partitions for every row, none in the default partition.
  `SELECT ensure_monthly_partitions('playback_history', (date_trunc('month', now()) - interval '12 months')::date, 16)`,
  `CREATE TABLE bench_u AS SELECT n, gen_random_uuid() AS id FROM generate_series(1, ${V.users}) n`,
  `INSERT INTO users (id, email, username, display_name, email_verified_at, created_at)
     SELECT id, 'bench' || n || '@veza.bench', 'bench_' || n, 'Bench ' || n, now() - interval '400 days', now() - interval '400 days' FROM bench_u ORDER BY n`,
  // 5 000 creators with 100 tracks each; 90 % public, 5 % unlisted, 5 % private, created over a year.
  `CREATE TABLE bench_t AS SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS file_id, 1 + n % 5000 AS creator_n FROM generate_series(1, ${V.tracks}) n`,
  `INSERT INTO files (id, user_id, filename, original_filename, mime_type, file_size, storage_path, url, is_processed)
     SELECT t.file_id, u.id, t.n || '.wav', 'track ' || t.n || '.wav', 'audio/wav', 30000000, 'uploads/' || t.file_id, '/files/' || t.file_id, true
       FROM bench_t t JOIN bench_u u ON u.n = t.creator_n ORDER BY t.n`,
  `INSERT INTO tracks (id, creator_id, file_id, title, genre, duration, duration_ms, visibility, status, processing_progress, hls_path, published_at, created_at)
     SELECT t.id, u.id, t.file_id, 'Track ' || t.n, (ARRAY['house','techno','jazz','ambient','hiphop'])[1 + t.n % 5], 120 + t.n % 240, (120 + t.n % 240) * 1000,
            (CASE WHEN t.n % 20 = 0 THEN 'private' WHEN t.n % 20 = 1 THEN 'unlisted' ELSE 'public' END)::visibility,
            'ready', 100, 'hls/' || t.id || '/run', now() - (t.n % 365) * interval '1 day', now() - (t.n % 365) * interval '1 day'
       FROM bench_t t JOIN bench_u u ON u.n = t.creator_n ORDER BY t.n`,
  // 2 playlists per user; playlists 1-5 hold 5 000 tracks, 6-20 hold 50, the rest 1-39 (avg 20).
  `CREATE TABLE bench_p AS SELECT n, gen_random_uuid() AS id, 1 + n % ${V.users} AS owner_n,
     CASE WHEN n <= 5 THEN 5000 WHEN n <= 20 THEN 50 ELSE 1 + (n * 37) % 39 END AS size FROM generate_series(1, ${V.playlists}) n`,
  `INSERT INTO playlists (id, user_id, name, visibility, created_at)
     SELECT p.id, u.id, 'Playlist ' || p.n, (CASE WHEN p.n % 10 = 9 THEN 'private' ELSE 'public' END)::visibility, now() - (p.n % 365) * interval '1 day'
       FROM bench_p p JOIN bench_u u ON u.n = p.owner_n ORDER BY p.n`,
  `INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by, added_at)
     SELECT p.id, t.id, g.pos, u.id, now() - interval '1 day' * (g.pos % 300)
       FROM bench_p p JOIN bench_u u ON u.n = p.owner_n CROSS JOIN LATERAL generate_series(0, p.size - 1) AS g(pos)
       JOIN bench_t t ON t.n = 1 + (p.n * 1009 + g.pos * 7) % ${V.tracks}
      ORDER BY p.n, g.pos`,
  // Users 1-100 like 2 000 tracks each, the others 38; distinct per user (104729 is prime).
  `INSERT INTO track_likes (user_id, track_id, created_at)
     SELECT u.id, t.id, now() - interval '1 second' * ((u.n * 7919 + k * 104729) % 31536000)
       FROM bench_u u CROSS JOIN LATERAL generate_series(0, CASE WHEN u.n <= 100 THEN ${V.heavyLikes} ELSE ${V.likesPerUser} END - 1) k
       JOIN bench_t t ON t.n = 1 + (u.n * 7919 + k * 104729) % ${V.tracks}`,
  // Users 1-100 played 2 000 times, the others 96; over the last 365 days, 70 % of plays ≥ 30 s.
  `INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage, source, device_type, played_at)
     SELECT u.id, t.id, CASE WHEN k % 10 < 7 THEN 30 + k % 200 ELSE k % 30 END, k % 101, (ARRAY['playlist','album','search','direct'])[1 + k % 4],
            (ARRAY['mobile','desktop','web'])[1 + k % 3], now() - interval '1 second' * ((u.n::bigint * 104729 + k * 7919) % 31536000)
       FROM bench_u u CROSS JOIN LATERAL generate_series(0, CASE WHEN u.n <= 100 THEN ${V.heavyPlays} ELSE ${V.playsPerUser} END - 1) k
       JOIN bench_t t ON t.n = 1 + (u.n * 31 + k * 7919) % ${V.tracks}`,
  // Half the threads on 2 000 popular tracks (200 each), half over all tracks; half of them timed.
  `CREATE TABLE bench_c AS SELECT n, gen_random_uuid() AS id, CASE WHEN n % 2 = 0 THEN 1 + n % 2000 ELSE 1 + (n * 7919) % ${V.tracks} END AS track_n,
     1 + (n * 31) % ${V.users} AS user_n FROM generate_series(1, ${V.topComments}) n`,
  `INSERT INTO track_comments (id, track_id, user_id, content, timestamp_seconds, created_at)
     SELECT c.id, t.id, u.id, 'Comment ' || c.n, CASE WHEN c.n % 4 < 2 THEN c.n % 120 END, now() - interval '1 second' * ((c.n * 7919) % 31536000)
       FROM bench_c c JOIN bench_t t ON t.n = c.track_n JOIN bench_u u ON u.n = c.user_n ORDER BY c.n`,
  // Replies: 10 on each of the first 20 000 threads (popular tracks included).
  `INSERT INTO track_comments (track_id, user_id, content, parent_comment_id, created_at)
     SELECT t.id, u.id, 'Reply ' || r, c.id, now() - interval '1 second' * ((r * 7919) % 31536000)
       FROM generate_series(1, ${V.replies}) r JOIN bench_c c ON c.n = 1 + r % 20000 JOIN bench_t t ON t.n = c.track_n JOIN bench_u u ON u.n = 1 + (r * 17) % ${V.users}`,
];

interface Endpoint {
  label: string;
  volume: string;
  method: string;
  path: (b: Binding) => string;
  body?: (b: Binding) => unknown;
  pick: (i: number) => Binding;
  write?: boolean;
}

export async function listeningQueriesBench(): Promise<Row[]> {
  if (!(await reachable())) {
    return [{ area: "hot queries", metric: `listening endpoints: skipped (no PostgreSQL at ${ADMIN_URL})`, value: 0, unit: "" }];
  }
  const { url, release } = await scratchDatabase("veza_bench_listening", (line) => console.error(`[listening-queries] ${line}`));
  const rows: Row[] = [];
  let backend: Backend | undefined;
  let server: DevDatabaseServer | undefined;
  const client = new pg.Client({ connectionString: url });
  try {
    backend = await createPostgresBackend(url);
    await migrate(backendExecutor(backend));
    await client.connect();
    const t0 = performance.now();
    for (const sql of POPULATE) {
      const t = performance.now();
      await client.query(sql);
      console.error(`[listening-queries] ${((performance.now() - t) / 1000).toFixed(1)} s  ${sql.replace(/\s+/g, " ").slice(0, 90)}`);
    }
    await client.query("DROP TABLE bench_u, bench_t, bench_p, bench_c");
    await client.query("VACUUM ANALYZE");
    const counts = (await ids(client, `SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM tracks), (SELECT count(*) FROM playlists),
      (SELECT count(*) FROM playlist_tracks), (SELECT count(*) FROM track_likes), (SELECT count(*) FROM playback_history),
      (SELECT count(*) FROM playback_history_default), (SELECT count(*) FROM track_comments)`))[0]!.map(Number);
    console.error(`[listening-queries] loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s: users ${counts[0]}, tracks ${counts[1]}, playlists ${counts[2]}, playlist_tracks ${counts[3]}, likes ${counts[4]}, history ${counts[5]} (default partition ${counts[6]}), comments ${counts[7]}`);
    const k = (n: number) => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e3)}k`);

    // Entities the requests are made about (owners sign in), in lists the samples cycle through.
    const big = await ids(client, "SELECT id, user_id FROM playlists WHERE track_count = 5000 ORDER BY id");
    const fifty = await ids(client, "SELECT id, user_id FROM playlists WHERE track_count = 50 ORDER BY id");
    const small = await ids(client, `SELECT p.id, p.user_id, (SELECT track_id FROM playlist_tracks WHERE playlist_id = p.id ORDER BY position DESC LIMIT 1)
      FROM playlists p WHERE track_count BETWEEN 10 AND 39 ORDER BY random() LIMIT ${SAMPLES + 1}`);
    const bigLast = await ids(client, `SELECT p.id, p.user_id, pt.track_id FROM playlists p JOIN playlist_tracks pt ON pt.playlist_id = p.id AND pt.position = 4999 WHERE p.track_count = 5000`);
    const users = await ids(client, `(SELECT id FROM users ORDER BY random() LIMIT ${SAMPLES / 2 + 1}) UNION ALL (SELECT u.id FROM users u JOIN user_profiles up ON up.user_id = u.id WHERE u.username ~ '^bench_[0-9]{1,2}$' OR u.username = 'bench_100')`);
    const mixedUsers = users.map((_, i) => users[i % 2 === 0 ? i / 2 : users.length - 1 - (i - 1) / 2]![0]!);
    const publicTracks = (await ids(client, `SELECT id FROM tracks WHERE visibility = 'public' ORDER BY random() LIMIT ${SAMPLES * 60}`)).map((r) => r[0]!);
    const popular = (await ids(client, "SELECT id FROM tracks ORDER BY comment_count DESC LIMIT 1000")).map((r) => r[0]!).filter((_, i) => i % 2 === 0);
    const threads = (await ids(client, "SELECT parent_comment_id FROM track_comments WHERE parent_comment_id IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 1000")).map((r) => r[0]!);
    const cyc = <T>(xs: T[], i: number) => xs[i % xs.length]!;
    const owner = (r: string[]) => ({ playlist: r[0]!, user: r[1]!, ...(r[2] ? { track: r[2] } : {}) });
    const contains = (i: number) => Object.fromEntries(Array.from({ length: 50 }, (_, j) => [`t${j}`, publicTracks[(i * 50 + j) % publicTracks.length]!]));

    const E: Endpoint[] = [
      { label: "GET /v1/playlists/:id (50 tracks, limit 100)", volume: `${k(counts[3]!)} playlist_tracks`, method: "GET", path: (b) => `/v1/playlists/${b.playlist}?limit=100`, pick: (i) => owner(cyc(fifty, i)) },
      { label: "GET /v1/playlists/:id (5 000 tracks, limit 100)", volume: `${k(counts[3]!)} playlist_tracks`, method: "GET", path: (b) => `/v1/playlists/${b.playlist}?limit=100`, pick: (i) => owner(cyc(big, i)) },
      { label: "POST /v1/playlists/:id/tracks (append, ~20 tracks)", volume: `${k(counts[2]!)} playlists`, method: "POST", write: true, path: (b) => `/v1/playlists/${b.playlist}/tracks`, body: (b) => ({ track_id: b.add }), pick: (i) => ({ playlist: cyc(small, i)[0]!, user: cyc(small, i)[1]!, add: cyc(publicTracks, i * 7 + 3) }) },
      { label: "POST /v1/playlists/:id/tracks (position 0 of 5 000)", volume: `${k(counts[3]!)} playlist_tracks`, method: "POST", write: true, path: (b) => `/v1/playlists/${b.playlist}/tracks`, body: (b) => ({ track_id: b.add, position: 0 }), pick: (i) => ({ playlist: cyc(big, i)[0]!, user: cyc(big, i)[1]!, add: cyc(publicTracks, i * 7 + 5) }) },
      { label: "PATCH /v1/playlists/:id/tracks/:trackId (last → 0, ~20 tracks)", volume: `${k(counts[3]!)} playlist_tracks`, method: "PATCH", write: true, path: (b) => `/v1/playlists/${b.playlist}/tracks/${b.track}`, body: () => ({ position: 0 }), pick: (i) => owner(cyc(small, i)) },
      { label: "PATCH /v1/playlists/:id/tracks/:trackId (last → 0 of 5 000)", volume: `${k(counts[3]!)} playlist_tracks`, method: "PATCH", write: true, path: (b) => `/v1/playlists/${b.playlist}/tracks/${b.track}`, body: () => ({ position: 0 }), pick: (i) => owner(cyc(bigLast, i)) },
      { label: "GET /v1/me/playlists", volume: `${k(counts[2]!)} playlists`, method: "GET", path: () => "/v1/me/playlists", pick: (i) => ({ user: cyc(mixedUsers, i) }) },
      { label: "GET /v1/me/likes", volume: `${k(counts[4]!)} likes`, method: "GET", path: () => "/v1/me/likes", pick: (i) => ({ user: cyc(mixedUsers, i) }) },
      { label: "GET /v1/me/likes/contains (50 ids)", volume: `${k(counts[4]!)} likes`, method: "GET", path: (b) => `/v1/me/likes/contains?track_ids=${Array.from({ length: 50 }, (_, j) => b[`t${j}`]).join(",")}`, pick: (i) => ({ user: cyc(mixedUsers, i), ...contains(i) }) },
      { label: "GET /v1/me/history", volume: `${k(counts[5]!)} plays`, method: "GET", path: () => "/v1/me/history", pick: (i) => ({ user: cyc(mixedUsers, i) }) },
      { label: "GET /v1/tracks/:id/comments", volume: `${k(counts[7]!)} comments`, method: "GET", path: (b) => `/v1/tracks/${b.track}/comments`, pick: (i) => ({ track: cyc(popular, i), user: cyc(mixedUsers, i) }) },
      { label: "GET /v1/tracks/:id/comments?timed=true", volume: `${k(counts[7]!)} comments`, method: "GET", path: (b) => `/v1/tracks/${b.track}/comments?timed=true`, pick: (i) => ({ track: cyc(popular, i), user: cyc(mixedUsers, i) }) },
      { label: "GET /v1/tracks/:id/comments?at=60&span=10", volume: `${k(counts[7]!)} comments`, method: "GET", path: (b) => `/v1/tracks/${b.track}/comments?at=60&span=10`, pick: (i) => ({ track: cyc(popular, i), user: cyc(mixedUsers, i) }) },
      { label: "GET /v1/comments/:id/replies", volume: `${k(counts[7]!)} comments`, method: "GET", path: (b) => `/v1/comments/${b.comment}/replies`, pick: (i) => ({ comment: cyc(threads, i), user: cyc(mixedUsers, i) }) },
    ];

    // The Worker against this database, through a dev server that records what it is sent.
    const worker = await capturingWorker(backend, "listening");
    backend = undefined; // the server closes it now
    server = worker.server;
    const { mf, capture } = worker;
    try {
      for (const e of E) {
        const b0 = e.pick(0);
        const token = await signAccessToken({ sub: b0.user!, role: "user", sid: crypto.randomUUID(), tv: 0 }, JWT_SECRET);
        const { result: res, units } = await capture(async () => {
          const res = (await mf.dispatchFetch(`https://veza.bench${e.path(b0)}`, {
            method: e.method,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: e.body ? JSON.stringify(e.body(b0)) : undefined,
          } as never)) as unknown as Response;
          return { status: res.status, text: await res.text() };
        });
        if (res.status >= 400) throw new Error(`${e.label}: ${res.status} ${res.text}`);
        if (units.length === 0) throw new Error(`${e.label}: no statement captured`);
        let worst = 0;
        let worstP50 = 0;
        const scans: string[] = [];
        for (const unit of units) {
          const inTx = e.write || unit.statements.length > 1;
          const { times, failures } = await replay(client, unit, (i) => paramsFor(unit, b0, e.pick(i)), {
            samples: SAMPLES,
            begin: inTx ? (e.write ? "BEGIN; SET CONSTRAINTS ALL IMMEDIATE" : "BEGIN") : undefined,
          });
          if (failures > SAMPLES / 10) throw new Error(`${e.label}: ${failures} of ${SAMPLES} samples failed`);
          worst = Math.max(worst, percentile(times, 95));
          worstP50 = Math.max(worstP50, median(times));
          scans.push(...(await planOf(client, unit, paramsFor(unit, b0, e.pick(1)))).scans);
        }
        console.error(`[listening-queries] ${e.label}: ${units.length} statement(s), p50 ${worstP50.toFixed(2)} ms, p95 ${worst.toFixed(2)} ms${scans.length ? `, SEQ SCAN on ${scans.join(", ")}` : ""}`);
        rows.push({ area: "hot queries", metric: `${e.label} p95 (PostgreSQL 15, ${e.volume})`, value: worst, unit: "ms", budget: "< 10 ms", ok: worst < 10 });
        rows.push({ area: "hot queries", metric: `${e.label} plan: ${scans.length ? `SEQ SCAN on ${[...new Set(scans)].join(", ")}` : "index"}`, value: scans.length, unit: "seq scans", budget: "0", ok: scans.length === 0 });
      }
    } finally {
      await mf.dispose();
    }
  } finally {
    await client.end().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await backend?.close().catch(() => undefined);
    await release(false);
  }
  return rows;
}
