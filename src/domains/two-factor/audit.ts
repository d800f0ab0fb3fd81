import type { Context } from "hono";
import { sql, type SQL } from "drizzle-orm";
import type { AppEnv } from "../../env";

export type AuditSeverity = "info" | "warning";

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only a well-formed address reaches the INET column: a bad header must not fail the request. */
function clientIp(c: Context<AppEnv>): string | null {
  const ip = c.req.header("cf-connecting-ip")?.trim();
  if (!ip) return null;
  if (IPV4.test(ip)) return ip;
  if (/^[0-9a-f:.]+$/i.test(ip) && ip.includes(":")) {
    try {
      new URL(`http://[${ip}]/`);
      return ip;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * `SELECT <one audit_logs row>`: the caller appends `FROM <cte>` so the row is written only when
 * the change it records happened, in the same statement. The user is their own actor here.
 */
export function auditRow(c: Context<AppEnv>, userId: string, action: string, severity: AuditSeverity, metadata: Record<string, unknown> = {}): SQL {
  const requestId = c.get("requestId");
  return sql`SELECT ${action}, ${userId}::uuid, ${userId}::uuid, ${severity}::audit_severity, ${clientIp(c)}::inet,
    ${c.req.header("user-agent")?.slice(0, 1000) ?? null}, ${requestId && UUID.test(requestId) ? requestId : null}::uuid,
    ${JSON.stringify(metadata)}::jsonb`;
}

export const AUDIT_COLUMNS = sql.raw("(action, user_id, actor_id, severity, ip_address, user_agent, request_id, metadata)");
