import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { CloudProvider } from "../../db/schema/cloud";
import { decryptSecret } from "../../lib/crypto";
import { notFound } from "../../lib/errors";
import { iso } from "../tracks/track-view";
import type { CloudAccount } from "./schemas";
import { davRoot } from "./server-url";
import { WebDavClient } from "./webdav";

/**
 * A cloud account as the API shows it, over any relation of cloud_accounts rows aliased `a` (the
 * table, or an INSERT/UPDATE's RETURNING). encrypted_password is deliberately not in it: nothing
 * that builds a response can reach the credential.
 */
export const accountJson = (a = "a"): SQL => {
  const t = sql.raw(a);
  return sql`json_build_object(
    'id', ${t}.id, 'provider', ${t}.provider, 'display_name', ${t}.display_name, 'server_url', ${t}.server_url,
    'username', ${t}.username, 'status', ${t}.status, 'last_tested_at', ${iso(`${a}.last_tested_at`)},
    'last_error', ${t}.last_error, 'quota_used_bytes', ${t}.quota_used_bytes, 'quota_total_bytes', ${t}.quota_total_bytes,
    'created_at', ${iso(`${a}.created_at`)}, 'updated_at', ${iso(`${a}.updated_at`)})`;
};

export const accountNotFound = () => notFound("The cloud account");

/** What a connection needs, server-side only: never put into a response or a log. */
export type AccountCredentials = {
  id: string;
  provider: CloudProvider;
  server_url: string;
  username: string;
  encrypted_password: string;
  status: string;
};

/** The WebDAV client of an account, its password decrypted for this use only. */
export async function clientFor(account: Pick<AccountCredentials, "provider" | "server_url" | "username" | "encrypted_password">, encryptionKey: string): Promise<WebDavClient> {
  const password = await decryptSecret(account.encrypted_password, encryptionKey);
  return new WebDavClient({ rootUrl: davRoot(account.provider, account.server_url, account.username), username: account.username, password });
}

/** One of my accounts with its sealed credential, or 404 (another user's account is not mine to know of). */
export async function loadCredentials(db: Database, userId: string, accountId: string): Promise<AccountCredentials> {
  const { rows } = await db.execute<AccountCredentials>(sql`
    SELECT id, provider, server_url, username, encrypted_password, status
      FROM cloud_accounts WHERE id = ${accountId} AND user_id = ${userId}`);
  const row = rows[0];
  if (!row) throw accountNotFound();
  return row;
}

export const toAccount = (json: unknown) => json as CloudAccount;
