import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";

const stripe = useFakeStripe();

const accountsOf = (userId: string) => sql.query(`SELECT stripe_account_id, details_submitted, payouts_enabled FROM seller_accounts WHERE user_id = $1`, [userId]);
const accountCreations = (userId: string) => stripe.requests.filter((r) => r.path === "/v1/accounts" && r.params.get("metadata[userId]") === userId);

describe("POST /v1/me/seller/onboarding", () => {
  it("creates one Express account with an idempotency key and returns Stripe's onboarding link", async () => {
    const ada = await signedInUser();
    const res = await api("POST", "/v1/me/seller/onboarding", { headers: ada.headers });
    expect(res.status).toBe(200);

    const [created] = accountCreations(ada.id);
    expect(Object.fromEntries(created!.params)).toEqual({ type: "express", email: ada.email, "metadata[userId]": ada.id });
    expect(created!.headers.get("idempotency-key")).toBe(`connect-account-${ada.id}`);
    const rows = await accountsOf(ada.id);
    expect(rows).toEqual([{ stripe_account_id: expect.stringMatching(/^acct_/), details_submitted: false, payouts_enabled: false }]);
    const accountId = rows[0]!.stripe_account_id as string;

    const link = stripe.accountLinks.find((l) => l.account === accountId)!;
    expect(link).toMatchObject({
      type: "account_onboarding",
      refresh_url: `${env.APP_URL}/seller/onboarding?refresh=1`,
      return_url: `${env.APP_URL}/seller/onboarding?done=1`,
    });
    expect(res.body).toEqual({ url: link.url, expires_at: new Date(link.expires_at * 1000).toISOString() });
  });

  it("reuses the account on a second call, and two concurrent first calls make one account", async () => {
    const ada = await signedInUser();
    await api("POST", "/v1/me/seller/onboarding", { headers: ada.headers });
    const again = await api("POST", "/v1/me/seller/onboarding", { headers: ada.headers });
    expect(again.status).toBe(200);
    expect(accountCreations(ada.id)).toHaveLength(1);
    expect(await accountsOf(ada.id)).toHaveLength(1);

    const bob = await signedInUser();
    const both = await Promise.all([1, 2].map(() => api("POST", "/v1/me/seller/onboarding", { headers: bob.headers })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    // both asked Stripe with the same key, so Stripe answered the same account: one row, one account
    const keys = new Set(accountCreations(bob.id).map((r) => r.headers.get("idempotency-key")));
    expect(keys).toEqual(new Set([`connect-account-${bob.id}`]));
    const rows = await accountsOf(bob.id);
    expect(rows).toHaveLength(1);
    const linked = new Set(stripe.accountLinks.filter((l) => both.some((r) => r.body.url === l.url)).map((l) => l.account));
    expect(linked).toEqual(new Set([rows[0]!.stripe_account_id]));
  });

  it("answers 503 when Stripe fails (without its message), and a retry then succeeds with the same account", async () => {
    const ada = await signedInUser();
    const { HttpResponse } = await import("msw");
    stripe.failNext = { path: /^\/v1\/account_links$/, response: () => HttpResponse.json({ error: { type: "api_error", message: "down" } }, { status: 400 }) };
    const failed = await api("POST", "/v1/me/seller/onboarding", { headers: ada.headers });
    expect(failed.status).toBe(503);
    expect(failed.body.detail).not.toMatch(/down/);
    const retried = await api("POST", "/v1/me/seller/onboarding", { headers: ada.headers });
    expect(retried.status).toBe(200);
    expect(accountCreations(ada.id)).toHaveLength(1);
  });
});

describe("GET /v1/me/seller and POST /v1/me/seller/dashboard-link", () => {
  it("shows no account before onboarding, then the account's flags; the dashboard link needs submitted details", async () => {
    const ada = await signedInUser();
    const before = await api("GET", "/v1/me/seller", { headers: ada.headers });
    expect(before.body).toEqual({ account: null, balances: [] });
    expect((await api("POST", "/v1/me/seller/dashboard-link", { headers: ada.headers })).status).toBe(409);

    await api("POST", "/v1/me/seller/onboarding", { headers: ada.headers });
    const status = await api("GET", "/v1/me/seller", { headers: ada.headers });
    expect(status.body.account).toMatchObject({ details_submitted: false, charges_enabled: false, payouts_enabled: false, onboarded_at: null });
    const early = await api("POST", "/v1/me/seller/dashboard-link", { headers: ada.headers });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/onboarding/);

    const accountId = status.body.account.stripe_account_id as string;
    expect((await stripe.deliver(stripe.updateAccount(accountId, { details_submitted: true }))).status).toBe(200);
    const link = await api("POST", "/v1/me/seller/dashboard-link", { headers: ada.headers });
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(new RegExp(`^https://connect.stripe.com/express/${accountId}/`));
    expect(stripe.requests.some((r) => r.path === `/v1/accounts/${accountId}/login_links`)).toBe(true);
  });
});
