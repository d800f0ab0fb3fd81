import type { Context } from "hono";
import type { AppEnv } from "../env";

/**
 * The client of a request: its IP address, user agent and device type, as the accounts domains
 * store them (refresh tokens, login attempts, reset tokens, audit_logs).
 *
 * Headers are client input until proven otherwise. Two sources of the address, on purpose:
 *  - `edgeIpOf`: Cloudflare's `cf-connecting-ip` only. Cloudflare sets it and clients cannot forge
 *    it, so it is the one to base a security decision on (the login throttle's per-IP lockout).
 *  - `clientIpOf`: `cf-connecting-ip`, else the first hop of `x-forwarded-for`. That header is
 *    whatever the client wrote, which is fine for metadata people read later (sessions, audit rows)
 *    and gives an address when the Worker runs without Cloudflare's edge in front (dev, tests).
 * Either way only an address Postgres' `inet` accepts comes out (see `inetOrNull`).
 */

/** User agents are stored cut to this many characters. */
export const USER_AGENT_MAX_LENGTH = 1000;

export type DeviceType = "mobile" | "tablet" | "desktop";

export interface RequestClient {
  /** A well-formed IPv4 or IPv6 address, or null. */
  ip: string | null;
  /** The User-Agent header, cut to `userAgentMaxLength`; null when absent or empty. */
  userAgent: string | null;
  /** Guessed from the user agent; null without one. */
  deviceType: DeviceType | null;
}

export interface ClientOptions {
  /** Fall back to `x-forwarded-for` when `cf-connecting-ip` is missing or malformed (default true). */
  forwardedFor?: boolean;
  /** Cut the user agent to this many characters (default `USER_AGENT_MAX_LENGTH`). */
  userAgentMaxLength?: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * `value` (trimmed) when it is a plain IPv4 or IPv6 address Postgres' `inet` accepts, else null:
 * a malformed header must neither fail the request (22P02 from the `::inet` cast, a 422) nor reach
 * the database as text.
 */
export function inetOrNull(value: string | null | undefined): string | null {
  const ip = value?.trim();
  if (!ip) return null;
  if (IPV4.test(ip)) return ip;
  if (!/^[0-9a-fA-F:.]+$/.test(ip) || !ip.includes(":")) return null;
  try {
    new URL(`http://[${ip}]/`); // the WHATWG parser validates IPv6 syntax strictly (no zone ids, no junk)
    return ip;
  } catch {
    return null;
  }
}

/** The address Cloudflare's edge saw (`cf-connecting-ip`), or null: the only one to trust for security decisions. */
export const edgeIpOf = (c: Context<AppEnv>): string | null => inetOrNull(c.req.header("cf-connecting-ip"));

/** The client's address for stored metadata: `cf-connecting-ip`, else the first `x-forwarded-for` hop (client-controlled). */
export const clientIpOf = (c: Context<AppEnv>): string | null =>
  edgeIpOf(c) ?? inetOrNull(c.req.header("x-forwarded-for")?.split(",")[0]);

/** The device type a user agent suggests, or null without one. */
export function deviceTypeOf(userAgent: string | null): DeviceType | null {
  if (!userAgent) return null;
  return /ipad|tablet/i.test(userAgent) ? "tablet" : /mobile|iphone|android/i.test(userAgent) ? "mobile" : "desktop";
}

/** The client of `c`: address, user agent and device type (see the module comment for the address). */
export function clientOf(c: Context<AppEnv>, options: ClientOptions = {}): RequestClient {
  const userAgent = c.req.header("user-agent")?.slice(0, options.userAgentMaxLength ?? USER_AGENT_MAX_LENGTH) || null;
  const ip = options.forwardedFor === false ? edgeIpOf(c) : clientIpOf(c);
  return { ip, userAgent, deviceType: deviceTypeOf(userAgent) };
}
