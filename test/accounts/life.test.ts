// The whole life of an account through the Worker, from sign-up to anonymisation: email
// verification, session rotation and reuse detection, two-factor sign-in, an Art. 20 export
// (job, mail, download) and an Art. 17 deletion finished by the nightly cron 31 days later.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { QueueMessage } from "../../src/env";
import { bearer, device, login, PASSWORD } from "../auth/support";
import { auditRows, runCron } from "../gdpr/helpers";
import { api } from "../helpers/auth";
import { one, sql, unique } from "../helpers/db";
import { capturingQueue, deliver, mailbox, runQueue, send, tokenIn } from "../mail/outbox";
import { awayFromStepEdge } from "../two-factor/fixtures";
import { totpCode } from "../two-factor/totp";

type Session = { accessToken: string; refreshToken: string; sessionId: string };

const STEP_MS = 30_000;
const ANONYMISE_CRON = "30 3 * * *";

describe("an account's life", () => {
  it("registers, verifies, rotates, detects reuse, enrols 2FA, exports, deletes and is anonymised", { timeout: 90_000 }, async () => {
    // Login failures count per IP: this test's requests come from their own address.
    const client = device("accounts-life");
    const tag = unique();
    const input = {
      email: `life_${tag}@example.com`,
      username: `life_${tag}`,
      password: PASSWORD,
      data_processing_consent: true,
      marketing_consent: true,
    };

    // 1. register: 201, signed in, unverified; the verification mail is queued (captured here)
    const signup = await send("POST", "/v1/auth/register", { body: input, headers: client });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const userId = signup.body.user.id as string;
    expect(signup.body.user).toMatchObject({ email: input.email, username: input.username, email_verified: false });
    expect(signup.outbox).toEqual([expect.objectContaining({ type: "mail.send", to: input.email })]);
    expect(await one("SELECT email_verified_at, data_processing_consent, marketing_consent FROM users WHERE id = $1", [userId])).toEqual({
      email_verified_at: null,
      data_processing_consent: true,
      marketing_consent: true,
    });

    // 2. verify the email: drain the queue into the dev mailbox, read the link's token, use it
    await deliver(signup.outbox);
    const [welcome] = await mailbox(input.email);
    expect(welcome!.subject).toBe("Please confirm your email address");
    const verify = await api("POST", "/v1/auth/verify-email", { body: { token: tokenIn(welcome!, "verify-email") }, headers: client });
    expect(verify.status, verify.text).toBe(200);
    expect(verify.body).toEqual({ verified: true });
    expect((await one("SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1", [userId])).verified).toBe(true);

    // 3. login: a second session, and the account now shows as verified
    const signin = await login(input.username, PASSWORD, client);
    expect(signin.status, signin.text).toBe(200);
    expect(signin.body.user).toMatchObject({ id: userId, email_verified: true });
    const first = signin.body.session as Session;
    expect(first.sessionId).not.toBe(signup.body.session.sessionId);

    // 4. refresh: new refresh token, same session; the old one is marked rotated
    const rotated = await api("POST", "/v1/auth/refresh", { body: { refresh_token: first.refreshToken }, headers: client });
    expect(rotated.status, rotated.text).toBe(200);
    const second = rotated.body.session as Session;
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const family = await sql.query(`SELECT id, is_revoked, revoked_reason, replaced_by_id FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at`, [
      first.sessionId,
    ]);
    expect(family).toEqual([
      { id: expect.any(String), is_revoked: true, revoked_reason: "rotated", replaced_by_id: family[1]?.id },
      { id: expect.any(String), is_revoked: false, revoked_reason: null, replaced_by_id: null },
    ]);
    expect((await api("GET", "/v1/me", { headers: bearer(second.accessToken) })).status).toBe(200);

    // 5. the rotated token presented again: 401, the whole family revoked, audited
    const reuse = await api("POST", "/v1/auth/refresh", { body: { refresh_token: first.refreshToken }, headers: client });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe("invalid_token");
    const afterReuse = await sql.query(`SELECT is_revoked, revoked_reason FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at`, [first.sessionId]);
    expect(afterReuse).toEqual([
      { is_revoked: true, revoked_reason: "rotated" },
      { is_revoked: true, revoked_reason: "reuse_detected" },
    ]);
    expect(await auditRows(userId, "auth.refresh_reuse")).toEqual([
      expect.objectContaining({ severity: "warning", metadata: expect.objectContaining({ session_id: first.sessionId }) }),
    ]);
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: second.refreshToken }, headers: client })).status).toBe(401);
    expect((await api("GET", "/v1/me", { headers: bearer(second.accessToken) })).status).toBe(401);

    // 6. sign in again
    const again = await login(input.email, PASSWORD, client);
    expect(again.status, again.text).toBe(200);
    const third = again.body.session as Session;
    expect((await api("GET", "/v1/me", { headers: bearer(third.accessToken) })).status).toBe(200);

    // 7. 2FA enrolment, confirmed with a code of the independent TOTP implementation
    const enrol = await api("POST", "/v1/me/2fa/totp", { headers: bearer(third.accessToken, client) });
    expect(enrol.status, enrol.text).toBe(201);
    const secret = enrol.body.secret as string;
    await awayFromStepEdge();
    const confirm = await api("POST", "/v1/me/2fa/totp/confirm", { body: { code: await totpCode(secret) }, headers: bearer(third.accessToken, client) });
    expect(confirm.status, confirm.text).toBe(200);
    const backupCodes = confirm.body.backup_codes as string[];
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    expect(await one("SELECT totp_enabled, jsonb_array_length(backup_codes) AS backups FROM two_factor_configs WHERE user_id = $1", [userId])).toEqual({
      totp_enabled: true,
      backups: 10,
    });

    // 8. login without a code: refused, naming the missing field
    const noCode = await login(input.username, PASSWORD, client);
    expect(noCode.status).toBe(401);
    expect(noCode.body.errors).toEqual([{ path: "json.code", message: "required" }]);

    // 9. login with a TOTP code: the confirmation spent its step, so use the next one (within the ±1 window)
    await awayFromStepEdge();
    const code = await totpCode(secret, new Date(Date.now() + STEP_MS));
    const withTotp = await login(input.username, PASSWORD, client, code);
    expect(withTotp.status, withTotp.text).toBe(200);
    expect(withTotp.body.user.id).toBe(userId);
    const replay = await login(input.username, PASSWORD, client, code);
    expect(replay.status).toBe(401);
    expect(replay.body.errors).toEqual([{ path: "json.code", message: "invalid" }]);

    // 10. login with a backup code: once
    const withBackup = await login(input.email, PASSWORD, client, backupCodes[0]);
    expect(withBackup.status, withBackup.text).toBe(200);
    const current = withBackup.body.session as Session;
    const backupAgain = await login(input.email, PASSWORD, client, backupCodes[0]);
    expect(backupAgain.status).toBe(401);
    expect(backupAgain.body.errors).toEqual([{ path: "json.code", message: "invalid" }]);
    expect((await one("SELECT jsonb_array_length(backup_codes) AS backups FROM two_factor_configs WHERE user_id = $1", [userId])).backups).toBe(9);

    // 11. export: a post of the user's, the request (202), the queued job run through the Worker's queue handler
    const postContent = `life post ${tag}`;
    await sql.query("INSERT INTO posts (user_id, content) VALUES ($1, $2)", [userId, postContent]);
    const exportRequest = await send("POST", "/v1/me/export", { headers: bearer(current.accessToken, client) });
    expect(exportRequest.status, JSON.stringify(exportRequest.body)).toBe(202);
    expect(exportRequest.outbox).toEqual([{ type: "gdpr.export", userId }]);
    const exportMails: QueueMessage[] = [];
    const job = await runQueue(exportRequest.outbox, { JOBS_QUEUE: capturingQueue(exportMails) });
    expect(job).toEqual({ acked: ["msg-0"], retried: [] });
    expect(exportMails).toEqual([expect.objectContaining({ type: "mail.send", to: input.email })]);
    expect((await one("SELECT exported_at > export_requested_at AS answered FROM users WHERE id = $1", [userId])).answered).toBe(true);

    // 12. the mailed link (read from the dev mailbox) downloads the JSON archive
    await deliver(exportMails);
    const ready = (await mailbox(input.email)).find((m) => m.subject === "Your Veza data export is ready");
    expect(ready, "the export mail in the dev mailbox").toBeDefined();
    const link = new RegExp(`^${env.APP_URL}(/v1/me/exports/\\S+)$`, "m").exec(ready!.text);
    expect(link, ready!.text).not.toBeNull();
    const download = await api("GET", link![1]!);
    expect(download.status, download.text).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="veza-export-.*\.json"$/);
    const archive = download.body;
    expect(archive).toMatchObject({
      user_id: userId,
      account: { id: userId, email: input.email, username: input.username },
      profile: { user_id: userId },
      settings: { user_id: userId },
      consents: { data_processing_consent: true, marketing_consent: true },
      two_factor: { totp_enabled: true },
    });
    expect(archive.posts.map((p: { content: string }) => p.content)).toEqual([postContent]);
    expect(download.text).not.toContain(secret);
    expect(archive.account).not.toHaveProperty("password_hash");

    // 13. delete the account: 204; the old access token and signing in are refused
    const deleted = await api("DELETE", "/v1/me", { body: { password: PASSWORD, confirm: "DELETE" }, headers: bearer(current.accessToken, client) });
    expect(deleted.status, deleted.text).toBe(204);
    expect(await one("SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1", [userId])).toEqual({ deleted: true });
    expect(await one("SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND NOT is_revoked", [userId])).toEqual({ live: 0 });
    expect((await api("GET", "/v1/me", { headers: bearer(current.accessToken) })).status).toBe(401);
    expect((await login(input.email, PASSWORD, client)).status).toBe(401);
    expect((await login(input.username, PASSWORD, client, backupCodes[1])).status).toBe(401);
    expect((await api("POST", "/v1/auth/refresh", { body: { refresh_token: current.refreshToken }, headers: client })).status).toBe(401);

    // 14. 31 days later (its deletion moved back), the nightly cron anonymises the account
    await sql.query("UPDATE users SET deleted_at = deleted_at - interval '31 days' WHERE id = $1", [userId]);
    await runCron(ANONYMISE_CRON, new Date());
    const anonymised = await one("SELECT email, username, password_hash, deleted_at IS NOT NULL AS deleted, updated_at FROM users WHERE id = $1", [userId]);
    const { updated_at: updatedAt, ...anonymous } = anonymised;
    expect(anonymous).toEqual({
      email: `deleted_${userId}@anonymized.local`,
      username: `deleted_${userId.replace(/-/g, "").slice(0, 22)}`,
      password_hash: null,
      deleted: true,
    });
    const personal = async () =>
      one(
        `SELECT (SELECT count(*) FROM user_profiles WHERE user_id = $1)::int AS profiles,
                (SELECT count(*) FROM refresh_tokens WHERE user_id = $1)::int AS refresh_tokens,
                (SELECT count(*) FROM two_factor_configs WHERE user_id = $1)::int AS two_factor`,
        [userId],
      );
    expect(await personal()).toEqual({ profiles: 0, refresh_tokens: 0, two_factor: 0 });
    expect(await auditRows(userId, "account.anonymise")).toHaveLength(1);

    // 15. a second run changes nothing
    await runCron(ANONYMISE_CRON, new Date());
    const after = await one("SELECT email, username, password_hash, deleted_at IS NOT NULL AS deleted, updated_at FROM users WHERE id = $1", [userId]);
    expect(after).toEqual({ ...anonymous, updated_at: updatedAt });
    expect(await personal()).toEqual({ profiles: 0, refresh_tokens: 0, two_factor: 0 });
    expect(await auditRows(userId, "account.anonymise")).toHaveLength(1);
  });
});
