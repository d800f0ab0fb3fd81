import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import type { AuthContext } from "../../lib/auth/middleware";
import { base64url, fromBase64url } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import type { z } from "@hono/zod-openapi";
import type { SessionListSchema } from "./schemas";
import { isoTime } from "./user-view";

interface SessionRow {
  token_id: string;
  id: string;
  device_name: string | null;
  device_type: string | null;
  user_agent: string | null;
  ip: string | null;
  created_at: string;
  last_used_at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque cursor: the (created_at, id) of the last live token listed, created_at at full precision. */
function encodeCursor(row: SessionRow): string {
  return base64url(new TextEncoder().encode(JSON.stringify([row.last_used_at, row.token_id])));
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64url(cursor))) as unknown;
    if (Array.isArray(value) && typeof value[0] === "string" && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === "string" && UUID.test(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // falls through to the 422
  }
  throw new ApiError("validation_failed", "The cursor is not valid.", { errors: [{ path: "query.cursor", message: "is not a cursor this API gave" }] });
}

/**
 * My live sessions, most recently used first (one round trip). A session is a refresh-token family
 * with a live token; that token is the newest of its family (each use rotates), so its row holds
 * the device as last seen and its created_at is the last sign-in or refresh.
 */
export async function listSessions(
  c: Context<AppEnv>,
  auth: AuthContext,
  query: { limit: number; cursor?: string },
): Promise<z.infer<typeof SessionListSchema>> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const { rows } = await c.var.db.execute<SessionRow & Record<string, unknown>>(sql`
    SELECT t.id AS token_id, t.family_id AS id, t.device_name, t.device_type, t.user_agent, host(t.ip_address) AS ip,
           t.created_at AS last_used_at,
           (SELECT min(f.created_at) FROM refresh_tokens f WHERE f.family_id = t.family_id) AS created_at
    FROM refresh_tokens t
    WHERE t.user_id = ${auth.userId} AND NOT t.is_revoked AND t.expires_at > now()
      ${after ? sql`AND (t.created_at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
    ORDER BY t.created_at DESC, t.id DESC
    LIMIT ${query.limit + 1}`);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      device_name: row.device_name,
      device_type: row.device_type,
      user_agent: row.user_agent,
      ip: row.ip,
      created_at: isoTime(row.created_at),
      last_used_at: isoTime(row.last_used_at),
      current: row.id === auth.sessionId,
    })),
    next_cursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}
