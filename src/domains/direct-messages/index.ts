import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { deliverLater } from "../inbox/inbox-object";
import { serveAttachment } from "./attachment";
import { deleteMessageForMe } from "./delete-message";
import { listConversations } from "./list-conversations";
import { listMessages } from "./list-messages";
import { deletedFrames, readFrames, sentFrames } from "./live";
import { markRead } from "./mark-read";
import { attachmentRoute, deleteMessageRoute, listConversationsRoute, listMessagesRoute, markReadRoute, sendMessageRoute } from "./routes";
import { sendMessage } from "./send-message";

/**
 * Direct messages (spec §8.5): 1-to-1, stored in Postgres (the record), pushed live through each
 * user's UserInbox. Blocks (src/domains/blocks) stop new messages, never the history.
 */
export const directMessages = createRouter()
  .openapi(sendMessageRoute, async (c) => {
    const sent = await sendMessage(c.var.db, currentUser(c).userId, c.req.valid("param").username, c.req.valid("json"));
    deliverLater(c, sentFrames(sent));
    return c.json(sent.message, 201);
  })
  .openapi(listConversationsRoute, async (c) => c.json(await listConversations(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(listMessagesRoute, async (c) => c.json(await listMessages(c.var.db, currentUser(c).userId, c.req.valid("param").username, c.req.valid("query")), 200))
  .openapi(markReadRoute, async (c) => {
    const { userId } = currentUser(c);
    const read = await markRead(c.var.db, userId, c.req.valid("param").username, c.req.valid("json").up_to_id);
    deliverLater(c, readFrames(userId, read));
    return c.json(read.receipt, 200);
  })
  .openapi(deleteMessageRoute, async (c) => {
    const { userId } = currentUser(c);
    const { id } = c.req.valid("param");
    await deleteMessageForMe(c.var.db, userId, id);
    deliverLater(c, deletedFrames(userId, id));
    return c.body(null, 204);
  })
  .openapi(attachmentRoute, async (c) => (await serveAttachment(c, currentUser(c).userId, c.req.valid("param").id)) as never);
