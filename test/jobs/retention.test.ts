import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { runJob } from "../../src/jobs/schedule";
import { RETENTION_BATCH, RETENTION_BATCHES_PER_RUN } from "../../src/jobs/retention";
import { AUDIT_ARCHIVE_PART_ROWS, AUDIT_ARCHIVE_PARTS_PER_RUN } from "../../src/jobs/archive-audit-logs";
import { createUser, sql, unique } from "../helpers/db";
import { makeTrack } from "../tracks/fixtures";
import { DAY_MS, runCron } from "../gdpr/helpers";

/** A clock far ahead: the jobs never go past the database's own now(), so only truly old rows go. */
const FAR_FUTURE = new Date(Date.now() + 5 * 365 * DAY_MS);
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
const exists = async (query: string, params: unknown[]) => (await sql.query(query, params)).length > 0;

/** Runs `name` twice with the far-future clock: the second run must change nothing of what `state` reads. */
async function runTwice(name: string, state: () => Promise<unknown>) {
  const first = await runJob(name, env, FAR_FUTURE);
  const after = await state();
  const second = await runJob(name, env, FAR_FUTURE);
  expect(await state()).toEqual(after);
  return { first, second };
}

describe("purge-expired-tokens (§18.1: 30 days after expiry, revocation or use)", () => {
  it("deletes tokens expired, revoked or used more than 30 days ago and keeps the rest", async () => {
    const user = await createUser();
    const refresh = async (created: number, expires: number, revoked: number | null) =>
      (await sql.query(
        `INSERT INTO refresh_tokens (user_id, token_hash, created_at, expires_at, is_revoked, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [user.id, `h-${unique()}`, daysAgo(created), daysAgo(expires), revoked !== null, revoked === null ? null : daysAgo(revoked)],
      ))[0]!.id as string;
    const expiredLongAgo = await refresh(100, 31, null);
    const expiredRecently = await refresh(100, 29, null);
    const revokedLongAgo = await refresh(40, -10, 31);
    const revokedRecently = await refresh(40, -10, 29);
    const live = await refresh(1, -29, null);
    const reset = async (expires: number, used: number | null) =>
      (await sql.query(
        "INSERT INTO password_reset_tokens (user_id, token_hash, created_at, expires_at, used, used_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        [user.id, `r-${unique()}`, daysAgo(200), daysAgo(expires), used !== null, used === null ? null : daysAgo(used)],
      ))[0]!.id as string;
    const resetUsedLongAgo = await reset(-1, 31);
    const resetExpiredRecently = await reset(10, null);
    const verification = async (expires: number) =>
      (await sql.query(
        "INSERT INTO email_verification_tokens (user_id, token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        [user.id, `v-${unique()}`, user.email, daysAgo(200), daysAgo(expires)],
      ))[0]!.id as string;
    const verificationExpired = await verification(45);
    const verificationRecent = await verification(5);

    const left = async (table: string, ids: string[]) =>
      (await sql.query(`SELECT id FROM ${table} WHERE id = ANY($1::uuid[])`, [ids])).map((r) => r.id).sort();
    const { second } = await runTwice("purge-expired-tokens", () =>
      sql.query("SELECT (SELECT count(*) FROM refresh_tokens WHERE user_id = $1)::int AS r, (SELECT count(*) FROM password_reset_tokens WHERE user_id = $1)::int AS p, (SELECT count(*) FROM email_verification_tokens WHERE user_id = $1)::int AS e", [user.id]),
    );
    expect(await left("refresh_tokens", [expiredLongAgo, expiredRecently, revokedLongAgo, revokedRecently, live])).toEqual(
      [expiredRecently, revokedRecently, live].sort(),
    );
    expect(await left("password_reset_tokens", [resetUsedLongAgo, resetExpiredRecently])).toEqual([resetExpiredRecently]);
    expect(await left("email_verification_tokens", [verificationExpired, verificationRecent])).toEqual([verificationRecent]);
    expect(Object.keys(second).sort()).toEqual(["emailVerificationTokens", "passwordResetTokens", "refreshTokens"]);
  });
});

describe("purge-activity-logs (§18.1: 90 days)", () => {
  it("deletes login attempts, typing indicators and presence older than 90 days, keeping recent ones", async () => {
    const user = await createUser();
    const other = await createUser();
    const identifier = `activity-${unique()}`;
    await sql.query(
      "INSERT INTO login_attempts (identifier, success, failure_reason, ip_address, attempted_at) VALUES ($1, false, 'invalid_password', '203.0.113.1', $2), ($1, true, NULL, '203.0.113.1', $3)",
      [identifier, daysAgo(91), daysAgo(89)],
    );
    const room = (await sql.query("INSERT INTO rooms (name, room_type, creator_id) VALUES ('typing', 'public', $1) RETURNING id", [user.id]))[0]!.id;
    await sql.query(
      `INSERT INTO typing_indicators (room_id, user_id, started_at, expires_at, created_at) VALUES
         ($1, $2, $4::timestamptz - interval '10 seconds', $4, $4), ($1, $3, $5::timestamptz - interval '10 seconds', $5, $5)`,
      [room, user.id, other.id, daysAgo(91), daysAgo(89)],
    );
    await sql.query("INSERT INTO user_presence (user_id, last_seen_at) VALUES ($1, $3), ($2, $4)", [user.id, other.id, daysAgo(91), daysAgo(89)]);

    await runTwice("purge-activity-logs", () =>
      sql.query(
        "SELECT (SELECT count(*) FROM login_attempts WHERE identifier = $1)::int AS l, (SELECT count(*) FROM typing_indicators WHERE room_id = $2)::int AS t, (SELECT count(*) FROM user_presence WHERE user_id = ANY($3::uuid[]))::int AS p",
        [identifier, room, [user.id, other.id]],
      ),
    );

    expect(await sql.query("SELECT success FROM login_attempts WHERE identifier = $1", [identifier])).toEqual([{ success: true }]);
    expect(await sql.query("SELECT user_id FROM typing_indicators WHERE room_id = $1", [room])).toEqual([{ user_id: other.id }]);
    expect(await sql.query("SELECT user_id FROM user_presence WHERE user_id = ANY($1::uuid[])", [[user.id, other.id]])).toEqual([{ user_id: other.id }]);
  });

  it("works off 10 000 expired login attempts over several bounded runs, then does nothing", async () => {
    const identifier = `backlog-${unique()}`;
    await sql.query(
      `INSERT INTO login_attempts (identifier, success, failure_reason, ip_address, attempted_at)
       SELECT $1, false, 'invalid_password', '198.51.100.7', $2::timestamptz - make_interval(secs => g) FROM generate_series(1, 10000) g`,
      [identifier, daysAgo(120)],
    );
    const mine = async () => Number((await sql.query("SELECT count(*)::int AS n FROM login_attempts WHERE identifier = $1", [identifier]))[0]!.n);
    const bound = RETENTION_BATCH * RETENTION_BATCHES_PER_RUN;
    expect(bound).toBeLessThan(10_000);

    const first = await runJob("purge-activity-logs", env, new Date());
    // One run stops at its bound although more is due.
    expect(first.loginAttempts).toBe(bound);
    expect(await mine()).toBeGreaterThan(0);
    let runs = 1;
    while ((await mine()) > 0 && runs < 20) {
      const counts = await runJob("purge-activity-logs", env, new Date());
      expect(counts.loginAttempts).toBeLessThanOrEqual(bound);
      runs++;
    }
    expect(await mine()).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});

describe("anonymise-old-analytics (§18.1–§18.2: 12 months, aggregates kept)", () => {
  it("strips the person from plays and events older than 12 months, keeps newer ones and the aggregates", async () => {
    const listener = await createUser();
    const creator = await createUser();
    const track = (await makeTrack(creator.id)).id;
    const play = async (at: string) =>
      (await sql.query(
        "INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage, source, device_type, played_at) VALUES ($1, $2, 120, 80, 'search', 'mobile', $3) RETURNING id",
        [listener.id, track, at],
      ))[0]!.id as string;
    const oldPlay = await play(daysAgo(400));
    const recentPlay = await play(daysAgo(300));
    const day = daysAgo(400).slice(0, 10);
    await sql.query("INSERT INTO track_analytics (track_id, day, plays, unique_listeners, total_listen_seconds) VALUES ($1, $2, 1, 1, 120)", [track, day]);
    const event = async (at: string) =>
      (await sql.query(
        "INSERT INTO analytics_events (user_id, session_id, event_type, entity_type, entity_id, ip_address, user_agent, created_at) VALUES ($1, gen_random_uuid(), 'track.play', 'track', $2, '192.0.2.5', 'UA', $3) RETURNING id",
        [listener.id, track, at],
      ))[0]!.id as string;
    const oldEvent = await event(daysAgo(400));
    const recentEvent = await event(daysAgo(300));
    const playCount = async () => (await sql.query("SELECT play_count FROM tracks WHERE id = $1", [track]))[0]!.play_count;
    const playsBefore = await playCount();

    await runTwice("anonymise-old-analytics", async () => [
      await sql.query("SELECT id, user_id, source, device_type FROM playback_history WHERE track_id = $1 ORDER BY id", [track]),
      await sql.query("SELECT id, user_id, anonymized_at, updated_at FROM analytics_events WHERE entity_id = $1 ORDER BY id", [track]),
    ]);

    expect(await sql.query("SELECT user_id, source, source_id, device_type, played_duration FROM playback_history WHERE id = $1", [oldPlay])).toEqual([
      { user_id: null, source: null, source_id: null, device_type: null, played_duration: 120 },
    ]);
    expect(await sql.query("SELECT user_id, source, device_type FROM playback_history WHERE id = $1", [recentPlay])).toEqual([
      { user_id: listener.id, source: "search", device_type: "mobile" },
    ]);
    const events = await sql.query(
      "SELECT id, user_id, session_id IS NULL AS no_session, host(ip_address) AS ip, user_agent, anonymized_at IS NOT NULL AS anonymised, entity_id FROM analytics_events WHERE id = ANY($1::uuid[])",
      [[oldEvent, recentEvent]],
    );
    expect(events.find((e) => e.id === oldEvent)).toEqual({ id: oldEvent, user_id: null, no_session: true, ip: null, user_agent: null, anonymised: true, entity_id: track });
    expect(events.find((e) => e.id === recentEvent)).toMatchObject({ user_id: listener.id, ip: "192.0.2.5", anonymised: false });
    // The aggregates stay as they were.
    expect(await sql.query("SELECT plays, unique_listeners, total_listen_seconds::int AS seconds FROM track_analytics WHERE track_id = $1", [track])).toEqual([
      { plays: 1, unique_listeners: 1, seconds: 120 },
    ]);
    expect(await playCount()).toBe(playsBefore);
  });
});

describe("purge-deleted-messages (§18.1: 30 days after soft delete)", () => {
  it("purges room and direct messages deleted more than 30 days ago only", async () => {
    const a = await createUser();
    const b = await createUser();
    const room = (await sql.query("INSERT INTO rooms (name, room_type, creator_id) VALUES ('purge', 'public', $1) RETURNING id", [a.id]))[0]!.id;
    const message = async (text: string, created: number, deleted: number | null) =>
      (await sql.query(
        `INSERT INTO messages (room_id, sender_id, content, created_at, is_deleted, deleted_at)
         VALUES ($1, $2, $3, date_trunc('milliseconds', $4::timestamptz), $5, $6) RETURNING id`,
        [room, a.id, text, daysAgo(created), deleted !== null, deleted === null ? null : daysAgo(deleted)],
      ))[0]!.id as string;
    const purged = await message("gone", 60, 31);
    const recent = await message("deleted lately", 60, 29);
    const kept = await message("never deleted", 400, null);
    const dm = async (deleted: number) =>
      (await sql.query(
        `INSERT INTO direct_messages (sender_id, recipient_id, content, is_deleted_by_sender, is_deleted_by_recipient, deleted_at)
         VALUES ($1, $2, 'hi', true, true, $3) RETURNING id`,
        [a.id, b.id, daysAgo(deleted)],
      ))[0]!.id as string;
    const dmPurged = await dm(31);
    const dmRecent = await dm(29);

    await runTwice("purge-deleted-messages", async () => [
      await sql.query("SELECT id, updated_at FROM messages WHERE room_id = $1 ORDER BY id", [room]),
      await sql.query("SELECT id, updated_at FROM direct_messages WHERE sender_id = $1 ORDER BY id", [a.id]),
    ]);

    expect((await sql.query("SELECT id FROM messages WHERE room_id = $1", [room])).map((r) => r.id).sort()).toEqual([recent, kept].sort());
    expect(await exists("SELECT 1 FROM messages WHERE id = $1", [purged])).toBe(false);
    expect((await sql.query("SELECT id FROM direct_messages WHERE id = ANY($1::uuid[])", [[dmPurged, dmRecent]])).map((r) => r.id)).toEqual([dmRecent]);
  });
});

describe("expire-uploads under a replayed clock", () => {
  it("expires an incomplete upload after its 24 h, never one still in time, whatever clock the cron claims", async () => {
    const user = await createUser();
    const upload = async (expires: string) =>
      (await sql.query(
        "INSERT INTO file_uploads (user_id, filename, file_size, mime_type, status, expires_at) VALUES ($1, 'a.wav', 10, 'audio/wav', 'uploading', $2) RETURNING id",
        [user.id, expires],
      ))[0]!.id as string;
    const stale = await upload(daysAgo(1 / 24));
    const inProgress = await upload(new Date(Date.now() + 20 * 3600_000).toISOString());

    await runJob("expire-uploads", env, FAR_FUTURE);

    expect(await sql.query("SELECT id, status FROM file_uploads WHERE id = ANY($1::uuid[])", [[stale, inProgress]])).toEqual([{ id: inProgress, status: "uploading" }]);
  });
});

describe("the daily cron keeps the legal records", () => {
  it("leaves a two-year-old order and its transactions whole", async () => {
    const buyer = await createUser();
    const at = daysAgo(730);
    const order = (await sql.query(
      `INSERT INTO orders (user_id, subtotal, tax_total, discount_total, total, billing_email, billing_name, payment_method, status, paid_at, created_at)
       VALUES ($1, 10, 0, 0, 10, $2, 'Ada', 'stripe', 'paid', $3, $3) RETURNING id`,
      [buyer.id, buyer.email, at],
    ))[0]!.id;
    await sql.query("INSERT INTO transactions (transaction_type, user_id, order_id, amount, provider, status, created_at) VALUES ('payment', $1, $2, 10, 'stripe', 'completed', $3)", [buyer.id, order, at]);

    await runCron("30 3 * * *", FAR_FUTURE);

    expect(await sql.query("SELECT user_id, billing_email, billing_name, total FROM orders WHERE id = $1", [order])).toEqual([
      { user_id: buyer.id, billing_email: buyer.email, billing_name: "Ada", total: "10.00" },
    ]);
    expect(await sql.query("SELECT user_id, amount FROM transactions WHERE order_id = $1", [order])).toEqual([{ user_id: buyer.id, amount: "10.00" }]);
  });
});

describe("archive-audit-logs (§18.1: 24 months, then cold storage, then deletion)", () => {
  it("writes an expired month to R2 as JSON lines, then drops its partition; a second run does nothing", async () => {
    // A month of its own, long expired, so no other test's audit rows are in it.
    const year = 1990 + Math.floor(Math.random() * 25);
    const month = `${year}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, "0")}-01`;
    const partition = `audit_logs_${month.slice(0, 4)}_${month.slice(5, 7)}`;
    await sql.query("SELECT ensure_monthly_partition('audit_logs', $1::date)", [month]);
    const subject = (await createUser()).id;
    await sql.query(
      `INSERT INTO audit_logs (action, user_id, metadata, created_at)
       SELECT 'test.archived', $1, jsonb_build_object('n', g), $2::timestamptz + make_interval(hours => g) FROM generate_series(1, 3) g`,
      [subject, month],
    );
    // A recent audit row of the same subject stays where it is.
    await sql.query("INSERT INTO audit_logs (action, user_id) VALUES ('test.recent', $1)", [subject]);

    const first = await runJob("archive-audit-logs", env, FAR_FUTURE);
    expect(first.rowsArchived).toBeGreaterThanOrEqual(3);

    expect(await sql.query("SELECT to_regclass($1) IS NULL AS gone", [partition])).toEqual([{ gone: true }]);
    expect(await sql.query("SELECT action FROM audit_logs WHERE user_id = $1 AND action LIKE 'test.%'", [subject])).toEqual([{ action: "test.recent" }]);
    const archive = await sql.query("SELECT parts, rows_archived::int AS rows, dropped_at IS NOT NULL AS dropped FROM audit_log_archives WHERE partition_name = $1", [partition]);
    expect(archive).toEqual([{ parts: 1, rows: 3, dropped: true }]);
    const object = await env.MEDIA.get(`archives/audit-logs/${month.slice(0, 7)}/part-000001.jsonl`);
    const lines = (await object!.text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.user_id, l.metadata.n])).toEqual([
      ["test.archived", subject, 1],
      ["test.archived", subject, 2],
      ["test.archived", subject, 3],
    ]);

    await runJob("archive-audit-logs", env, FAR_FUTURE);
    expect(await sql.query("SELECT parts, rows_archived::int AS rows FROM audit_log_archives WHERE partition_name = $1", [partition])).toEqual([{ parts: 1, rows: 3 }]);
  });

  it("archives a huge month part by part over several runs", async () => {
    const year = 1960 + Math.floor(Math.random() * 25);
    const month = `${year}-${String(1 + Math.floor(Math.random() * 12)).padStart(2, "0")}-01`;
    const partition = `audit_logs_${month.slice(0, 4)}_${month.slice(5, 7)}`;
    await sql.query("SELECT ensure_monthly_partition('audit_logs', $1::date)", [month]);
    const total = AUDIT_ARCHIVE_PART_ROWS * AUDIT_ARCHIVE_PARTS_PER_RUN + 10;
    await sql.query(
      `INSERT INTO audit_logs (action, metadata, created_at)
       SELECT 'test.bulk', '{}', $1::timestamptz + make_interval(secs => g) FROM generate_series(1, $2::int) g`,
      [month, total],
    );
    const progress = async () =>
      (await sql.query("SELECT parts, rows_archived::int AS rows, dropped_at IS NOT NULL AS dropped FROM audit_log_archives WHERE partition_name = $1", [partition]))[0];

    await runJob("archive-audit-logs", env, new Date());
    // The first run stopped at its bound with the partition still there (older expired months of
    // other tests may have taken some of its parts: the bound is per run, not per month).
    const afterFirst = await progress();
    expect(afterFirst!.rows).toBeLessThanOrEqual(AUDIT_ARCHIVE_PART_ROWS * AUDIT_ARCHIVE_PARTS_PER_RUN);
    expect(afterFirst!.dropped).toBe(false);
    expect(await sql.query("SELECT to_regclass($1) IS NOT NULL AS present", [partition])).toEqual([{ present: true }]);

    let runs = 1;
    while (!(await progress())!.dropped && runs < 10) {
      await runJob("archive-audit-logs", env, new Date());
      runs++;
    }
    expect(await progress()).toEqual({ parts: AUDIT_ARCHIVE_PARTS_PER_RUN + 1, rows: total, dropped: true });
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(await sql.query("SELECT to_regclass($1) IS NULL AS gone", [partition])).toEqual([{ gone: true }]);
  });
});
