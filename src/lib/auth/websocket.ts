import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../errors";
import { authenticated, type AuthContext } from "./middleware";

/**
 * Authentication of WebSocket upgrades, before the Worker forwards one to a Durable Object.
 * Browsers cannot set headers on a WebSocket, so besides `Authorization: Bearer <jwt>` the access
 * token may travel in the subprotocol list: `Sec-WebSocket-Protocol: <protocol>, bearer.<jwt>`
 * (the server then selects `<protocol>`, never echoing the token). The token gets the same check as
 * any request's (signature, expiry, token_version, ban, deletion).
 */

export interface WebSocketUpgrade {
  auth: AuthContext;
  /** The application protocol to select in the 101 answer, when the client offered a list. */
  protocol: string | null;
}

const BEARER_PREFIX = "bearer.";

/** Whether the request asks for a WebSocket (else answer `upgradeRequired()`). */
export const isWebSocketUpgrade = (request: Request) => request.headers.get("upgrade")?.toLowerCase() === "websocket";

/**
 * The user of an upgrade request for `protocol`: throws the ApiError to answer (401 anonymous or
 * bad token, 403 banned). A subprotocol list that does not offer `protocol` is refused (400), as
 * the client could not accept our answer.
 */
export async function authenticateWebSocket(c: Context<AppEnv>, protocol: string): Promise<WebSocketUpgrade> {
  const offered = (c.req.header("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (offered.length && !offered.includes(protocol)) throw new ApiError("bad_request", `Offer the ${protocol} subprotocol.`);
  const selected = offered.length ? protocol : null;
  const fromProtocol = offered.find((p) => p.toLowerCase().startsWith(BEARER_PREFIX));
  if (fromProtocol) return { auth: await authenticated(c.var.db, c.env.JWT_SECRET, `Bearer ${fromProtocol.slice(BEARER_PREFIX.length)}`), protocol: selected };
  const auth = c.get("auth");
  if (auth) return { auth, protocol: selected };
  throw c.get("authError") ?? new ApiError("unauthenticated", "Sign in to open this socket.", { headers: { "WWW-Authenticate": "Bearer" } });
}

/** 426 for a plain HTTP request to a WebSocket endpoint. */
export const upgradeRequired = () =>
  new ApiError("upgrade_required", "This endpoint speaks WebSocket: send `Upgrade: websocket`.", { headers: { Upgrade: "websocket", Connection: "Upgrade" } });
