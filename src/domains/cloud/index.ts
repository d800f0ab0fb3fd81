import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { connectAccount, deleteAccount, getAccount, listAccounts, retestAccount, updateAccount } from "./accounts";
import { createJob, deleteJob, getJob, listJobs, runJobNow, updateJob } from "./jobs";
import { listOperations } from "./operations";
import * as r from "./routes";

/** Cloud storage (spec §13): WebDAV/Nextcloud accounts, backup jobs, sync operations. */
export const cloud = createRouter()
  .openapi(r.connectAccountRoute, async (c) => c.json(await connectAccount(c.var.db, c.env, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.listAccountsRoute, async (c) => c.json(await listAccounts(c.var.db, currentUser(c).userId), 200))
  .openapi(r.getAccountRoute, async (c) => c.json(await getAccount(c.var.db, currentUser(c).userId, c.req.valid("param").id), 200))
  .openapi(r.updateAccountRoute, async (c) =>
    c.json(await updateAccount(c.var.db, c.env, currentUser(c).userId, c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(r.testAccountRoute, async (c) => c.json(await retestAccount(c.var.db, c.env, currentUser(c).userId, c.req.valid("param").id), 200))
  .openapi(r.deleteAccountRoute, async (c) => {
    await deleteAccount(c.var.db, c.env, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(r.createJobRoute, async (c) => c.json(await createJob(c.var.db, currentUser(c).userId, c.req.valid("json")), 201))
  .openapi(r.listJobsRoute, async (c) => c.json(await listJobs(c.var.db, currentUser(c).userId), 200))
  .openapi(r.getJobRoute, async (c) => c.json(await getJob(c.var.db, currentUser(c).userId, c.req.valid("param").id), 200))
  .openapi(r.updateJobRoute, async (c) => c.json(await updateJob(c.var.db, currentUser(c).userId, c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(r.deleteJobRoute, async (c) => {
    await deleteJob(c.var.db, c.env, currentUser(c).userId, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(r.runJobRoute, async (c) => c.json(await runJobNow(c.var.db, c.env, currentUser(c).userId, c.req.valid("param").id), 202))
  .openapi(r.listOperationsRoute, async (c) =>
    c.json(await listOperations(c.var.db, currentUser(c).userId, c.req.valid("param").id, c.req.valid("query")), 200),
  );
