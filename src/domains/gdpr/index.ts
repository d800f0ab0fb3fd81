import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { auditOriginOf } from "../../lib/audit";
import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { updateConsents } from "./consents";
import { deleteAccount } from "./delete-account";
import { openExport } from "./export-download";
import { requestExport } from "./export-request";
import { exportStatus } from "./export-status";
import { deleteExports } from "./export-storage";
import { deleteMe, getExport, getExportStatus, patchConsents, postExport } from "./routes";
import { forgetQueue } from "../queue/queue-object";
import { forgetInbox } from "../inbox/inbox-object";

/** Who asked, from where, for the GDPR audit rows (their user agent is kept to 512 characters). */
const requestOrigin = (c: Context<AppEnv>) => auditOriginOf(c);

/** GDPR rights (spec §19): consents, export (Art. 20), erasure (Art. 17). */
export const gdpr = createRouter()
  .openapi(patchConsents, async (c) => {
    const consents = await updateConsents(c.var.db, currentUser(c).userId, c.req.valid("json"), requestOrigin(c));
    return c.json(consents, 200);
  })
  .openapi(postExport, async (c) => {
    const requested = await requestExport(c.var.db, c.env, currentUser(c).userId, requestOrigin(c));
    return c.json(requested, 202);
  })
  .openapi(getExportStatus, async (c) => {
    c.header("cache-control", "private, no-store");
    return c.json(await exportStatus(c.var.db, c.env.MEDIA, c.env.APP_URL, c.env.JWT_SECRET, currentUser(c).userId), 200);
  })
  .openapi(getExport, async (c) => {
    const archive = await openExport(c.var.db, c.env.MEDIA, c.env.JWT_SECRET, {
      exportId: c.req.valid("param").id,
      token: c.req.valid("query").token,
      sessionUserId: c.get("auth")?.userId,
      origin: requestOrigin(c),
    });
    // A stream, not c.json(): the archive goes from R2 to the client without passing through
    // memory. The route documents its JSON shape; the typed helpers only know parsed bodies.
    const response = new Response(archive.body, {
      status: 200,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-length": String(archive.size),
        "content-disposition": `attachment; filename="${archive.filename}"`,
        "cache-control": "private, no-store",
        "referrer-policy": "no-referrer",
      },
    });
    return response as never;
  })
  .openapi(deleteMe, async (c) => {
    const { userId } = currentUser(c);
    const { hadExports } = await deleteAccount(c, userId, c.req.valid("json").password, requestOrigin(c));
    if (hadExports) {
      // The archives go with the account, before the answer. Should storage fail, the deletion
      // stands and the anonymisation job removes them with the rest.
      await deleteExports(c.env.MEDIA, userId).catch((err) => c.var.log.warn("gdpr: export cleanup failed", { error: String(err) }));
    }
    // The live queue forgets the account too: its sockets close now, its storage is wiped (the
    // Postgres copy goes with the rest of the account's data).
    await forgetQueue(c.env, userId).catch((err) => c.var.log.warn("gdpr: queue cleanup failed", { error: String(err) }));
    // And its inbox: every open device socket is closed (4003).
    await forgetInbox(c.env, userId).catch((err) => c.var.log.warn("gdpr: inbox cleanup failed", { error: String(err) }));
    return c.body(null, 204);
  });
