import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { capturingQueue, consume } from "./helpers";

/**
 * GET /v1/me/export: where my export stands, and a fresh link to the latest archive — the way
 * back to an export whose mail was lost.
 */

async function requestExport(user: SignedInUser) {
  const jobs = capturingQueue();
  const res = await api("POST", "/v1/me/export", { headers: user.headers, bindings: { JOBS_QUEUE: jobs.queue } });
  expect(res.status).toBe(202);
  return jobs.sent;
}

async function runExportJob(messages: unknown[]): Promise<string> {
  const mails = capturingQueue();
  const { acked, ids } = await consume(messages as never, { JOBS_QUEUE: mails.queue });
  expect(acked).toEqual(ids);
  return mails.sent.map((m) => /https:\/\/app\.veza\.test(\/v1\/me\/exports\/[^\s"<]+)/.exec(String(m.text))?.[1]).find(Boolean)!;
}

const status = (user: SignedInUser) => api("GET", "/v1/me/export", { headers: user.headers });
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const idOf = (path: string) => /\/v1\/me\/exports\/([^?]+)/.exec(path)![1];

describe("GET /v1/me/export", () => {
  it("says none, then pending, then ready with a fresh link that downloads the archive", async () => {
    const user = await signedInUser();
    const before = await status(user);
    expect(before.status).toBe(200);
    expect(before.headers.get("cache-control")).toContain("no-store");
    expect(before.body).toEqual({ status: "none", requested_at: null, archive: null });

    const sent = await requestExport(user);
    const pending = await status(user);
    expect(pending.body).toMatchObject({ status: "pending", requested_at: expect.any(String), archive: null });

    const mailed = await runExportJob(sent);
    const ready = await status(user);
    expect(ready.body).toMatchObject({ status: "ready", requested_at: pending.body.requested_at });
    const archive = ready.body.archive;
    expect(archive.bytes).toBeGreaterThan(100);
    expect(Date.parse(archive.expires_at) - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000);
    expect(archive.download_url).toMatch(/^https:\/\/app\.veza\.test\/v1\/me\/exports\/[A-Za-z0-9_-]+\?token=/);
    // The same archive the mail points to, through a link of its own that works without a session.
    expect(idOf(pathOf(archive.download_url))).toBe(idOf(mailed));
    const download = await api("GET", pathOf(archive.download_url));
    expect(download.status).toBe(200);
    expect(download.body).toMatchObject({ user_id: user.id });
    expect(archive.generated_at).toBe(download.body.generated_at);
  });

  it("keeps the previous archive downloadable while a new one is prepared, then points to the new one", async () => {
    const user = await signedInUser();
    const firstPath = await runExportJob(await requestExport(user));
    const sent = await requestExport(user);
    const meanwhile = await status(user);
    expect(meanwhile.body.status).toBe("pending");
    expect(idOf(pathOf(meanwhile.body.archive.download_url))).toBe(idOf(firstPath));

    const secondPath = await runExportJob(sent);
    const after = await status(user);
    expect(after.body.status).toBe("ready");
    expect(idOf(pathOf(after.body.archive.download_url))).toBe(idOf(secondPath));
    expect(idOf(secondPath)).not.toBe(idOf(firstPath));
  });

  it("no longer calls a request unanswered for more than 24 hours pending", async () => {
    const user = await signedInUser();
    await requestExport(user);
    await sql.query("UPDATE users SET export_requested_at = now() - interval '25 hours' WHERE id = $1", [user.id]);
    expect((await status(user)).body).toMatchObject({ status: "none", archive: null });
  });

  it("gives a link that a logout everywhere ends, like the mailed one", async () => {
    const user = await signedInUser();
    await runExportJob(await requestExport(user));
    const { download_url } = (await status(user)).body.archive;
    await sql.query("UPDATE users SET token_version = token_version + 1 WHERE id = $1", [user.id]);
    expect((await api("GET", pathOf(download_url))).status).toBe(401);
  });

  describe("authorisation", () => {
    it("refuses anonymous (401), banned (403) and deleted (401) accounts, and shows each only their own", async () => {
      expect((await api("GET", "/v1/me/export")).status).toBe(401);
      const banned = await signedInUser();
      await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [banned.id]);
      expect((await status(banned)).status).toBe(403);
      const deleted = await signedInUser();
      await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [deleted.id]);
      expect((await status(deleted)).status).toBe(401);

      const owner = await signedInUser();
      await runExportJob(await requestExport(owner));
      const other = await signedInUser();
      expect((await status(other)).body).toEqual({ status: "none", requested_at: null, archive: null });
    });
  });
});
