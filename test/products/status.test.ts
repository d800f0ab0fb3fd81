import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { draft, license, listed, patch, productRow, purchase } from "./fixtures";

describe("a product's status", () => {
  it("refuses publishing without an available licence, then publishes once one exists (published_at set once)", async () => {
    const ada = await signedInUser();
    const p = await draft(ada);
    const refused = await patch(ada, p.id, { status: "active" });
    expect(refused.status).toBe(409);
    expect((await productRow(p.id)).status).toBe("draft");
    // a withdrawn licence does not count
    const withdrawn = await license(ada, p.id);
    expect((await api("PATCH", `/v1/products/${p.id}/licenses/${withdrawn.id}`, { body: { is_active: false }, headers: ada.headers })).status).toBe(200);
    expect((await patch(ada, p.id, { status: "active" })).status).toBe(409);

    await license(ada, p.id);
    const active = await patch(ada, p.id, { status: "active" });
    expect(active.status, active.text).toBe(200);
    expect(active.body).toMatchObject({ status: "active", for_sale: true });
    const publishedAt = active.body.published_at;
    expect(publishedAt).not.toBeNull();
    expect((await patch(ada, p.id, { status: "inactive" })).body).toMatchObject({ status: "inactive", for_sale: false, published_at: publishedAt });
    expect((await patch(ada, p.id, { status: "active" })).body).toMatchObject({ status: "active", published_at: publishedAt });
  });

  it("publishes a free product without a licence, and keeps an active product sellable when its pricing changes", async () => {
    const ada = await signedInUser();
    const { product } = await listed(ada, { pricing_model: "free", price: undefined });
    expect(product).toMatchObject({ status: "active", for_sale: true, licenses: [] });
    expect((await patch(ada, product.id, { pricing_model: "fixed", price: "5.00" })).status).toBe(409);
    expect((await productRow(product.id)).pricing_model).toBe("free");
  });

  it("does not take a draft off sale, nor move back to draft, nor let the seller set suspended or sold_out", async () => {
    const ada = await signedInUser();
    const p = await draft(ada);
    expect((await patch(ada, p.id, { status: "inactive" })).status).toBe(409);
    for (const status of ["draft", "suspended", "sold_out"]) expect((await patch(ada, p.id, { status })).status, status).toBe(422);
  });

  it("keeps a sold-out product (an exclusive licence sold) off sale for good", async () => {
    const ada = await signedInUser();
    const buyer = await signedInUser();
    const { product, license: exclusive } = await listed(ada, {}, { is_exclusive: true, price: "500.00" });
    expect(exclusive).toMatchObject({ is_exclusive: true, distribution_limit: 1 });
    expect(product.licenses[0]).toMatchObject({ id: exclusive.id, remaining: 1, available: true });
    await purchase(buyer.id, product, exclusive.id);
    await sql.query("UPDATE products SET status = 'sold_out' WHERE id = $1", [product.id]);
    const page = (await api("GET", `/v1/products/${product.id}`)).body;
    expect(page).toMatchObject({ status: "sold_out", for_sale: false });
    expect(page.licenses[0]).toMatchObject({ sold_count: 1, remaining: 0, available: false });
    expect((await patch(ada, product.id, { status: "active" })).status).toBe(409);
    // off the shelf, then still not back on it: the exclusive buyer's rights stand
    expect((await patch(ada, product.id, { status: "inactive" })).status).toBe(200);
    await license(ada, product.id, { name: "Another lease" });
    expect((await patch(ada, product.id, { status: "active" })).status).toBe(409);
  });
});

describe("suspension", () => {
  it("is set and lifted by moderators only; the seller sees the reason and cannot clear it", async () => {
    const ada = await signedInUser();
    const mod = await signedInUser({ role: "moderator" });
    await sql.query("UPDATE users SET role = 'moderator' WHERE id = $1", [mod.id]);
    const { product } = await listed(ada);
    const suspend = (who: typeof ada, body: unknown = { reason: "Uses samples without clearance." }) =>
      api("PUT", `/v1/products/${product.id}/suspension`, { body, headers: who.headers });

    expect((await suspend(ada)).status).toBe(403);
    expect((await suspend(mod, { reason: "" })).status).toBe(422);
    const res = await suspend(mod);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: product.id, status: "suspended", suspension_reason: "Uses samples without clearance." });

    expect((await api("GET", `/v1/products/${product.id}`)).status).toBe(404);
    const own = await api("GET", `/v1/products/${product.id}`, { headers: ada.headers });
    expect(own.body).toMatchObject({ status: "suspended", for_sale: false, suspension_reason: "Uses samples without clearance." });
    expect((await patch(ada, product.id, { status: "active" })).status).toBe(403);
    expect((await patch(ada, product.id, { status: "inactive" })).status).toBe(403);
    expect((await patch(ada, product.id, { description: "Cleared now." })).status).toBe(200);
    expect((await productRow(product.id)).status).toBe("suspended");
    expect((await api("DELETE", `/v1/products/${product.id}/suspension`, { headers: ada.headers })).status).toBe(403);
    const [audit] = await sql.query("SELECT actor_id, user_id FROM audit_logs WHERE action = 'product.suspend' AND metadata->>'product_id' = $1", [product.id]);
    expect(audit).toEqual({ actor_id: mod.id, user_id: ada.id });

    const lifted = await api("DELETE", `/v1/products/${product.id}/suspension`, { headers: mod.headers });
    expect(lifted.body).toMatchObject({ status: "inactive", suspension_reason: null, suspended_at: null });
    expect((await api("DELETE", `/v1/products/${product.id}/suspension`, { headers: mod.headers })).status).toBe(409);
    expect((await patch(ada, product.id, { status: "active" })).status).toBe(200);
  });
});
