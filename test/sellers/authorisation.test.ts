import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly } from "../helpers/authorisation";
import { sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { connectedAccount, makeProduct, paidSale } from "./fixtures";

const stripe = useFakeStripe();

const ROUTES: Array<[string, string, object?]> = [
  ["POST", "/v1/me/seller/onboarding"],
  ["GET", "/v1/me/seller"],
  ["POST", "/v1/me/seller/dashboard-link"],
  ["GET", "/v1/me/seller/earnings"],
  ["GET", "/v1/me/seller/transactions"],
  ["POST", "/v1/me/seller/payouts", { amount: "1.00" }],
  ["GET", "/v1/me/seller/payouts"],
];

describe("who may use the seller routes", () => {
  it("refuses anonymous (401), banned (403) and deleted (401) callers, and a banned seller cannot pay out", async () => {
    const before = stripe.requests.length;
    const { banned } = await expectSignedInOnly(ROUTES);
    expect(stripe.requests.length).toBe(before);
    expect(await sql.query(`SELECT 1 FROM seller_accounts WHERE user_id = $1`, [banned.id])).toHaveLength(0);
  });

  it("answers only about my own account: another user sees none of a seller's account, money or payouts", async () => {
    const seller = await signedInUser();
    const buyer = await signedInUser();
    await connectedAccount(stripe, seller.id);
    await paidSale({ buyerId: buyer.id, product: await makeProduct(seller.id) });
    expect((await api("POST", "/v1/me/seller/payouts", { headers: seller.headers, body: { amount: "5.00" } })).status).toBe(201);

    const other = await signedInUser();
    expect((await api("GET", "/v1/me/seller", { headers: other.headers })).body).toEqual({ account: null, balances: [] });
    expect((await api("GET", "/v1/me/seller/earnings", { headers: other.headers })).body).toMatchObject({ gross_sales: "0.00", available_balance: "0.00", products: [] });
    expect((await api("GET", "/v1/me/seller/payouts", { headers: other.headers })).body.items).toEqual([]);
    expect((await api("GET", "/v1/me/seller/transactions", { headers: other.headers })).body.items).toEqual([]);
    expect((await api("POST", "/v1/me/seller/payouts", { headers: other.headers })).status).toBe(409);
    expect((await api("POST", "/v1/me/seller/dashboard-link", { headers: other.headers })).status).toBe(409);
    // the buyer sees only their side: no sale rows, no balance
    expect((await api("GET", "/v1/me/seller", { headers: buyer.headers })).body.balances).toEqual([]);
    // the seller's money is untouched
    expect((await api("GET", "/v1/me/seller", { headers: seller.headers })).body.balances).toEqual([{ currency: "USD", available: "13.00" }]);
  });
});
