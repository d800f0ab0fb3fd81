import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { neon, neonConfig } from "@neondatabase/serverless";
import { WebSocket } from "ws";
import { signAccessToken } from "../src/lib/auth/tokens";
import { freePort } from "../scripts/free-port";
import { percentile, root, type Row } from "./lib";

/**
 * The chat budget (DESIGN §8, issue "Chat"): 100 clients in one room on `wrangler dev`, against the
 * design of Cloudflare's workers-chat-demo (bench/chat-demo, no database, no auth) in the same run.
 *
 * Every client is a real WebSocket over loopback. Each message carries "<sender>:<counter>"; every
 * receiver checks each sender's counters arrive once each, in order (lost / duplicated / reordered
 * must all be 0), and the latency of a delivery is its arrival minus its send (one clock: one
 * process). Phases, each on both systems:
 *  - paced:     100 messages/s in all (each client 1/s, staggered) — the p99 budget is ≤ 10 ms;
 *  - full speed: each sender sends its next message as soon as its previous one came back;
 *  - pipelined: each sender keeps 8 messages in flight — no sender starved, p99 < 100 ms.
 * Veza then has to have every message in Postgres exactly once; the round trips the flushes cost
 * are counted by the dev database server.
 *
 * Veza's per-socket limit (10 messages/s) is lifted for the run (CHAT_SOCKET_RATE=0/0): this
 * measures what the room can carry, as the demo's figures are without its per-IP limiter. The
 * database runs in a process of its own, and the clients use `ws`, so neither competes with the
 * clients' own event loop. Knobs for tuning runs: CHAT_BENCH_ONLY=veza|demo,
 * CHAT_BENCH_PHASES=paced,full,pipelined, CHAT_BENCH_STATE=<dir> (where the objects' storage lives).
 */

const CLIENTS = 100;
const PACED_SECONDS = 10;
const FULL_SECONDS = 8;
const DRAIN_MS = 20_000;
const JWT_SECRET = "bench-only-jwt-secret-0123456789abcdefghij";

interface Phase {
  name: string;
  deliveriesPerSecond: number;
  sent: number;
  p50: number;
  p95: number;
  p99: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** The fewest messages any sender got through, against the mean (starvation). */
  minSenderShare: number;
}

interface Client {
  send(counter: number): void;
  close(): void;
}

interface ChatSystem {
  name: string;
  connect(index: number, onDelivery: (sender: number, counter: number) => void): Promise<Client>;
}

