import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EXPORT_FORMAT } from "../../src/domains/gdpr/export-archive";
import { exportKey, signExportToken } from "../../src/domains/gdpr/export-link";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { giveOwnedData } from "./fixtures";
import { auditRows, capturingQueue, consume, DAY_MS } from "./helpers";

/** POST /v1/me/export with a capturing queue: resolves to the response and the queued messages. */
async function requestExport(user: SignedInUser) {
  const jobs = capturingQueue();
  const res = await api("POST", "/v1/me/export", { headers: user.headers, bindings: { JOBS_QUEUE: jobs.queue } });
  return { res, sent: jobs.sent };
}

/** Runs the queued export job; resolves to the mails it queued and the link the mail carries. */
async function runExportJob(messages: unknown[]) {
  const mails = capturingQueue();
  const { acked, ids } = await consume(messages as never, { JOBS_QUEUE: mails.queue });
  expect(acked).toEqual(ids);
  const link = mails.sent.map((m) => /https:\/\/app\.veza\.test(\/v1\/me\/exports\/[^\s"<]+)/.exec(String(m.text))?.[1]).find(Boolean);
  return { mails: mails.sent, path: link };
}

const exportIdOf = (path: string) => /\/v1\/me\/exports\/([^?]+)/.exec(path)![1]!;
const tokenOf = (path: string) => decodeURIComponent(/token=([^&]+)/.exec(path)![1]!);

describe("POST /v1/me/export and its job", () => {
  it("writes an archive of the user's data to R2, mails a working link and sets exported_at", async () => {
    const user = await signedInUser();
    const data = await giveOwnedData(user);
    await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true }, headers: user.headers });

    const { res, sent } = await requestExport(user);
    expect(res.status).toBe(202);
    expect(sent).toEqual([{ type: "gdpr.export", userId: user.id }]);
    const [requested] = await sql.query("SELECT export_requested_at, exported_at FROM users WHERE id = $1", [user.id]);
    expect(new Date(requested!.export_requested_at).toISOString()).toBe(res.body.requested_at);
    expect(requested!.exported_at).toBeNull();
    expect(await auditRows(user.id, "gdpr.export_request")).toHaveLength(1);

    const { mails, path } = await runExportJob(sent);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ type: "mail.send", to: user.email, subject: expect.stringMatching(/export/i) });
    expect(path).toBeDefined();

    const [done] = await sql.query("SELECT exported_at > export_requested_at AS answered FROM users WHERE id = $1", [user.id]);
    expect(done!.answered).toBe(true);
    expect(await auditRows(user.id, "gdpr.export")).toHaveLength(1);

    const object = await env.MEDIA.get(exportKey(user.id, exportIdOf(path!)));
    expect(object).not.toBeNull();
    const stored = await object!.text();
    const archive = JSON.parse(stored);
    expect(archive).toMatchObject({
      format: EXPORT_FORMAT,
      user_id: user.id,
      account: { id: user.id, email: user.email, username: user.username, first_name: "Ada" },
      profile: { bio: data.bio, location: "Lyon" },
      settings: { autoplay: false },
      consents: { data_processing_consent: true, marketing_consent: true },
    });
    expect(archive.consent_history).toHaveLength(1);
    expect(archive.playlists).toEqual([expect.objectContaining({ name: data.playlistName, tracks: [expect.objectContaining({ track_id: data.trackId, position: 0 })] })]);
    expect(archive.tracks.map((t: { id: string }) => t.id)).toEqual([data.trackId]);
    expect(archive.posts.map((p: { content: string }) => p.content)).toEqual([data.postContent]);
    expect(archive.messages.map((m: { content: string }) => m.content)).toEqual([data.messageContent]);
    expect(archive.direct_messages.map((m: { content: string }) => m.content).sort()).toEqual([data.dmReceived, data.dmSent].sort());
    expect(archive.orders).toEqual([expect.objectContaining({ id: data.orderId, billing_name: "Ada Lovelace", items: [] })]);
    expect(archive.search_history.map((s: { query: string }) => s.query)).toEqual([data.searchQuery]);
    expect(archive.sessions).toHaveLength(1);
    // Credentials never leave: no password hash, token hash, or encrypted provider/cloud secret.
    expect(archive.account).not.toHaveProperty("password_hash");
    expect(archive.sessions[0]).not.toHaveProperty("token_hash");
    expect(archive.federated_identities[0]).toMatchObject({ provider: "github", provider_email: user.email });
    expect(archive.federated_identities[0]).not.toHaveProperty("access_token");
    expect(archive.cloud_accounts[0]).not.toHaveProperty("encrypted_password");
    expect(stored).not.toMatch(/secret-(access|refresh|cloud)-ciphertext|notarealhash/);

    // The mailed link works without a session, as an attachment, and its download is audited.
    const download = await api("GET", path!);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="veza-export-\d{4}-\d\d-\d\d\.json"$/);
    expect(download.headers.get("cache-control")).toBe("private, no-store");
    expect(download.text).toBe(stored);
    expect(await auditRows(user.id, "gdpr.export_download")).toHaveLength(1);

    // The owner's own session is welcome too.
    expect((await api("GET", path!, { headers: user.headers })).status).toBe(200);
  });

  it("answers 409 while an export is pending, and accepts a new request once it is answered", async () => {
    const user = await signedInUser();
    const first = await requestExport(user);
    expect(first.res.status).toBe(202);
    const second = await requestExport(user);
    expect(second.res.status).toBe(409);
    expect(second.sent).toEqual([]);

    const { path: firstPath } = await runExportJob(first.sent);
    const third = await requestExport(user);
    expect(third.res.status).toBe(202);
    const { path: secondPath } = await runExportJob(third.sent);
    // The new archive replaces the previous one: the old link now says it is gone.
    expect((await api("GET", firstPath!)).status).toBe(410);
    expect((await api("GET", secondPath!)).status).toBe(200);
  });

  it("lets a request stuck for more than 24 hours be replaced", async () => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET export_requested_at = now() - interval '25 hours' WHERE id = $1", [user.id]);
    expect((await requestExport(user)).res.status).toBe(202);
  });

  it("does nothing for a message whose request is already answered or whose account is deleted", async () => {
    const user = await signedInUser();
    const { sent } = await requestExport(user);
    await runExportJob(sent);
    const again = await runExportJob(sent);
    expect(again.mails).toEqual([]);
    expect(await auditRows(user.id, "gdpr.export")).toHaveLength(1);

    const gone = await signedInUser();
    const pending = await requestExport(gone);
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [gone.id]);
    expect((await runExportJob(pending.sent)).mails).toEqual([]);
    expect((await env.MEDIA.list({ prefix: `exports/${gone.id}/` })).objects).toEqual([]);
  });

  it("retries (never acks) a malformed message", async () => {
    const { acked, retried, ids } = await consume([{ type: "gdpr.export", userId: "not-a-uuid" }]);
    expect(acked).toEqual([]);
    expect(retried).toEqual(ids);
  });

  describe("the download link", () => {
    async function exported() {
      const user = await signedInUser();
      const { sent } = await requestExport(user);
      const { path } = await runExportJob(sent);
      return { user, path: path!, exportId: exportIdOf(path!), token: tokenOf(path!) };
    }

    it("refuses a forged token (401)", async () => {
      const { exportId, token } = await exported();
      const [head, payload, signature] = token.split(".");
      const flipped = `${signature!.slice(0, -2)}${signature!.endsWith("AA") ? "BB" : "AA"}`;
      const res = await api("GET", `/v1/me/exports/${exportId}?token=${head}.${payload}.${flipped}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_token");
      // A token signed with another key (here: the raw JWT secret, as an access token would be) too.
      const alien = await signExportToken({ userId: "x", exportId, tokenVersion: 0 }, "another-secret-another-secret-another-secret");
      expect((await api("GET", `/v1/me/exports/${exportId}?token=${alien}`)).status).toBe(401);
    });

    it("refuses an expired token (401)", async () => {
      const { user, exportId } = await exported();
      const old = await signExportToken({ userId: user.id, exportId, tokenVersion: 0 }, env.JWT_SECRET, new Date(Date.now() - 8 * DAY_MS));
      const res = await api("GET", `/v1/me/exports/${exportId}?token=${old}`);
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/expired/);
    });

    it("refuses a missing token (401) and an access token in its place (401)", async () => {
      const { user, exportId } = await exported();
      expect((await api("GET", `/v1/me/exports/${exportId}`)).status).toBe(401);
      expect((await api("GET", `/v1/me/exports/${exportId}`, { headers: user.headers })).status).toBe(401);
      expect((await api("GET", `/v1/me/exports/${exportId}?token=${user.accessToken}`)).status).toBe(401);
    });

    it("refuses another user's link: a token for another export (403), a session of another account (403)", async () => {
      const mine = await exported();
      const theirs = await exported();
      expect((await api("GET", `/v1/me/exports/${theirs.exportId}?token=${encodeURIComponent(mine.token)}`)).status).toBe(403);
      const res = await api("GET", theirs.path, { headers: mine.user.headers });
      expect(res.status).toBe(403);
      expect(await auditRows(theirs.user.id, "gdpr.export_download")).toHaveLength(0);
    });

    it("stops working once the account is deleted (401)", async () => {
      const { user, path } = await exported();
      await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [user.id]);
      expect((await api("GET", path)).status).toBe(401);
    });

    it("stops working after logout-all (token_version moved on: 401)", async () => {
      const { user, path } = await exported();
      expect((await api("GET", path)).status).toBe(200);
      expect((await api("POST", "/v1/auth/logout-all", { headers: user.headers })).status).toBe(204);
      const res = await api("GET", path);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_token");
      expect(await auditRows(user.id, "gdpr.export_download")).toHaveLength(1);
    });

    it("answers 422 for a malformed export id", async () => {
      const res = await api("GET", "/v1/me/exports/no!such?token=x");
      expect(res.status).toBe(422);
    });
  });

  describe("authorisation", () => {
    it("refuses anonymous requests (401)", async () => {
      expect((await api("POST", "/v1/me/export")).status).toBe(401);
    });

    it("refuses a banned user (403) and a soft-deleted one (401)", async () => {
      const banned = await signedInUser();
      await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [banned.id]);
      expect((await requestExport(banned)).res.status).toBe(403);
      const deleted = await signedInUser();
      await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [deleted.id]);
      expect((await requestExport(deleted)).res.status).toBe(401);
      const rows = await sql.query("SELECT export_requested_at FROM users WHERE id IN ($1, $2)", [banned.id, deleted.id]);
      expect(rows).toEqual([{ export_requested_at: null }, { export_requested_at: null }]);
    });
  });
});
