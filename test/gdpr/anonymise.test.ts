import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DELETED_ACCOUNT_LABEL } from "../../src/domains/gdpr/anonymise";
import { runJob } from "../../src/jobs/schedule";
import { api, signedInUser } from "../helpers/auth";
import { createFile, createUser, id, sql, unique } from "../helpers/db";
import { giveOwnedData } from "./fixtures";
import { auditRows, DAY_MS, runCron } from "./helpers";

/** Rows left in each table that §19.3 step 3 empties for `userId`. */
async function personalRows(userId: string) {
  const [row] = await sql.query(
    `SELECT (SELECT count(*) FROM user_profiles WHERE user_id = $1)::int AS profiles,
            (SELECT count(*) FROM user_settings WHERE user_id = $1)::int AS settings,
            (SELECT count(*) FROM two_factor_configs WHERE user_id = $1)::int AS two_factor,
            (SELECT count(*) FROM federated_identities WHERE user_id = $1)::int AS federated,
            (SELECT count(*) FROM refresh_tokens WHERE user_id = $1)::int AS refresh_tokens,
            (SELECT count(*) FROM password_reset_tokens WHERE user_id = $1)::int AS reset_tokens,
            (SELECT count(*) FROM email_verification_tokens WHERE user_id = $1)::int AS verification_tokens,
            (SELECT count(*) FROM password_history WHERE user_id = $1)::int AS password_history,
            (SELECT count(*) FROM search_queries WHERE user_id = $1)::int AS searches,
            (SELECT count(*) FROM user_presence WHERE user_id = $1)::int AS presence,
            (SELECT count(*) FROM cloud_accounts WHERE user_id = $1)::int AS cloud_accounts,
            (SELECT count(*) FROM carts WHERE user_id = $1)::int AS carts,
            (SELECT count(*) FROM product_favorites WHERE user_id = $1)::int AS favorites,
            (SELECT count(*) FROM playback_history WHERE user_id = $1)::int AS playback`,
    [userId],
  );
  return row!;
}

/** Everything personal an account can have beyond giveOwnedData: 2FA, tokens, history, presence, plays. */
async function givePersonalRows(userId: string, email: string, username: string) {
  await sql.query("INSERT INTO two_factor_configs (user_id, totp_secret, totp_enabled, totp_enabled_at) VALUES ($1, 'v1.iv.ct', true, now())", [userId]);
  await sql.query("INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')", [userId, `reset-${unique()}`]);
  await sql.query("INSERT INTO email_verification_tokens (user_id, token_hash, email, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')", [userId, `verify-${unique()}`, email]);
  await sql.query("INSERT INTO password_history (user_id, password_hash) VALUES ($1, '$2b$12$old')", [userId]);
  await sql.query("INSERT INTO user_presence (user_id, status) VALUES ($1, 'online')", [userId]);
  await sql.query("INSERT INTO login_attempts (identifier, success, ip_address) VALUES ($1, true, '198.51.100.7')", [username]);
  const creator = await createUser();
  const file = await createFile(creator.id);
  const track = await id("INSERT INTO tracks (creator_id, file_id, title) VALUES ($1, $2, 'played') RETURNING id", [creator.id, file.id]);
  await sql.query("INSERT INTO playback_history (user_id, track_id, played_duration, completion_percentage, device_type, source) VALUES ($1, $2, 30, 50, 'mobile', 'search')", [userId, track]);
  // A cart with a line and a favourite product: what the person meant to buy and liked.
  const product = await id(
    "INSERT INTO products (seller_id, name, slug, description, category, price, status) VALUES ($1, 'Kit', $2, 'A kit', 'sample', 5, 'active') RETURNING id",
    [creator.id, `kit-${unique()}`],
  );
  const cart = await id("INSERT INTO carts (user_id) VALUES ($1) RETURNING id", [userId]);
  await sql.query("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, 5)", [cart, product]);
  await sql.query("INSERT INTO product_favorites (user_id, product_id) VALUES ($1, $2)", [userId, product]);
  return { track };
}

