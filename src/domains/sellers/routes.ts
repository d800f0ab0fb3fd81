import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../lib/auth/middleware";
import { jsonDoc as json, problemDoc as problem } from "../../lib/problem";
import { rateLimit } from "../../lib/rate-limit";
import {
  CreatePayoutSchema,
  EarningsQuerySchema,
  EarningsSchema,
  LedgerQuerySchema,
  LedgerSchema,
  LinkSchema,
  PayoutListQuerySchema,
  PayoutListSchema,
  PayoutSchema,
  SellerStatusSchema,
} from "./schemas";
import { signedIn, jsonBody } from "../../lib/openapi";

const tags = ["Marketplace"];

const problems = {
  401: problem("The access token sent is invalid, expired or revoked (or none was sent where one is needed)"),
  403: problem("This account is banned"),
  409: problem("Not possible in your account's state: no seller account yet, onboarding unfinished, payouts not enabled"),
  422: problem("The request is not valid; `errors` lists each field"),
  429: problem("Too many of these in a minute: wait (Retry-After) and try again"),
  503: problem("Stripe is not configured on this server, or did not answer; retry later"),
} as const;
const auth = { 401: problems[401], 403: problems[403] };

export const onboardingRoute = createRoute({
  method: "post",
  path: "/v1/me/seller/onboarding",
  tags,
  summary: "Start (or resume) selling: my Stripe Connect onboarding link",
  description:
    "Creates your Stripe Connect Express account on the first call (a retry or a second call reuses it) and answers a fresh Stripe onboarding link; Stripe sends you back to the app afterwards, and its `account.updated` webhook records what you may do. One database round trip, two when the account is created.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "seller-onboarding")] as const,
  responses: { 200: json("Stripe's onboarding link", LinkSchema), ...auth, 429: problems[429], 503: problems[503] },
});

export const sellerStatusRoute = createRoute({
  method: "get",
  path: "/v1/me/seller",
  tags,
  summary: "My seller account and balance",
  description: "Your Connect account's state (details submitted, charges and payouts enabled) and your available balance per currency. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  responses: { 200: json("Your seller status", SellerStatusSchema), ...auth },
});

export const dashboardLinkRoute = createRoute({
  method: "post",
  path: "/v1/me/seller/dashboard-link",
  tags,
  summary: "A login link to my Stripe Express dashboard",
  description: "Once Stripe's onboarding details are submitted (409 before). One database round trip.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "seller-dashboard-link")] as const,
  responses: { 200: json("Stripe's login link", LinkSchema), ...auth, 409: problems[409], 429: problems[429], 503: problems[503] },
});

export const earningsRoute = createRoute({
  method: "get",
  path: "/v1/me/seller/earnings",
  tags,
  summary: "My earnings dashboard",
  description:
    "Over the UTC days `from`–`to` (default: the last 12 months) in one currency: gross sales, commission, refunds, net, paid out, items sold, per product and per month; and the available balance (all time). Nothing about buyers. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: EarningsQuerySchema },
  responses: { 200: json("Your figures", EarningsSchema), ...auth, 422: problems[422] },
});

export const ledgerRoute = createRoute({
  method: "get",
  path: "/v1/me/seller/transactions",
  tags,
  summary: "My ledger",
  description: "Your sale, commission and payout rows (signed amounts), newest first, by cursor; `type` keeps one kind. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: LedgerQuerySchema },
  responses: { 200: json("A page of your ledger", LedgerSchema), ...auth, 422: problems[422] },
});

export const createPayoutRoute = createRoute({
  method: "post",
  path: "/v1/me/seller/payouts",
  tags,
  summary: "Pay out my balance",
  description:
    "Transfers `amount` (default: all of it) of your available balance in `currency` (default USD) to your Stripe account; needs payouts enabled (409). More than the balance, or nothing to pay, is 422; concurrent requests can never take more than the balance. The answer's `status`: processing (transfer made; `completed` once Stripe confirms), failed (Stripe refused; the amount is available again), or pending (Stripe did not answer; its webhook settles it). Two database round trips.",
  security: signedIn,
  middleware: [requireAuth(), rateLimit("ACTIONS_LIMITER", "seller-payouts")] as const,
  request: { body: jsonBody(CreatePayoutSchema, false) },
  responses: { 201: json("The payout", PayoutSchema), ...auth, 409: problems[409], 422: problems[422], 429: problems[429], 503: problems[503] },
});

export const listPayoutsRoute = createRoute({
  method: "get",
  path: "/v1/me/seller/payouts",
  tags,
  summary: "My payouts",
  description: "Newest first, by cursor. One database round trip.",
  security: signedIn,
  middleware: [requireAuth()] as const,
  request: { query: PayoutListQuerySchema },
  responses: { 200: json("A page of your payouts", PayoutListSchema), ...auth, 422: problems[422] },
});
