import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { serveAttachment } from "./attachment";
import { listMessages } from "./list-messages";
import { openRoomSocket } from "./open-socket";
import { postMessage } from "./post-message";
import { attachmentRoute, listMessagesRoute, postMessageRoute, roomSocketRoute, searchMessagesRoute } from "./routes";
import { searchMessages } from "./search-messages";

/**
 * Chat in rooms (spec §8, DESIGN §4): the live socket, history, search, sending over REST and
 * attachments. Rooms and their members are the rooms domain; the room's live state is its
 * ChatRoom Durable Object (durable-objects/chat-room.ts).
 */
export const chat = createRouter()
  .openapi(roomSocketRoute, async (c) => (await openRoomSocket(c, c.req.valid("param").id, c.req.valid("query").since)) as never)
  .openapi(listMessagesRoute, async (c) => {
    const { before_seq, limit } = c.req.valid("query");
    return c.json(await listMessages(c.env, c.var.db, c.req.valid("param").id, c.get("auth")?.userId ?? null, before_seq ?? null, limit), 200);
  })
  .openapi(searchMessagesRoute, async (c) => {
    const { q, before_seq, limit } = c.req.valid("query");
    return c.json(await searchMessages(c.var.db, c.req.valid("param").id, c.get("auth")?.userId ?? null, q, before_seq ?? null, limit), 200);
  })
  .openapi(postMessageRoute, async (c) => c.json(await postMessage(c.env, c.var.db, c.req.valid("param").id, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(attachmentRoute, async (c) => (await serveAttachment(c, c.req.valid("param").id, c.req.valid("param").fileId)) as never);
