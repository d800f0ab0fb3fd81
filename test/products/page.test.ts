import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { draft, listed, makeFile, patch, productRow, purchase } from "./fixtures";

/** GET a product page through withRoundTrips (auth state warmed first). */
async function page(ref: string, who: SignedInUser | null) {
  if (who) expect((await api("GET", "/v1/me", { headers: who.headers })).status).toBe(200);
  const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test/v1/products/${ref}`, { headers: who?.headers ?? {} }));
  return { status: response.status, body: (await response.json()) as any, roundTrips };
}

describe("GET /v1/products/:idOrSlug", () => {
  it("answers the whole page in one round trip, by id or by slug, with the viewer's favorited and purchased", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const deliverable = await makeFile(ada.id, { mime: "application/zip" });
    const { product, license } = await listed(ada, { download_file_ids: [deliverable.id], description: "Eight drum loops." }, { usage_rights: { commercial: true } });

    const anonymous = await page(product.id, null);
    expect(anonymous.roundTrips).toBe(1);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({
      id: product.id,
      description: "Eight drum loops.",
      status: "active",
      for_sale: true,
      favorited: false,
      purchased: false,
      download_file_count: 1,
      favorite_count: 0,
      sale_count: 0,
      review_count: 0,
      average_rating: 0,
      seller: { id: ada.id, username: ada.username, display_name: null, avatar_url: null },
      licenses: [{ id: license.id, usage_rights: { commercial: true }, remaining: null, available: true }],
    });
    // the deliverables are for their seller and buyers: never in a page someone else reads
    expect(anonymous.body.download_file_ids).toBeUndefined();
    expect(anonymous.body.preview_file_id).toBeUndefined();
    expect(JSON.stringify(anonymous.body)).not.toContain(deliverable.id);

    expect((await api("PUT", `/v1/products/${product.id}/favorite`, { headers: bob.headers })).status).toBe(200);
    await purchase(bob.id, product, license.id);
    const bobs = await page(product.slug, bob);
    expect(bobs.roundTrips).toBe(1);
    expect(bobs.body).toMatchObject({ id: product.id, favorited: true, purchased: true, favorite_count: 1, sale_count: 1 });
    expect(bobs.body.licenses[0].sold_count).toBe(1);
    expect(JSON.stringify(bobs.body)).not.toContain(deliverable.id);
    const seller = await page(product.id, ada);
    expect(seller.roundTrips).toBe(1);
    expect(seller.body).toMatchObject({ favorited: false, purchased: false, download_file_ids: [deliverable.id] });

    expect((await page("no-such-product-anywhere", null)).status).toBe(404);
    expect((await page(crypto.randomUUID(), null)).status).toBe(404);
  });

  it("does not count a pending, cancelled or revoked order as purchased", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const { product, license } = await listed(ada);
    await purchase(bob.id, product, license.id, "pending");
    const cancelled = await purchase(bob.id, product, null, "paid");
    await sql.query("UPDATE orders SET status = 'refunded' WHERE id = $1", [cancelled.orderId]);
    const revoked = await purchase(bob.id, product, null, "completed");
    await sql.query("UPDATE order_items SET revoked_at = now() WHERE id = $1", [revoked.itemId]);
    expect((await api("GET", `/v1/products/${product.id}`, { headers: bob.headers })).body.purchased).toBe(false);
    await purchase(bob.id, product, null, "processing");
    expect((await api("GET", `/v1/products/${product.id}`, { headers: bob.headers })).body.purchased).toBe(true);
  });

  it("counts views of listed products by others, in the same round trip, not the seller's nor hidden ones", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const { product } = await listed(ada);
    const first = await page(product.id, bob);
    expect(first.body.view_count).toBe(1);
    expect((await page(product.slug, null)).body.view_count).toBe(2);
    expect((await page(product.id, ada)).body.view_count).toBe(2);
    expect((await productRow(product.id)).view_count).toBe(2);
    const hidden = await draft(ada);
    expect((await page(hidden.id, bob)).status).toBe(404);
    expect((await page(hidden.id, ada)).body.view_count).toBe(0);
    expect((await productRow(hidden.id)).view_count).toBe(0);
  });

  it("shows drafts, inactive and suspended products to their seller only; a buyer keeps a product that left the catalogue", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const carol = await signedInUser();
    const d = await draft(ada);
    expect((await api("GET", `/v1/products/${d.id}`, { headers: ada.headers })).body.status).toBe("draft");
    expect((await api("GET", `/v1/products/${d.id}`, { headers: bob.headers })).status).toBe(404);

    const { product, license } = await listed(ada);
    await purchase(bob.id, product, license.id);
    await patch(ada, product.id, { status: "inactive" });
    expect((await api("GET", `/v1/products/${product.id}`, { headers: bob.headers })).body).toMatchObject({ status: "inactive", purchased: true, for_sale: false });
    expect((await api("GET", `/v1/products/${product.id}`, { headers: carol.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/products/${product.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("GET", `/v1/products/${product.id}`, { headers: bob.headers })).body.purchased).toBe(true);
    expect((await api("GET", `/v1/products/${product.id}`, { headers: ada.headers })).status).toBe(404);
    await sql.query("UPDATE products SET deleted_at = NULL, status = 'suspended' WHERE id = $1", [product.id]);
    expect((await api("GET", `/v1/products/${product.id}`, { headers: bob.headers })).status).toBe(404);
  });
});
