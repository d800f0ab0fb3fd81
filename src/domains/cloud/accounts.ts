import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { CloudProvider } from "../../db/schema/cloud";
import type { Env } from "../../env";
import { encryptSecret } from "../../lib/crypto";
import { postgresCode } from "../../lib/database-errors";
import { ApiError } from "../../lib/errors";
import { accountJson, accountNotFound, clientFor, loadCredentials, toAccount } from "./account-view";
import { stagedExportKey } from "./staging";
import type { CloudAccount, ConnectAccount, UpdateAccount } from "./schemas";
import { davRoot, normaliseServerUrl } from "./server-url";
import { WebDavClient, WebDavError } from "./webdav";

type Bindings = Pick<Env, "ENCRYPTION_KEY" | "ENVIRONMENT" | "MEDIA">;

interface Tested {
  quotaUsed: number | null;
  quotaTotal: number | null;
}

/** PROPFIND depth 0 on the DAV root; the quota when the server reports it. */
async function probe(client: WebDavClient): Promise<Tested> {
  const root = await client.testRoot();
  const used = root.quotaUsedBytes;
  const available = root.quotaAvailableBytes;
  return { quotaUsed: used, quotaTotal: used !== null && available !== null ? used + available : null };
}

/** The connection test of a new or changed account: a failure is a 422 naming the reason, and nothing is saved. */
async function testOrRefuse(client: WebDavClient): Promise<Tested> {
  try {
    return await probe(client);
  } catch (err) {
    if (!(err instanceof WebDavError)) throw err;
    throw new ApiError("cloud_connection_failed", `The connection test failed: ${err.message}`, { extensions: { reason: err.kind } });
  }
}

const alreadyConnected = () => new ApiError("conflict", "This account (same server URL and username) is already connected.");

/**
 * POST /v1/me/cloud-accounts: tests the connection first (nothing is stored if it fails), then
 * stores the account with its app password sealed (AES-256-GCM), active. One round trip.
 */
export async function connectAccount(db: Database, env: Bindings, userId: string, body: ConnectAccount): Promise<CloudAccount> {
  const serverUrl = normaliseServerUrl(body.server_url, body.provider, env.ENVIRONMENT);
  const client = new WebDavClient({ rootUrl: davRoot(body.provider, serverUrl, body.username), username: body.username, password: body.app_password });
  const tested = await testOrRefuse(client);
  const sealed = await encryptSecret(body.app_password, env.ENCRYPTION_KEY);
  try {
    const { rows } = await db.execute<{ account: unknown }>(sql`
      WITH a AS (
        INSERT INTO cloud_accounts (user_id, provider, display_name, server_url, username, encrypted_password, status, last_tested_at, quota_used_bytes, quota_total_bytes)
        VALUES (${userId}, ${body.provider}, ${body.display_name ?? null}, ${serverUrl}, ${body.username}, ${sealed}, 'active', now(), ${tested.quotaUsed}, ${tested.quotaTotal})
        RETURNING *
      )
      SELECT ${accountJson()} AS account FROM a`);
    return toAccount(rows[0]!.account);
  } catch (err) {
    if (postgresCode(err) === "23505") throw alreadyConnected();
    throw err;
  }
}

/** GET /v1/me/cloud-accounts: mine, oldest first (a person has a handful). One round trip. */
export async function listAccounts(db: Database, userId: string): Promise<{ items: CloudAccount[] }> {
  const { rows } = await db.execute<{ items: unknown[] }>(sql`
    SELECT COALESCE(json_agg(${accountJson()} ORDER BY a.created_at, a.id), '[]'::json) AS items
      FROM cloud_accounts a WHERE a.user_id = ${userId}`);
  return { items: rows[0]!.items.map(toAccount) };
}

/** GET /v1/me/cloud-accounts/:id. One round trip. */
export async function getAccount(db: Database, userId: string, id: string): Promise<CloudAccount> {
  const { rows } = await db.execute<{ account: unknown }>(sql`SELECT ${accountJson()} AS account FROM cloud_accounts a WHERE a.id = ${id} AND a.user_id = ${userId}`);
  if (!rows[0]) throw accountNotFound();
  return toAccount(rows[0].account);
}

/** Writes the outcome of a test to the account: active with the quota, or error with the reason. */
async function recordTest(db: Database, userId: string, id: string, outcome: Tested | WebDavError, keepDisabled: boolean): Promise<CloudAccount> {
  const ok = !(outcome instanceof WebDavError);
  const status = keepDisabled ? "disabled" : ok ? "active" : "error";
  const { rows } = await db.execute<{ account: unknown }>(sql`
    WITH a AS (
      UPDATE cloud_accounts SET status = ${status}, last_tested_at = now(),
             last_error = ${ok ? null : outcome.message},
             quota_used_bytes = ${ok ? outcome.quotaUsed : null}::bigint, quota_total_bytes = ${ok ? outcome.quotaTotal : null}::bigint
       WHERE id = ${id} AND user_id = ${userId}
      RETURNING *
    )
    SELECT ${accountJson()} AS account FROM a`);
  if (!rows[0]) throw accountNotFound();
  return toAccount(rows[0].account);
}

