import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { messageHandlers, retryDelaySeconds } from "../../src/jobs/queue";
import { PARTITIONED_TABLES } from "../../src/jobs/maintain-partitions";
import { schedule } from "../../src/jobs/schedule";
import type { QueueMessage } from "../../src/env";
import { sql } from "../helpers/db";

async function runCron(cron: string, at: Date) {
  const controller = createScheduledController({ cron, scheduledTime: at.getTime() });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

const monthName = (d: Date) => `${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

describe("scheduled jobs", () => {
  it("creates every partitioned table's partitions three months ahead of the cron's clock", async () => {
    const now = new Date();
    const later = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 7, 15));
    const target = new Date(Date.UTC(later.getUTCFullYear(), later.getUTCMonth() + 3, 1));
    await runCron("30 3 * * *", later);
    for (const table of PARTITIONED_TABLES) {
      const rows = await sql.query("SELECT to_regclass($1) IS NOT NULL AS present", [`${table}_${monthName(target)}`]);
      expect(rows[0], `${table}_${monthName(target)}`).toEqual({ present: true });
    }
    // Idempotent: a second run creates nothing more.
    const count = async () => (await sql.query("SELECT count(*)::int AS n FROM pg_inherits"))[0]!.n as number;
    const before = await count();
    await runCron("30 3 * * *", later);
    expect(await count()).toBe(before);
  });

  it("moves rows that landed in a default partition into their month when it is created", async () => {
    const user = await sql.query(
      "INSERT INTO users (email, username) VALUES ($1, $2) RETURNING id",
      [`late_${crypto.randomUUID().slice(0, 8)}@example.com`, `late_${crypto.randomUUID().slice(0, 8)}`],
    );
    const far = new Date(Date.UTC(new Date().getUTCFullYear() + 3, 5, 10));
    const identifier = `far-future-${crypto.randomUUID()}`;
    await sql.query("INSERT INTO login_attempts (identifier, success, ip_address, attempted_at) VALUES ($1, false, '203.0.113.9', $2)", [identifier, far.toISOString()]);
    expect(user.length).toBe(1);
    const where = async () =>
      (await sql.query("SELECT tableoid::regclass::text AS part FROM login_attempts WHERE identifier = $1", [identifier]))[0]!.part;
    expect(await where()).toBe("login_attempts_default");
    await runCron("30 3 * * *", far);
    expect(await where()).toBe(`login_attempts_${monthName(far)}`);
  });

  it("leaves a referenced table's early rows in its default partition rather than cascading their references away", async () => {
    const owner = (await sql.query("INSERT INTO users (email, username) VALUES ($1, $2) RETURNING id", [`mr_${crypto.randomUUID().slice(0, 8)}@example.com`, `mr_${crypto.randomUUID().slice(0, 8)}`]))[0]!.id;
    const room = (await sql.query("INSERT INTO rooms (name, room_type, creator_id) VALUES ('far', 'public', $1) RETURNING id", [owner]))[0]!.id;
    const far = new Date(Date.UTC(new Date().getUTCFullYear() + 5, 2, 3, 4, 5, 6));
    const message = (await sql.query("INSERT INTO messages (room_id, sender_id, content, created_at) VALUES ($1, $2, 'from the future', $3) RETURNING id", [room, owner, far.toISOString()]))[0]!.id;
    await sql.query("INSERT INTO message_reactions (message_id, message_created_at, user_id, emoji) VALUES ($1, $2, $3, '🎹')", [message, far.toISOString(), owner]);
    await runCron("30 3 * * *", far);
    const part = await sql.query("SELECT tableoid::regclass::text AS part FROM messages WHERE id = $1", [message]);
    expect(part).toEqual([{ part: "messages_default" }]);
    expect(await sql.query("SELECT count(*)::int AS n FROM message_reactions WHERE message_id = $1", [message])).toEqual([{ n: 1 }]);
  });

  it("refreshes the trending view hourly and keeps it readable", async () => {
    await runCron("0 * * * *", new Date());
    const rows = await sql.query("SELECT count(*)::int AS n FROM trending_tracks");
    expect(rows[0]!.n).toBeGreaterThanOrEqual(0);
    const ispopulated = await sql.query("SELECT ispopulated FROM pg_matviews WHERE matviewname = 'trending_tracks'");
    expect(ispopulated[0]).toEqual({ ispopulated: true });
  });

  it("has a job list for exactly the crons wrangler.toml declares", () => {
    expect(Object.keys(schedule).sort()).toEqual(["0 * * * *", "30 3 * * *"]);
  });
});

describe("the queue dispatcher", () => {
  it("acks a message its handler processed", async () => {
    const seen: unknown[] = [];
    messageHandlers.set("test.ok", async (body) => void seen.push(body));
    const batch = createMessageBatch<QueueMessage>("veza-media", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { type: "test.ok", n: 1 } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(seen).toEqual([{ type: "test.ok", n: 1 }]);
    messageHandlers.delete("test.ok");
  });

  it("retries a failing message with exponential backoff", async () => {
    messageHandlers.set("test.fail", async () => {
      throw new Error("boom");
    });
    // A hand-built batch records the retry options, which getQueueResult does not report.
    const retries: unknown[] = [];
    const message = (attempts: number) => ({
      id: `m-${attempts}`, timestamp: new Date(), attempts, body: { type: "test.fail" },
      ack: () => undefined, retry: (options?: unknown) => void retries.push(options),
    });
    const batch = { queue: "veza-media", messages: [message(1), message(3), message(20)], ackAll: () => undefined, retryAll: () => undefined };
    await worker.queue(batch as unknown as MessageBatch<QueueMessage>, env, createExecutionContext());
    expect(retries).toEqual([{ delaySeconds: 10 }, { delaySeconds: 40 }, { delaySeconds: 3600 }]);
    expect(retryDelaySeconds(2)).toBe(20);
    messageHandlers.delete("test.fail");
  });

  it("walks a message of unknown type towards the dead-letter queue instead of dropping it", async () => {
    const batch = createMessageBatch<QueueMessage>("veza-media", [{ id: "m3", timestamp: new Date(), attempts: 1, body: { type: "nobody.handles.this" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m3"]);
  });
});
