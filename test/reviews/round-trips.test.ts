import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { withRoundTrips } from "../helpers/round-trips";
import { makeProduct, paidSale } from "../sellers/fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200);
  const headers: Record<string, string> = { ...user?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  return { status: response.status, roundTrips };
}

describe("reviews' database round trips", () => {
  it("every read and write is one round trip", async () => {
    const seller = await signedInUser();
    const buyer = await signedInUser();
    const product = await makeProduct(seller.id);
    const sale = await paidSale({ buyerId: buyer.id, product });
    const one = (status: number) => ({ status, roundTrips: 1 });

    expect(await roundTrips(seller, "POST", `/v1/products/${product.id}/reviews`, { order_item_id: sale.orderItemId, rating: 5 })).toEqual(one(403));
    expect((await api("GET", "/v1/me", { headers: buyer.headers })).status).toBe(200);
    const created = await withRoundTrips(
      new Request(`https://veza.test/v1/products/${product.id}/reviews`, {
        method: "POST",
        headers: { ...buyer.headers, "content-type": "application/json" },
        body: JSON.stringify({ order_item_id: sale.orderItemId, rating: 5, content: "Great sounds in here." }),
      }),
    );
    expect({ status: created.response.status, roundTrips: created.roundTrips }).toEqual(one(201));
    const id = ((await created.response.json()) as { id: string }).id;
    expect(await roundTrips(buyer, "PATCH", `/v1/reviews/${id}`, { rating: 4 })).toEqual(one(200));
    expect(await roundTrips(seller, "PUT", `/v1/reviews/${id}/response`, { content: "Thank you!" })).toEqual(one(200));
    expect(await roundTrips(null, "GET", `/v1/products/${product.id}/reviews`)).toEqual(one(200));
    expect(await roundTrips(buyer, "GET", `/v1/products/${product.id}/reviews?rating=4`)).toEqual(one(200));
    expect(await roundTrips(buyer, "DELETE", `/v1/reviews/${id}`)).toEqual(one(204));
  });
});