/**
 * POST /v1/me/cloud-accounts/:id/test: tests the stored connection and records the outcome (200
 * either way: status and last_error say how it went). A paused account stays paused. Two round trips.
 */
export async function retestAccount(db: Database, env: Bindings, userId: string, id: string): Promise<CloudAccount> {
  const account = await loadCredentials(db, userId, id);
  const client = await clientFor(account, env.ENCRYPTION_KEY);
  const outcome = await probe(client).catch((err: unknown) => {
    if (err instanceof WebDavError) return err;
    throw err;
  });
  return recordTest(db, userId, id, outcome, account.status === "disabled");
}

/**
 * PATCH /v1/me/cloud-accounts/:id. A new URL, username or password — or resuming a paused account —
 * is tested first and refused (422, nothing saved) if the test fails: two round trips. A new name
 * or a pause alone: one.
 */
export async function updateAccount(db: Database, env: Bindings, userId: string, id: string, body: UpdateAccount): Promise<CloudAccount> {
  const reconnects = body.server_url !== undefined || body.username !== undefined || body.app_password !== undefined || body.status === "active";
  let tested: Tested | null = null;
  let serverUrl: string | null = null;
  let sealed: string | null = null;
  if (reconnects) {
    const current = await loadCredentials(db, userId, id);
    const provider: CloudProvider = current.provider;
    serverUrl = body.server_url !== undefined ? normaliseServerUrl(body.server_url, provider, env.ENVIRONMENT) : current.server_url;
    const username = body.username ?? current.username;
    const client =
      body.app_password !== undefined
        ? new WebDavClient({ rootUrl: davRoot(provider, serverUrl, username), username, password: body.app_password })
        : await clientFor({ ...current, server_url: serverUrl, username }, env.ENCRYPTION_KEY);
    tested = await testOrRefuse(client);
    if (body.app_password !== undefined) sealed = await encryptSecret(body.app_password, env.ENCRYPTION_KEY);
  }
  const status = body.status === "disabled" ? "disabled" : tested ? "active" : null;
  try {
    const { rows } = await db.execute<{ account: unknown }>(sql`
      WITH a AS (
        UPDATE cloud_accounts SET
          display_name = CASE WHEN ${body.display_name !== undefined} THEN ${body.display_name ?? null} ELSE display_name END,
          server_url = COALESCE(${serverUrl}, server_url),
          username = COALESCE(${body.username ?? null}, username),
          encrypted_password = COALESCE(${sealed}, encrypted_password),
          status = COALESCE(${status}, status),
          last_tested_at = CASE WHEN ${tested !== null} THEN now() ELSE last_tested_at END,
          last_error = CASE WHEN ${tested !== null} THEN NULL ELSE last_error END,
          quota_used_bytes = CASE WHEN ${tested !== null} THEN ${tested?.quotaUsed ?? null}::bigint ELSE quota_used_bytes END,
          quota_total_bytes = CASE WHEN ${tested !== null} THEN ${tested?.quotaTotal ?? null}::bigint ELSE quota_total_bytes END
         WHERE id = ${id} AND user_id = ${userId}
        RETURNING *
      )
      SELECT ${accountJson()} AS account FROM a`);
    if (!rows[0]) throw accountNotFound();
    return toAccount(rows[0].account);
  } catch (err) {
    if (postgresCode(err) === "23505") throw alreadyConnected();
    throw err;
  }
}

/**
 * DELETE /v1/me/cloud-accounts/:id: hard delete (the credential must not linger); its jobs and
 * sync records go with it (ON DELETE CASCADE), and so do the jobs' staged exports in R2. The files
 * already on the remote stay there: they are the user's. One round trip.
 */
export async function deleteAccount(db: Database, env: Bindings, userId: string, id: string): Promise<void> {
  const { rows } = await db.execute<{ found: boolean; job_ids: string[] }>(sql`
    WITH gone AS (DELETE FROM cloud_accounts WHERE id = ${id} AND user_id = ${userId} RETURNING id)
    SELECT EXISTS (SELECT 1 FROM gone) AS found,
           COALESCE((SELECT json_agg(j.id) FROM backup_jobs j WHERE j.cloud_account_id IN (SELECT id FROM gone)), '[]'::json) AS job_ids`);
  if (!rows[0]?.found) throw accountNotFound();
  const keys = rows[0].job_ids.map(stagedExportKey);
  if (keys.length) await env.MEDIA.delete(keys).catch(() => undefined);
}
