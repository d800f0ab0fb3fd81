import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly } from "../helpers/authorisation";
import { MISSING, sql } from "../helpers/db";
import { useFakeStripe } from "../helpers/stripe";
import { banUser, makeFile, ramp } from "../tracks/fixtures";
import { addToCart, checkout, deliverCapturing, makeLicense, makeProduct, order } from "../checkout/fixtures";

const stripe = useFakeStripe();

/** A buyer's paid order of one product with two files, and the buyer's pending second order. */
async function bought() {
  const [seller, buyer, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
  const files = [
    await makeFile(seller.id, { originalFilename: "Kit – Drums.zip", mime: "application/zip", bytes: ramp(1200) }),
    await makeFile(seller.id, { originalFilename: "readme.txt", mime: "text/plain", bytes: ramp(10) }),
  ];
  const beat = await makeProduct(seller.id, { downloadFileIds: files.map((f) => f.id) });
  const lease = await makeLicense(beat.id, { price: "30.00" });
  await addToCart(buyer, beat.id, { license_id: lease.id });
  const placed = (await checkout(buyer)).body.order;
  await deliverCapturing(stripe.completeSession((await order(placed.id)).stripe_checkout_session_id as string));
  const item = (await sql.query(`SELECT id FROM order_items WHERE order_id = $1`, [placed.id]))[0]!.id as string;
  const later = await makeProduct(seller.id, { price: "5.00" });
  await addToCart(buyer, later.id);
  const pending = (await checkout(buyer)).body.order;
  return { seller, buyer, other, files, beat, lease, placed, item, pending };
}

describe("my orders", () => {
  it("lists mine newest first (keyset) and shows one by id or number to its buyer only", async () => {
    const { buyer, other, placed, pending } = await bought();
    const first = await api("GET", "/v1/me/orders?limit=1", { headers: buyer.headers });
    expect(first.status).toBe(200);
    expect(first.body.items.map((o: any) => o.id)).toEqual([pending.id]);
    expect(first.body.items[0].checkout_url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const second = await api("GET", `/v1/me/orders?limit=1&cursor=${first.body.next_cursor}`, { headers: buyer.headers });
    expect(second.body.items.map((o: any) => o.id)).toEqual([placed.id]);
    expect(second.body.next_cursor).toBeNull();
    expect((await api("GET", "/v1/me/orders?cursor=bogus", { headers: buyer.headers })).status).toBe(422);

    const byNumber = await api("GET", `/v1/me/orders/${placed.order_number}`, { headers: buyer.headers });
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.id).toBe(placed.id);
    expect(byNumber.body.items[0].license_key).toMatch(/^VEZA-/);
    expect((await api("GET", `/v1/me/orders/${placed.id}`, { headers: buyer.headers })).body.order_number).toBe(placed.order_number);
    for (const ref of [placed.id, placed.order_number]) expect((await api("GET", `/v1/me/orders/${ref}`, { headers: other.headers })).status).toBe(404);
    expect((await api("GET", "/v1/me/orders", { headers: other.headers })).body.items).toEqual([]);
    expect((await api("GET", "/v1/me/orders/not-an-order", { headers: buyer.headers })).status).toBe(422);
  });

  it("shows my library with licence keys and files, and my sales to the seller with the buyer's username only", async () => {
    const { seller, buyer, other, files, beat, lease, item } = await bought();
    const library = await api("GET", "/v1/me/purchases", { headers: buyer.headers });
    expect(library.status).toBe(200);
    expect(library.body.items).toHaveLength(1); // the pending order is not in it
    expect(library.body.items[0]).toMatchObject({
      order_item_id: item,
      product: { id: beat.id, name: beat.name, slug: beat.slug },
      license: { id: lease.id, name: lease.name },
      price: "30.00",
      currency: "USD",
      downloadable: true,
      download_count: 0,
    });
    expect(library.body.items[0].files.map((f: any) => f.id).sort()).toEqual(files.map((f) => f.id).sort());
    expect((await api("GET", "/v1/me/purchases", { headers: other.headers })).body.items).toEqual([]);

    const sales = await api("GET", "/v1/me/sales", { headers: seller.headers });
    expect(sales.status).toBe(200);
    expect(sales.body.items).toHaveLength(1);
    expect(sales.body.items[0]).toMatchObject({ order_item_id: item, status: "paid", price: "30.00", buyer: { username: buyer.username }, revoked: false });
    expect(sales.text).not.toContain(buyer.email);
    expect(sales.text).not.toContain(buyer.id);
    expect((await api("GET", "/v1/me/sales", { headers: buyer.headers })).body.items).toEqual([]);
  });
});

describe("downloads", () => {
  const fetchFile = (url: string, headers: Record<string, string> = {}) => exports.default.fetch(`https://veza.test${url}`, { headers });

  it("gives the buyer alone signed links; a forged, foreign or unsigned link is refused", async () => {
    const { buyer, other, files, item, seller } = await bought();
    const body = { file_id: files[0]!.id };
    expect((await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: other.headers, body })).status).toBe(404);
    expect((await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: seller.headers, body })).status).toBe(404);
    expect((await api("POST", `/v1/me/purchases/${MISSING}/downloads`, { headers: buyer.headers, body })).status).toBe(404);
    const unrelated = await makeFile(seller.id);
    expect((await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: buyer.headers, body: { file_id: unrelated.id } })).status).toBe(404);

    const link = (await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: buyer.headers, body })).body;
    expect(Date.parse(link.expires_at)).toBeGreaterThan(Date.now());
    const ok = await fetchFile(link.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-disposition")).toBe(`attachment; filename="Kit _ Drums.zip"; filename*=UTF-8''Kit%20%E2%80%93%20Drums.zip`);
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(ramp(1200));

    const [path, query] = link.url.split("?");
    expect((await fetchFile(path)).status).toBe(403);
    const forged = query.replace(/sig=(.)/, (_: string, first: string) => `sig=${first === "A" ? "B" : "A"}`);
    expect((await fetchFile(`${path}?${forged}`)).status).toBe(403);
    // The signature of one file does not open another of the same purchase.
    expect((await fetchFile(`/v1/downloads/${item}/${files[1]!.id}?${query}`)).status).toBe(403);
    const [, pastExp] = /exp=(\d+)/.exec(query)!;
    expect((await fetchFile(`${path}?${query.replace(`exp=${pastExp}`, "exp=1000")}`)).status).toBe(403);
  });

  it("stops when the seller is banned, and counts a download per request from the first byte", async () => {
    const { buyer, files, item, seller } = await bought();
    const link = (await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: buyer.headers, body: { file_id: files[1]!.id } })).body;
    await fetchFile(link.url);
    await fetchFile(link.url, { range: "bytes=0-3" });
    await fetchFile(link.url, { range: "bytes=4-" });
    expect(Number((await sql.query(`SELECT download_count FROM order_items WHERE id = $1`, [item]))[0]!.download_count)).toBe(2);
    await banUser(seller.id);
    expect((await fetchFile(link.url)).status).toBe(403);
    const library = await api("GET", "/v1/me/purchases", { headers: buyer.headers });
    expect(library.body.items[0].downloadable).toBe(false);
  });

  it("refuses links for an unpaid order", async () => {
    const { buyer, pending } = await bought();
    const item = (await sql.query(`SELECT id FROM order_items WHERE order_id = $1`, [pending.id]))[0]!.id as string;
    expect((await api("POST", `/v1/me/purchases/${item}/downloads`, { headers: buyer.headers, body: { file_id: MISSING } })).status).toBe(409);
  });
});

describe("authorisation of the orders' routes", () => {
  it("refuses anonymous, banned and deleted callers everywhere", async () => {
    await expectSignedInOnly([
      ["POST", "/v1/me/checkout", {}],
      ["GET", "/v1/me/orders"],
      ["GET", `/v1/me/orders/${MISSING}`],
      ["POST", `/v1/me/orders/${MISSING}/cancel`],
      ["GET", "/v1/me/purchases"],
      ["GET", "/v1/me/sales"],
      ["POST", `/v1/me/purchases/${MISSING}/downloads`, { file_id: MISSING }],
    ]);
  });
});