export async function chatBench(): Promise<Row[]> {
  const { database, process: databaseProcess } = await startDatabaseProcess();
  // Both wrangler dev instances keep their Durable Object storage on a tmpfs where there is one:
  // the figures are the code's, not this machine's disk's (both systems write every message).
  const stateDir = await mkdtemp(join(process.env.CHAT_BENCH_STATE ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir()), "veza-chat-bench-"));
  const [vezaPort, demoPort, vezaInspector, demoInspector] = [await freePort(), await freePort(), Number(process.env.CHAT_BENCH_INSPECTOR_PORT) || (await freePort()), await freePort()];
  const veza = startWrangler(["dev", "--port", String(vezaPort), "--ip", "127.0.0.1", "--inspector-port", String(vezaInspector), "--persist-to", join(stateDir, "veza"),
    "--var", `DATABASE_URL:${taggedUrl(database, "chatbench")}`, "--var", `JWT_SECRET:${JWT_SECRET}`,
    "--var", "ENCRYPTION_KEY:YmVuY2gtb25seS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=", "--var", "ENVIRONMENT:development",
    "--var", "MAIL_PROVIDER:dev", "--var", "CHAT_SOCKET_RATE:0/0"]);
  const demo = startWrangler(["dev", "-c", "bench/chat-demo/wrangler.toml", "--port", String(demoPort), "--ip", "127.0.0.1", "--inspector-port", String(demoInspector), "--persist-to", join(stateDir, "demo")]);
  try {
    await Promise.all([ready(`http://127.0.0.1:${vezaPort}/health`), ready(`http://127.0.0.1:${demoPort}/api/room/warmup`)]);
    console.error("[bench] chat: both wrangler dev instances answer");
    neonConfig.fetchEndpoint = () => `${database.url}/sql`;
    const db = neon(taggedUrl(database, "setup"));
    const { roomId, tokens } = await setUpRoom(db);

    const vezaSystem: ChatSystem = {
      name: "veza",
      async connect(index, onDelivery) {
        const ws = await open(`ws://127.0.0.1:${vezaPort}/v1/rooms/${roomId}/ws`, ["veza.chat.v1", `bearer.${tokens[index]}`]);
        ws.addEventListener("message", (event) => {
          type Frame = { type: string; message?: { content: string }; frames?: Frame[] };
          const frame = JSON.parse(String(event.data)) as Frame;
          for (const each of frame.type === "batch" ? frame.frames! : [frame]) {
            if (each.type !== "message") continue;
            const [sender, counter] = each.message!.content.split(":").map(Number);
            onDelivery(sender!, counter!);
          }
        });
        return {
          send: (counter) => ws.send(JSON.stringify({ type: "send", request_id: `${counter}`, content: `${index}:${counter}` })),
          close: () => ws.close(),
        };
      },
    };
    const demoSystem: ChatSystem = {
      name: "demo",
      async connect(index, onDelivery) {
        const ws = await open(`ws://127.0.0.1:${demoPort}/api/room/bench/websocket`);
        let joined!: () => void;
        let isJoined = false;
        const isReady = new Promise<void>((resolve) => (joined = resolve));
        ws.addEventListener("message", (event) => {
          const frame = JSON.parse(String(event.data)) as { ready?: boolean; name?: string; message?: string };
          if (frame.ready) {
            isJoined = true;
            return joined();
          }
          // The backlog a joining client receives first is history, not deliveries.
          if (!isJoined || typeof frame.message !== "string" || !frame.message.includes(":")) return;
          const [sender, counter] = frame.message.split(":").map(Number);
          onDelivery(sender!, counter!);
        });
        ws.send(JSON.stringify({ name: `client${index}` }));
        await isReady;
        return { send: (counter) => ws.send(JSON.stringify({ message: `${index}:${counter}` })), close: () => ws.close() };
      },
    };

    const rows: Row[] = [];
    let vezaSent = 0;
    let stored = 0;
    let flushTrips = 0;
    // CHAT_BENCH_ONLY=veza|demo and CHAT_BENCH_PHASES=paced,full,pipelined narrow a run while tuning.
    const only = process.env.CHAT_BENCH_ONLY;
    const phases = (process.env.CHAT_BENCH_PHASES ?? "paced,full,pipelined").split(",");
    for (const system of [vezaSystem, demoSystem].filter((s) => !only || s.name === only)) {
      for (const phase of [
        { key: "paced", name: "paced 100 msg/s", window: 0 },
        { key: "full", name: "full speed", window: 1 },
        { key: "pipelined", name: "8 pipelined per sender", window: 8 },
      ].filter((p) => phases.includes(p.key))) {
        // Veza's round trips are counted from the moment every client is connected (the upgrades'
        // membership checks are not flushes) until all of the phase's messages are in Postgres.
        let before = 0;
        console.error(`[bench] chat: ${system.name}, ${phase.name}...`);
        const result = await runPhase(system, phase.name, phase.window, {
          connected: async () => void (before = (await roundTripsFor(database, "chatbench")).requests),
          drained: async (sent) => {
            if (system !== vezaSystem) return;
            vezaSent += sent;
            stored = await waitForStored(db, roomId, vezaSent);
            flushTrips += (await roundTripsFor(database, "chatbench")).requests - before;
          },
        });
        rows.push(...phaseRows(system.name, result));
      }
    }
    rows.push(
      { area: "chat", metric: "veza: messages in Postgres / sent (each exactly once)", value: `${stored} / ${vezaSent}`, budget: "all", ok: stored === vezaSent },
      { area: "chat", metric: "veza: database round trips per message flushed", value: (flushTrips / Math.max(vezaSent, 1)).toFixed(4), budget: "—" },
    );
    return rows;
  } finally {
    veza.kill("SIGINT");
    demo.kill("SIGINT");
    await Promise.all([exited(veza), exited(demo)]);
    databaseProcess.kill("SIGTERM");
    await exited(databaseProcess);
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** One phase: window 0 = paced at 100 messages/s in all; otherwise that many messages in flight per sender. */
async function runPhase(system: ChatSystem, name: string, window: number, hooks: { connected(): Promise<void>; drained(sent: number): Promise<void> }): Promise<Phase> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const expected: number[][] = Array.from({ length: CLIENTS }, () => new Array(CLIENTS).fill(0));
  const sentBy = new Array(CLIENTS).fill(0);
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  let deliveries = 0;
  let lastDelivery = 0;
  let sending = true;
  const key = (sender: number, counter: number) => sender * 1_000_000 + counter;
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const receiver = i;
    clients.push(
      await system.connect(i, (sender, counter) => {
        const now = performance.now();
        deliveries++;
        lastDelivery = now;
        const next = expected[receiver]![sender]!;
        if (counter === next) expected[receiver]![sender] = next + 1;
        else if (counter < next) duplicated++;
        else {
          reordered++;
          expected[receiver]![sender] = counter + 1;
        }
        latencies.push(now - sentAt.get(key(sender, counter))!);
        // Closed loop: a sender's own message coming back frees a slot of its window.
        if (window && receiver === sender && sending) sendNext(sender);
      }),
    );
  }
  const sendNext = (sender: number) => {
    const counter = sentBy[sender]++;
    sentAt.set(key(sender, counter), performance.now());
    clients[sender]!.send(counter);
  };
  await new Promise((r) => setTimeout(r, 500));
  await hooks.connected();
  const start = performance.now();
  if (window) {
    for (let w = 0; w < window; w++) for (let i = 0; i < CLIENTS; i++) sendNext(i);
    await new Promise((r) => setTimeout(r, FULL_SECONDS * 1000));
  } else {
    // Each client once a second, the 100 spread evenly over the second: 100 messages/s in all.
    const timers: NodeJS.Timeout[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      timers.push(
        setTimeout(() => {
          sendNext(i);
          timers.push(setInterval(() => sendNext(i), 1000));
        }, (i * 1000) / CLIENTS),
      );
    }
    await new Promise((r) => setTimeout(r, PACED_SECONDS * 1000));
    for (const t of timers) clearInterval(t);
  }
  sending = false;
  const sent = sentBy.reduce((a, b) => a + b, 0);
  const deadline = Date.now() + DRAIN_MS;
  while (deliveries < sent * CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (let r = 0; r < CLIENTS; r++) for (let s = 0; s < CLIENTS; s++) lost += sentBy[s] - expected[r]![s]!;
  await hooks.drained(sent);
  for (const c of clients) c.close();
  await new Promise((r) => setTimeout(r, 500));
  const mean = sent / CLIENTS;
  return {
    name,
    sent,
    deliveriesPerSecond: deliveries / ((lastDelivery - start) / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    lost: Math.max(0, lost),
    duplicated,
    reordered,
    minSenderShare: Math.min(...sentBy) / mean,
  };
}

function phaseRows(system: string, p: Phase): Row[] {
  const prefix = `${system}, ${p.name}`;
  const budget = p.name.startsWith("paced") ? { p99: "≤ 10 ms", max: 10 } : p.name.startsWith("8") ? { p99: "< 100 ms", max: 100 } : { p99: "—", max: Infinity };
  const clean = p.lost === 0 && p.duplicated === 0 && p.reordered === 0;
  return [
    { area: "chat", metric: `${prefix}: deliveries/s (${p.sent} messages × ${CLIENTS} clients)`, value: p.deliveriesPerSecond.toFixed(0), budget: "—" },
    { area: "chat", metric: `${prefix}: send→receive p50 / p95 / p99`, value: `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)} ms`, budget: budget.p99, ok: system === "veza" && budget.max !== Infinity ? p.p99 <= budget.max : undefined },
    { area: "chat", metric: `${prefix}: lost / duplicated / reordered`, value: `${p.lost} / ${p.duplicated} / ${p.reordered}`, budget: "0 / 0 / 0", ok: clean },
    ...(p.name.startsWith("paced") ? [] : [{ area: "chat", metric: `${prefix}: slowest sender's share of the mean`, value: p.minSenderShare.toFixed(2), budget: "no sender starved" }]),
  ];
}

/** A public room with CLIENTS members, each with a session and an access token. */
async function setUpRoom(db: ReturnType<typeof neon>) {
  const tag = Date.now().toString(36);
  const users = (await db.query(
    `INSERT INTO users (email, username, password_hash, data_processing_consent, data_processing_consent_at)
     SELECT 'chat' || g || '_${tag}@bench.veza', 'chat' || g || '_${tag}', 'x', true, now() FROM generate_series(1, ${CLIENTS}) g
     RETURNING id`,
  )) as Array<{ id: string }>;
  const [room] = (await db.query("INSERT INTO rooms (name, room_type, creator_id) VALUES ('Bench room', 'public', $1) RETURNING id", [users[0]!.id])) as Array<{ id: string }>;
  await db.query(
    `INSERT INTO room_members (room_id, user_id, role) SELECT $1, id, CASE WHEN id = $2 THEN 'owner' ELSE 'member' END FROM users WHERE id = ANY($3::uuid[])`,
    [room!.id, users[0]!.id, users.map((u) => u.id)],
  );
  const sessions = (await db.query(
    `INSERT INTO refresh_tokens (user_id, token_hash, expires_at)
     SELECT id, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), now() + interval '1 day' FROM users WHERE id = ANY($1::uuid[])
     RETURNING user_id, family_id`,
    [users.map((u) => u.id)],
  )) as Array<{ user_id: string; family_id: string }>;
  const family = new Map(sessions.map((s) => [s.user_id, s.family_id]));
  const tokens = await Promise.all(users.map((u) => signAccessToken({ sub: u.id, role: "user", sid: family.get(u.id)!, tv: 0 }, JWT_SECRET)));
  return { roomId: room!.id, tokens };
}

async function waitForStored(db: ReturnType<typeof neon>, roomId: string, expected: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = (await db.query("SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM messages WHERE room_id = $1", [roomId])) as Array<{ n: number; d: number }>;
    if (row!.n !== row!.d) throw new Error(`duplicate messages in Postgres: ${row!.n} rows, ${row!.d} ids`);
    if (row!.n >= expected || Date.now() > deadline) return row!.n;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function open(url: string, protocols?: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // ws rather than Node's built-in client: the bench client must not be the bottleneck.
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false, handshakeTimeout: 15_000 });
    ws.addEventListener("open", () => resolve(ws), { once: true });
    ws.addEventListener("error", (event) => reject(new Error(`could not open ${url}: ${event.message}`)), { once: true });
  });
}

interface BenchDatabase {
  url: string;
  port: number;
}

const taggedUrl = (server: BenchDatabase, tag: string) => `postgres://${tag}:x@127.0.0.1:${server.port}/veza`;

async function roundTripsFor(server: BenchDatabase, tag: string): Promise<{ requests: number; queries: number }> {
  return (await (await fetch(`${server.url}/stats?tag=${tag}`)).json()) as { requests: number; queries: number };
}

/** The dev database server (in-memory PGlite, migrated and seeded) in a child process. */
async function startDatabaseProcess(): Promise<{ database: BenchDatabase; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/database-process.ts"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the bench database exited (${code})`)));
  });
  child.stdout!.resume();
  return { database: { url, port: Number(new URL(url).port) }, process: child };
}

function startWrangler(args: string[]): ChildProcess {
  const child = spawn(`${root}scripts/wrangler.sh`, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

async function ready(url: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