describe("anonymisation of deleted accounts (cron 30 3 * * *)", () => {
  it("anonymises an account 31 days after its deletion, erases its personal rows and keeps its orders", async () => {
    const user = await signedInUser();
    const owned = await giveOwnedData(user);
    const { track } = await givePersonalRows(user.id, user.email, user.username);
    await sql.query("UPDATE users SET password_hash = NULL, marketing_consent = true, export_requested_at = now(), exported_at = now() WHERE id = $1", [user.id]);
    await env.MEDIA.put(`exports/${user.id}/an-old-archive-000001.json`, "{}");
    // Deleted through the API, like a person would.
    expect((await api("DELETE", "/v1/me", { body: { confirm: "DELETE" }, headers: user.headers })).status).toBe(204);
    await env.MEDIA.put(`exports/${user.id}/a-late-archive-000002.json`, "{}"); // e.g. written by a job still running

    // 31 days pass: the deletion and the attempts before it move back in time.
    await sql.query("UPDATE users SET deleted_at = deleted_at - interval '31 days' WHERE id = $1", [user.id]);
    await sql.query("UPDATE login_attempts SET attempted_at = attempted_at - interval '31 days' WHERE identifier = $1", [user.username]);
    await runCron("30 3 * * *", new Date());

    const [row] = await sql.query(
      `SELECT email, username, password_hash, first_name, last_name, display_name, last_login_ip,
              data_processing_consent, marketing_consent, deleted_at IS NOT NULL AS deleted, updated_at
         FROM users WHERE id = $1`,
      [user.id],
    );
    const { updated_at: updatedAt, ...anonymous } = row!;
    expect(anonymous).toEqual({
      email: `deleted_${user.id}@anonymized.local`,
      username: `deleted_${user.id.replace(/-/g, "").slice(0, 22)}`,
      password_hash: null,
      first_name: null,
      last_name: null,
      display_name: DELETED_ACCOUNT_LABEL,
      last_login_ip: null,
      data_processing_consent: false,
      marketing_consent: false,
      deleted: true,
    });
    expect(anonymous.username).toMatch(/^[a-zA-Z0-9_]{3,30}$/);
    expect(await personalRows(user.id)).toEqual({
      profiles: 0, settings: 0, two_factor: 0, federated: 0, refresh_tokens: 0, reset_tokens: 0, verification_tokens: 0,
      password_history: 0, searches: 0, presence: 0, cloud_accounts: 0, carts: 0, favorites: 0, playback: 0,
    });
    // Listening history stays for the track's statistics, tied to no one.
    expect(await sql.query("SELECT user_id, device_type, source FROM playback_history WHERE track_id = $1", [track])).toEqual([
      { user_id: null, device_type: null, source: null },
    ]);
    expect(await sql.query("SELECT count(*)::int AS n FROM login_attempts WHERE identifier = $1", [user.username])).toEqual([{ n: 0 }]);
    // The order is a 7-year legal record: kept, still the (now anonymous) account's, without the billing identity.
    expect(await sql.query("SELECT user_id, billing_email, billing_name, billing_address, total FROM orders WHERE id = $1", [owned.orderId])).toEqual([
      { user_id: user.id, billing_email: `deleted_${user.id}@anonymized.local`, billing_name: null, billing_address: { country: "FR" }, total: "12.00" },
    ]);
    // Content the person published is not erased by this job (§19.3 names none).
    expect(await sql.query("SELECT count(*)::int AS n FROM posts WHERE user_id = $1", [user.id])).toEqual([{ n: 1 }]);
    expect((await env.MEDIA.list({ prefix: `exports/${user.id}/` })).objects).toEqual([]);
    expect(await auditRows(user.id, "account.anonymise")).toEqual([expect.objectContaining({ actor_id: null, severity: "info" })]);
    // The users row-change audit keeps no personal value of the anonymisation.
    const [change] = await sql.query(
      "SELECT old_data, new_data FROM audit_logs WHERE table_name = 'users' AND record_id = $1 AND new_data ? 'is_active' ORDER BY created_at DESC LIMIT 1",
      [user.id],
    );
    expect(JSON.stringify(change)).not.toContain(user.email);

    // A second run changes nothing.
    await runCron("30 3 * * *", new Date());
    const [again] = await sql.query("SELECT updated_at FROM users WHERE id = $1", [user.id]);
    expect(again!.updated_at).toEqual(updatedAt);
    expect(await auditRows(user.id, "account.anonymise")).toHaveLength(1);
    expect(await sql.query("SELECT billing_email FROM orders WHERE id = $1", [owned.orderId])).toEqual([{ billing_email: `deleted_${user.id}@anonymized.local` }]);
  }, 30_000);

  it("leaves an account deleted 10 days ago (and a live one) untouched and takes one deleted 31 days ago", async () => {
    const recent = await createUser();
    const old = await createUser();
    const live = await createUser();
    await sql.query("UPDATE users SET deleted_at = now() - interval '10 days' WHERE id = $1", [recent.id]);
    await sql.query("UPDATE users SET deleted_at = now() - interval '31 days' WHERE id = $1", [old.id]);

    await runJob("anonymise-deleted-accounts", env, new Date());

    const rows = await sql.query("SELECT id, email, username FROM users WHERE id IN ($1, $2)", [recent.id, old.id]);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[recent.id]).toEqual({ id: recent.id, email: recent.email, username: recent.username });
    expect(byId[old.id]!.email).toBe(`deleted_${old.id}@anonymized.local`);
    expect(await personalRows(recent.id)).toMatchObject({ profiles: 1, settings: 1 });
    expect(await auditRows(recent.id, "account.anonymise")).toHaveLength(0);
    // A live account is never a candidate.
    expect(await sql.query("SELECT email, username FROM users WHERE id = $1", [live.id])).toEqual([{ email: live.email, username: live.username }]);
    expect(await personalRows(live.id)).toMatchObject({ profiles: 1, settings: 1 });
  });

  it("never runs ahead of the database's clock: a run dated 40 days ahead leaves an account deleted 10 days ago alone", async () => {
    const recent = await createUser();
    await sql.query("UPDATE users SET deleted_at = now() - interval '10 days' WHERE id = $1", [recent.id]);

    await runJob("anonymise-deleted-accounts", env, new Date(Date.now() + 40 * DAY_MS));

    expect(await sql.query("SELECT email, username FROM users WHERE id = $1", [recent.id])).toEqual([{ email: recent.email, username: recent.username }]);
    expect(await personalRows(recent.id)).toMatchObject({ profiles: 1, settings: 1 });
  });
});
