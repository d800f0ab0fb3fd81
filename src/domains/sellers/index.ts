import { currentUser } from "../../lib/auth/middleware";
import { createRouter } from "../../lib/router";
import { createPayout } from "./create-payout";
import { sellerEarnings } from "./earnings";
import { listLedger } from "./ledger";
import { listPayouts } from "./list-payouts";
import { dashboardLink, startOnboarding } from "./onboarding";
import * as r from "./routes";
import { sellerStatus } from "./seller-status";

/** Sellers (spec §10.9, §10.12): Stripe Connect onboarding, earnings, the ledger and payouts. */
export const sellers = createRouter()
  .openapi(r.onboardingRoute, async (c) => c.json(await startOnboarding(c.var.db, c.env, currentUser(c).userId), 200))
  .openapi(r.sellerStatusRoute, async (c) => c.json(await sellerStatus(c.var.db, currentUser(c).userId), 200))
  .openapi(r.dashboardLinkRoute, async (c) => c.json(await dashboardLink(c.var.db, c.env, currentUser(c).userId), 200))
  .openapi(r.earningsRoute, async (c) => c.json(await sellerEarnings(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.ledgerRoute, async (c) => c.json(await listLedger(c.var.db, currentUser(c).userId, c.req.valid("query")), 200))
  .openapi(r.createPayoutRoute, async (c) => {
    const input = c.req.header("content-type")?.includes("json") ? c.req.valid("json") : {};
    return c.json(await createPayout(c.var.db, c.env, c.var.log, currentUser(c).userId, input ?? {}), 201);
  })
  .openapi(r.listPayoutsRoute, async (c) => c.json(await listPayouts(c.var.db, currentUser(c).userId, c.req.valid("query")), 200));
