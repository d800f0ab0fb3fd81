import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { draft, license, LICENSE, listed, purchase } from "./fixtures";

const path = (productId: string, licenseId?: string) => `/v1/products/${productId}/licenses${licenseId ? `/${licenseId}` : ""}`;

describe("licences", () => {
  it("creates licences with usage rights, limits and availability, cheapest first on the page", async () => {
    const ada = await signedInUser();
    const p = await draft(ada);
    const premium = await license(ada, p.id, { name: "Premium", price: "99.00", usage_rights: { streams: 1_000_000, commercial: true }, distribution_limit: 50 });
    expect(premium).toMatchObject({
      product_id: p.id,
      name: "Premium",
      price: "99.00",
      terms: LICENSE.terms,
      usage_rights: { streams: 1_000_000, commercial: true },
      is_exclusive: false,
      distribution_limit: 50,
      sold_count: 0,
      remaining: 50,
      is_active: true,
      available: false, // the product is a draft
    });
    const basic = await license(ada, p.id);
    expect(basic).toMatchObject({ distribution_limit: null, remaining: null });
    await api("PATCH", `/v1/products/${p.id}`, { body: { status: "active" }, headers: ada.headers });
    const page = (await api("GET", `/v1/products/${p.id}`)).body;
    expect(page.licenses.map((l: { id: string }) => l.id)).toEqual([basic.id, premium.id]);
    expect(page.licenses.every((l: { available: boolean }) => l.available)).toBe(true);
  });

  it("validates: terms required, exclusive means a limit of 1, usage rights an object", async () => {
    const ada = await signedInUser();
    const p = await draft(ada);
    const post = (body: Record<string, unknown>) => api("POST", path(p.id), { body: { ...LICENSE, ...body }, headers: ada.headers });
    const paths = async (body: Record<string, unknown>) => ((await post(body)).body.errors ?? []).map((e: { path: string }) => e.path);
    expect(await paths({ terms: undefined })).toEqual(["json.terms"]);
    expect(await paths({ terms: "   " })).toEqual(["json.terms"]);
    expect(await paths({ is_exclusive: true, distribution_limit: 5 })).toEqual(["json.distribution_limit"]);
    expect(await paths({ usage_rights: [1, 2] })).toEqual(["json.usage_rights"]);
    expect(await paths({ price: "-1" })).toEqual(["json.price"]);
    const exclusive = await post({ is_exclusive: true });
    expect(exclusive.body).toMatchObject({ is_exclusive: true, distribution_limit: 1 });
    // a PATCH that would break the CHECK is a field error too
    const res = await api("PATCH", path(p.id, exclusive.body.id), { body: { distribution_limit: 3 }, headers: ada.headers });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("json.distribution_limit");
  });

  it("edits anything while nothing is sold; once units are sold, freezes terms, rights, exclusivity and a higher limit", async () => {
    const ada = await signedInUser();
    const buyer = await signedInUser();
    const { product, license: lic } = await listed(ada, {}, { distribution_limit: 10, usage_rights: { streams: 1000 } });
    const edit = (body: Record<string, unknown>) => api("PATCH", path(product.id, lic.id), { body, headers: ada.headers });

    expect((await edit({ terms: "New terms.", usage_rights: { streams: 5000 } })).body).toMatchObject({ terms: "New terms.", usage_rights: { streams: 5000 } });
    await purchase(buyer.id, product, lic.id);
    expect((await api("GET", `/v1/products/${product.id}`)).body.licenses[0]).toMatchObject({ sold_count: 1, remaining: 9 });

    for (const body of [{ terms: "Rewritten." }, { usage_rights: { streams: 1 } }, { usage_rights: null }, { is_exclusive: true }, { distribution_limit: 11 }, { distribution_limit: null }]) {
      const res = await edit(body);
      expect(res.status, JSON.stringify(body)).toBe(409);
    }
    const [row] = await sql.query("SELECT terms, usage_rights, distribution_limit FROM product_licenses WHERE id = $1", [lic.id]);
    expect(row).toEqual({ terms: "New terms.", usage_rights: { streams: 5000 }, distribution_limit: 10 });

    // the same terms sent again are not a change; name, price and a lower limit still are editable
    const ok = await edit({ terms: "New terms.", name: "Lease v2", price: "35.00", distribution_limit: 5 });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ name: "Lease v2", price: "35.00", distribution_limit: 5, remaining: 4 });
    await purchase(buyer.id, product, lic.id);
    const below = await edit({ distribution_limit: 1 });
    expect(below.status).toBe(422);
    expect(below.body.errors[0].path).toBe("json.distribution_limit");
    expect((await edit({ distribution_limit: 2 })).body).toMatchObject({ distribution_limit: 2, remaining: 0, available: false });
  });

  it("withdraws and removes licences softly, but never the last one on sale of an active product", async () => {
    const ada = await signedInUser();
    const buyer = await signedInUser();
    const { product, license: first } = await listed(ada);
    expect((await api("PATCH", path(product.id, first.id), { body: { is_active: false }, headers: ada.headers })).status).toBe(409);
    expect((await api("DELETE", path(product.id, first.id), { headers: ada.headers })).status).toBe(409);

    const second = await license(ada, product.id, { name: "Second" });
    await purchase(buyer.id, product, first.id);
    expect((await api("DELETE", path(product.id, first.id), { headers: ada.headers })).status).toBe(204);
    const [row] = await sql.query("SELECT deleted_at IS NOT NULL AS deleted, is_active FROM product_licenses WHERE id = $1", [first.id]);
    expect(row).toEqual({ deleted: true, is_active: false });
    const [item] = await sql.query("SELECT license_id FROM order_items WHERE license_id = $1", [first.id]);
    expect(item!.license_id).toBe(first.id);
    expect((await api("GET", `/v1/products/${product.id}`)).body.licenses.map((l: { id: string }) => l.id)).toEqual([second.id]);
    expect((await api("PATCH", path(product.id, first.id), { body: { name: "x" }, headers: ada.headers })).status).toBe(404);

    // withdrawn licences are shown to the seller only
    await api("PATCH", `/v1/products/${product.id}`, { body: { status: "inactive" }, headers: ada.headers });
    expect((await api("PATCH", path(product.id, second.id), { body: { is_active: false }, headers: ada.headers })).status).toBe(200);
    const own = (await api("GET", `/v1/products/${product.id}`, { headers: ada.headers })).body;
    expect(own.licenses).toMatchObject([{ id: second.id, is_active: false, available: false }]);
  });

  it("answers 404 for a licence of another product", async () => {
    const ada = await signedInUser();
    const a = await draft(ada);
    const b = await draft(ada);
    const lic = await license(ada, a.id);
    expect((await api("PATCH", path(b.id, lic.id), { body: { name: "x" }, headers: ada.headers })).status).toBe(404);
    expect((await api("DELETE", path(b.id, lic.id), { headers: ada.headers })).status).toBe(404);
  });
});
