import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { deviceOf } from "../auth/sessions";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * An address Postgres' inet accepts, or null. cf-connecting-ip is always well formed, but the
 * X-Forwarded-For fallback is whatever the client wrote, and a malformed value must not turn a
 * password reset into a 422.
 */
function inetOrNull(ip: string | null): string | null {
  if (!ip) return null;
  if (IPV4.test(ip)) return ip;
  if (/^[0-9a-fA-F:.]+$/.test(ip) && ip.includes(":")) {
    try {
      new URL(`http://[${ip}]/`);
      return ip;
    } catch {
      return null;
    }
  }
  return null;
}

/** Who asked, for token rows and audit_logs: the client's IP (if well formed) and user agent. */
export function requestMetadata(c: Context<AppEnv>): { ip: string | null; userAgent: string | null } {
  const device = deviceOf(c);
  return { ip: inetOrNull(device.ip), userAgent: device.userAgent?.slice(0, 1000) ?? null };
}
