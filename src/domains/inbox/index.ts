import { createRouter } from "../../lib/router";
import { openInboxSocket } from "./open-socket";
import { inboxSocketRoute } from "./routes";

/** The user's live inbox (durable-objects/user-inbox.ts): one WebSocket per device. */
export const inbox = createRouter().openapi(inboxSocketRoute, async (c) => (await openInboxSocket(c)) as never);
