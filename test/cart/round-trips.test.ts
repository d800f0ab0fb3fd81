import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { makeCode, makeProduct } from "../checkout/fixtures";

async function roundTrips(user: SignedInUser, method: string, path: string, body?: unknown) {
  expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  return { status: response.status, roundTrips };
}

describe("the cart's database round trips", () => {
  it("one per read and per write, two to apply a code", async () => {
    const [seller, buyer] = await Promise.all([signedInUser(), signedInUser()]);
    const beat = await makeProduct(seller.id, { price: "10.00" });
    const code = await makeCode(seller.id);
    expect(await roundTrips(buyer, "GET", "/v1/me/cart")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(buyer, "POST", "/v1/me/cart/items", { product_id: beat.id })).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(buyer, "PUT", "/v1/me/cart/discount", { code: code.code })).toEqual({ status: 200, roundTrips: 2 });
    expect(await roundTrips(buyer, "DELETE", "/v1/me/cart/discount")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(buyer, "DELETE", `/v1/me/cart/items/${beat.id}`)).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(buyer, "DELETE", "/v1/me/cart")).toEqual({ status: 204, roundTrips: 1 });

    const created = await roundTrips(seller, "POST", "/v1/me/discount-codes", {
      code: `RT${Date.now().toString(36)}`,
      discount_type: "fixed_amount",
      discount_value: "5.00",
      valid_from: new Date().toISOString(),
      valid_until: new Date(Date.now() + 86400_000).toISOString(),
    });
    expect(created).toEqual({ status: 201, roundTrips: 1 });
    expect(await roundTrips(seller, "GET", "/v1/me/discount-codes")).toEqual({ status: 200, roundTrips: 1 });
    expect(await roundTrips(seller, "PATCH", `/v1/me/discount-codes/${code.id}`, { is_active: false })).toEqual({ status: 200, roundTrips: 1 });
  });
});
