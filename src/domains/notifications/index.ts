import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { countUnread } from "./count-unread";
import { deleteNotification } from "./delete-notification";
import { listNotifications } from "./list-notifications";
import { markRead } from "./mark-read";
import { countUnreadRoute, deleteNotificationRoute, listNotificationsRoute, markReadRoute } from "./routes";

export { wantsNotification } from "./wants-notification";
export { deliverNotifications, notifiedJson, notifyInsert, toNotifications, type NotificationDraft, type NotificationFrame, type PushedNotification } from "./notify";

/** The user's notifications inbox: list, unread badge, mark read, delete. Others create the rows. */
export const notifications = createRouter()
  .openapi(listNotificationsRoute, async (c) => c.json(await listNotifications(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(countUnreadRoute, async (c) => c.json(await countUnread(c.var.db, currentUser(c).userId), 200))
  .openapi(markReadRoute, async (c) => c.json(await markRead(c.var.db, currentUser(c).userId, c.req.valid("json")?.ids), 200))
  .openapi(deleteNotificationRoute, async (c) => {
    await deleteNotification(c.var.db, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  });
