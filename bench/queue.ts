import { neon, neonConfig } from "@neondatabase/serverless";
import { DEMO_PASSWORD } from "../scripts/seed";
import { buildWorker, percentile, startBenchDatabase, taggedUrl, workerInWorkerd, type Row } from "./lib";

const CHANGES = 200;
const BUDGET_P99_MS = 50;
const PACE_MS = 55;

type Frame = { type: string; version?: number; state?: { version: number; items: Array<{ item_id: string }> }; playback?: { version: number } };

/** A Miniflare WebSocket, as Node sees it: enough of the DOM interface for this bench. */
interface BenchSocket {
  accept(): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

/**
 * The live queue (DESIGN §4): how long a change made on one device takes to reach the user's
 * other device. Two WebSockets of one user (a seeded demo account) on the built Worker in
 * workerd; device 1 sends CHANGES operations one after another (seek, volume, and a move of an
 * item — a list edit — in turn), each timed from its send to the arrival of its broadcast (the
 * frame at the new version) on device 2. Sends are paced under the per-socket rate limit (20/s).
 * Local figures: the budget is "within a moment".
 */
export async function queueBench(): Promise<Row[]> {
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const mf = workerInWorkerd(build.script, taggedUrl(server, "queue"));
  const sockets: BenchSocket[] = [];
  try {
    const login = (await mf.dispatchFetch("https://veza.bench/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identifier: "sam_listens", password: DEMO_PASSWORD }),
    })) as unknown as Response;
    if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
    const token = ((await login.json()) as { session: { accessToken: string } }).session.accessToken;

    // Two ready tracks by a demo creator, as the media pipeline leaves them (the queue only reads their rows).
    neonConfig.fetchEndpoint = () => `${server.url}/sql`;
    const db = neon(taggedUrl(server, "setup"));
    const [creator] = await db.query("SELECT id FROM users WHERE username = 'okra_beats'");
    const trackIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const [file] = await db.query(
        `INSERT INTO files (user_id, filename, original_filename, mime_type, file_size, storage_path, url)
         VALUES ($1, $2, $2, 'audio/wav', 1024, $3, $4) RETURNING id`,
        [creator!.id, `queue-bench-${i}.wav`, `originals/queue-bench-${i}.wav`, `/v1/files/queue-bench-${i}`],
      );
      const [track] = await db.query(
        `INSERT INTO tracks (creator_id, file_id, title, status, processing_progress, duration, duration_ms, hls_path, published_at)
         VALUES ($1, $2, $3, 'ready', 100, 180, 180000, $4, now()) RETURNING id`,
        [creator!.id, file!.id, `Queue bench ${i}`, `hls/queue-bench-${i}`],
      );
      trackIds.push(track!.id as string);
    }

    const connect = async () => {
      const res = (await mf.dispatchFetch("https://veza.bench/v1/me/queue/ws?device_name=bench", {
        headers: { Upgrade: "websocket", Authorization: `Bearer ${token}` },
      })) as unknown as { status: number; webSocket: BenchSocket | null };
      if (res.status !== 101 || !res.webSocket) throw new Error(`queue socket: ${res.status}`);
      const ws = res.webSocket;
      const frames: Frame[] = [];
      const waiters: Array<() => void> = [];
      ws.addEventListener("message", (event) => {
        frames.push(JSON.parse(String(event.data)) as Frame);
        for (const wake of waiters.splice(0)) wake();
      });
      ws.accept();
      sockets.push(ws);
      /** Resolves to the first frame (from `from` on) whose version is at least `version`. */
      const versionFrame = async (version: number, from = 0): Promise<Frame> => {
        for (;;) {
          const hit = frames.slice(from).find((f) => (f.state?.version ?? f.playback?.version ?? -1) >= version);
          if (hit) return hit;
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no frame at version ${version}`)), 10_000);
            waiters.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
      };
      return { ws, frames, versionFrame };
    };
    const one = await connect();
    const two = await connect();
    const initial = await two.versionFrame(0);
    let version = initial.state!.version;
    let requestId = 0;
    const send = (op: Record<string, unknown>) => one.ws.send(JSON.stringify({ ...op, request_id: `bench-${++requestId}` }));

    send({ type: "add", version, track_ids: [...trackIds, ...trackIds] });
    const added = await two.versionFrame(++version);
    let items = added.state!.items.map((i) => i.item_id);

    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const kind = i % 3;
      const op =
        kind === 0 ? { type: "seek", position_ms: (i * 1000) % 180_000 } : kind === 1 ? { type: "volume", volume: i % 101 } : { type: "move", version, item_id: items[0], position: items.length - 1 };
      const from = two.frames.length;
      const started = performance.now();
      send(op);
      const frame = await two.versionFrame(++version, from);
      latencies.push(performance.now() - started);
      if (frame.state) items = frame.state.items.map((x) => x.item_id);
      // Within the per-socket rate limit (20 operations a second), as a well-behaved client.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, PACE_MS - (performance.now() - started))));
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return [
      { area: "queue", metric: `change on device 1 → broadcast on device 2, p50 (${CHANGES} changes)`, value: p50, unit: "ms", budget: "—" },
      { area: "queue", metric: `change on device 1 → broadcast on device 2, p99 (${CHANGES} changes)`, value: p99, unit: "ms", budget: `< ${BUDGET_P99_MS} ms (local)`, ok: p99 < BUDGET_P99_MS },
    ];
  } finally {
    for (const ws of sockets) ws.close(1000, "bench done");
    await mf.dispose();
    await server.close();
  }
}
