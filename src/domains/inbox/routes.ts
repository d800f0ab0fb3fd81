import { createRoute } from "@hono/zod-openapi";
import { problemDoc } from "../../lib/problem";

export const inboxSocketRoute = createRoute({
  method: "get",
  path: "/v1/me/inbox/ws",
  tags: ["Inbox"],
  summary: "Your live inbox over WebSocket (protocol veza.inbox.v1)",
  description:
    "What happens to you, pushed to every device of yours as it happens: `dm` (a direct message to or from you), `dm_read` (messages read), `dm_deleted` (you deleted a message on another device). Authenticate with `Authorization: Bearer <token>`, or (browsers) `Sec-WebSocket-Protocol: veza.inbox.v1, bearer.<token>`; the server selects `veza.inbox.v1` and sends `{type:\"ready\"}`. Nothing is queued for a closed socket: after (re)connecting, fetch GET /v1/me/conversations. The socket lives as long as its access token (then `error`/`token_expired` and close 4001); send `{type:\"reauth\", request_id, token}` with a fresh token to extend it. See durable-objects/user-inbox/protocol.ts. At most one database round trip (the token's check, usually cached at the edge).",
  security: [{ bearerAuth: [] }],
  responses: {
    101: { description: "Switching protocols" },
    400: problemDoc("The WebSocket subprotocol list does not offer veza.inbox.v1"),
    401: problemDoc("The access token sent is invalid, expired or revoked, or none was sent"),
    403: problemDoc("The account is banned"),
    426: problemDoc("Not a WebSocket upgrade"),
  },
});
