import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { deviceOf } from "../auth/sessions";

/** Who asked, from where: the columns an audit_logs row of a user action carries. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The client address as Postgres `inet` will take it, or null. The header comes from the client
 * when the Worker is not behind Cloudflare's edge (X-Forwarded-For), so anything that is not a
 * plain IPv4 or IPv6 address is dropped: a malformed header must not turn an audited action into
 * a 422 (22P02 from the cast) nor reach the database as text.
 */
export function inetOrNull(value: string | null): string | null {
  if (!value || value.length > 64) return null;
  if (IPV4.test(value)) return value;
  if (!value.includes(":")) return null;
  try {
    // The WHATWG URL parser validates IPv6 literals strictly (no zone ids, no junk).
    new URL(`http://[${value}]/`);
    return value;
  } catch {
    return null;
  }
}

export function requestMeta(c: Context<AppEnv>): RequestMeta {
  const device = deviceOf(c);
  const requestId = c.get("requestId");
  return {
    ip: inetOrNull(device.ip),
    userAgent: device.userAgent ? device.userAgent.slice(0, 512) : null,
    // audit_logs.request_id is a UUID; a client-chosen X-Request-Id that is not one is left out.
    requestId: requestId && UUID.test(requestId) ? requestId : null,
  };
}
