import { neon, neonConfig } from "@neondatabase/serverless";
import { DEMO_PASSWORD } from "../scripts/seed";
import { buildWorker, median, roundTripsFor, startBenchDatabase, taggedUrl, workerInWorkerd, jsonInit, setupCaller, type Row } from "./lib";

/**
 * Database round trips of the playlist page and of the track edits (DESIGN §8: 1 per read endpoint,
 * ≤ 2 per write), each call on a Worker of its own whose DATABASE_URL carries a tag the dev server
 * counts by; and, for information, the wall time of the page of a 500-track playlist. Playlists
 * are made through the API; their tracks (ready, public, with a file each) are written in SQL.
 */
export async function playlistsBench(): Promise<Row[]> {
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const rows: Row[] = [];
  try {
    const setup = workerInWorkerd(build.script, taggedUrl(server, "setup"));
    const call = setupCaller(setup);
    const session = (await call("/v1/auth/login", jsonInit("POST", { identifier: "okra_beats", password: DEMO_PASSWORD }))).session;
    const token = session.accessToken as string;
    const userId = (await call("/v1/me", { headers: { authorization: `Bearer ${token}` } })).id as string;
    const small = await call("/v1/playlists", jsonInit("POST", { name: "Bench 50" }, token));
    const large = await call("/v1/playlists", jsonInit("POST", { name: "Bench 500" }, token));

    neonConfig.fetchEndpoint = () => `${server.url}/sql`;
    const sql = neon(taggedUrl(server, "setup"));
    // 501 ready public tracks, each with its own file (one live track per file).
    const trackIds = (
      await sql.query(
        `WITH fs AS (
           INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, url)
           SELECT $1, 'bench-' || g, 'bench.wav', 'audio/wav', 1, 'bench/' || g, '/bench/' || g FROM generate_series(1, 501) g RETURNING id
         )
         INSERT INTO tracks (creator_id, file_id, title, status, processing_progress, duration, duration_ms, hls_path, visibility, published_at)
         SELECT $1, id, 'Bench track', 'ready', 100, 180, 180000, 'hls/bench/' || id, 'public', now() FROM fs
         RETURNING id`,
        [userId],
      )
    ).map((r) => r.id as string);
    const fill = (playlistId: string, ids: string[]) =>
      sql.query(
        `INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by)
         SELECT $1, t, (o - 1)::int, $3 FROM unnest($2::uuid[]) WITH ORDINALITY AS x(t, o)`,
        [playlistId, `{${ids.join(",")}}`, userId],
      );
    await fill(small.id, trackIds.slice(0, 50));
    await fill(large.id, trackIds.slice(0, 500));
    const extra = trackIds[500]!;

    const measure = async (tag: string, label: string, budget: number, path: string, init: RequestInit = {}) => {
      const mf = workerInWorkerd(build.script, taggedUrl(server, tag));
      try {
        const res = (await mf.dispatchFetch(`https://veza.bench${path}`, init as never)) as unknown as Response;
        if (res.status >= 400) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      } finally {
        await mf.dispose();
      }
      const { requests } = await roundTripsFor(server, tag);
      rows.push({ area: "playlists", metric: label, value: requests, unit: "round trips", budget: `≤ ${budget}`, ok: requests <= budget });
    };
    await measure("page", "GET /v1/playlists/:id (50 tracks)", 1, `/v1/playlists/${small.id}`);
    await measure("add", "POST /v1/playlists/:id/tracks (insert at 10)", 2, `/v1/playlists/${small.id}/tracks`, jsonInit("POST", { track_id: extra, position: 10 }, token));
    await measure("move", "PATCH /v1/playlists/:id/tracks/:trackId (0 → 40)", 2, `/v1/playlists/${small.id}/tracks/${trackIds[0]}`, jsonInit("PATCH", { position: 40 }, token));

    const times: number[] = [];
    for (let i = 0; i < 55; i++) {
      const t0 = performance.now();
      const res = (await setup.dispatchFetch(`https://veza.bench/v1/playlists/${large.id}?limit=500`)) as unknown as Response;
      await res.arrayBuffer();
      if (i >= 5) times.push(performance.now() - t0); // the first calls warm the Worker up
    }
    rows.push({ area: "playlists", metric: "GET /v1/playlists/:id (500 tracks, limit 500), p50 over 50 (local PGlite)", value: median(times), unit: "ms", budget: "—" });
    await setup.dispose();
  } finally {
    await server.close();
  }
  return rows;
}
