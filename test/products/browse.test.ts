import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql, uniq } from "../helpers/db";
import { banUser, block, draft, listed, softDeleteUser } from "./fixtures";

type Item = { id: string; price: string; sale_count: number; published_at: string };

/** Every page of a browse (path with its query), `limit` at a time, following next_cursor. */
async function walk(path: string, limit: number, who?: SignedInUser): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const res = await api("GET", `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { headers: who?.headers });
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.next_cursor;
    if (!cursor) return items;
  }
  throw new Error("too many pages");
}

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);
const byTag = (tag: string, query = "") => `/v1/products?tags=${tag}${query}`;

describe("GET /v1/products: filters", () => {
  it("filters by category, tags (all of them), price range, genre, bpm range and key", async () => {
    const ada = await signedInUser();
    const tag = `t${uniq()}`;
    const make = async (body: Record<string, unknown>) => (await listed(ada, { tags: [tag], ...body })).product.id as string;
    const beat = await make({ category: "beat", price: "30.00", genre: "Trap", bpm: 140, musical_key: "Am", tags: [tag, "dark"] });
    const sample = await make({ category: "sample", price: "5.00", genre: "House", bpm: 124, musical_key: "C" });
    const preset = await make({ category: "preset", price: "15.00", genre: "trap", bpm: 90, musical_key: "Am" });
    const untagged = (await listed(ada, { category: "beat" })).product.id;

    const get = async (query: string) => ids((await api("GET", byTag(tag, query))).body.items).sort();
    const sorted = (...xs: string[]) => [...xs].sort();
    expect(await get("")).toEqual(sorted(beat, sample, preset));
    expect(await get("&category=beat")).toEqual([beat]);
    expect(await get(",dark")).toEqual([beat]);
    expect(await get("&priceMin=10&priceMax=30")).toEqual(sorted(beat, preset));
    expect(await get("&priceMax=15.00")).toEqual(sorted(sample, preset));
    expect(await get("&genre=TRAP")).toEqual(sorted(beat, preset));
    expect(await get("&bpmMin=100&bpmMax=130")).toEqual([sample]);
    expect(await get("&bpmMin=120")).toEqual(sorted(beat, sample));
    expect(await get("&key=Am")).toEqual(sorted(beat, preset));
    expect(await get("&category=beat&genre=house")).toEqual([]);
    expect((await api("GET", "/v1/products?category=beat&limit=100")).body.items.length).toBeGreaterThan(0);
    expect(ids((await api("GET", byTag(tag))).body.items)).not.toContain(untagged);
  });

  it("refuses bad filters with 422: a range upside down, an unknown category or sort, a foreign cursor", async () => {
    for (const query of ["priceMin=10&priceMax=5", "bpmMin=150&bpmMax=100", "category=cars", "sort=random", "priceMin=abc", "bpmMin=5", "cursor=nonsense"]) {
      expect((await api("GET", `/v1/products?${query}`)).status, query).toBe(422);
    }
    const ada = await signedInUser();
    const tag = `t${uniq()}`;
    await listed(ada, { tags: [tag] });
    await listed(ada, { tags: [tag] });
    const first = await api("GET", byTag(tag, "&limit=1&sort=price_asc"));
    expect(first.body.next_cursor).not.toBeNull();
    expect((await api("GET", byTag(tag, `&limit=1&sort=newest&cursor=${first.body.next_cursor}`))).status).toBe(422);
  });
});

describe("GET /v1/products: sorts and pages", () => {
  it("pages through each sort order without duplicates or gaps, ties broken by id", async () => {
    const ada = await signedInUser();
    const tag = `t${uniq()}`;
    const spec = [
      { price: "10.00", sales: 3 },
      { price: "20.00", sales: 3 },
      { price: "20.00", sales: 9 },
      { price: "5.00", sales: 0 },
      { price: "40.00", sales: 1 },
      { price: "20.00", sales: 0 },
      { price: "7.50", sales: 5 },
    ];
    const made: Array<{ id: string; price: number; sales: number; at: string }> = [];
    for (const [i, s] of spec.entries()) {
      const { product } = await listed(ada, { tags: [tag], price: s.price });
      const at = new Date(Date.UTC(2026, 0, 1 + (i % 3))).toISOString(); // equal publication times too
      await sql.query("UPDATE products SET sale_count = $2, published_at = $3 WHERE id = $1", [product.id, s.sales, at]);
      made.push({ id: product.id, price: Number(s.price), sales: s.sales, at });
    }
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const expected = {
      newest: [...made].sort((a, b) => b.at.localeCompare(a.at) || -byId(a, b)),
      popular: [...made].sort((a, b) => b.sales - a.sales || -byId(a, b)),
      price_asc: [...made].sort((a, b) => a.price - b.price || byId(a, b)),
      price_desc: [...made].sort((a, b) => b.price - a.price || -byId(a, b)),
    };
    for (const [sort, order] of Object.entries(expected)) {
      for (const limit of [1, 2, 3, 7]) {
        expect(ids(await walk(byTag(tag, `&sort=${sort}`), limit)), `${sort} by ${limit}`).toEqual(ids(order));
      }
    }
    const newest = (await api("GET", byTag(tag))).body.items;
    expect(ids(newest)).toEqual(ids(expected.newest));
  });
});

describe("what the catalogue lists", () => {
  it("lists active and sold-out products only: not drafts, inactive, suspended or deleted ones, nor those of banned or deleted sellers", async () => {
    const tag = `t${uniq()}`;
    const ada = await signedInUser();
    const active = (await listed(ada, { tags: [tag] })).product.id;
    const soldOut = (await listed(ada, { tags: [tag] })).product.id;
    await sql.query("UPDATE products SET status = 'sold_out' WHERE id = $1", [soldOut]);
    await draft(ada, { tags: [tag] });
    const inactive = (await listed(ada, { tags: [tag] })).product.id;
    await sql.query("UPDATE products SET status = 'inactive' WHERE id = $1", [inactive]);
    const suspended = (await listed(ada, { tags: [tag] })).product.id;
    await sql.query("UPDATE products SET status = 'suspended' WHERE id = $1", [suspended]);
    const deleted = (await listed(ada, { tags: [tag] })).product.id;
    await api("DELETE", `/v1/products/${deleted}`, { headers: ada.headers });
    const banned = await signedInUser();
    const banneds = (await listed(banned, { tags: [tag] })).product.id;
    await banUser(banned.id);
    const gone = await signedInUser();
    const gones = (await listed(gone, { tags: [tag] })).product.id;
    await softDeleteUser(gone.id);

    const items = (await api("GET", byTag(tag))).body.items;
    expect(ids(items).sort()).toEqual([active, soldOut].sort());
    expect(items.find((p: { id: string }) => p.id === soldOut)).toMatchObject({ status: "sold_out", for_sale: false });
    for (const hidden of [suspended, deleted, banneds, gones]) expect((await api("GET", `/v1/products/${hidden}`)).status).toBe(404);
    // the summary never carries the deliverables
    expect(JSON.stringify(items)).not.toContain("download_file");
  });

  it("hides the products of someone blocked either way from the viewer only", async () => {
    const tag = `t${uniq()}`;
    const ada = await signedInUser();
    const eve = await signedInUser();
    const zed = await signedInUser();
    const p = (await listed(ada, { tags: [tag] })).product.id;
    await block(eve, ada); // eve blocked ada
    await block(ada, zed); // ada blocked zed
    expect(ids((await api("GET", byTag(tag), { headers: eve.headers })).body.items)).toEqual([]);
    expect(ids((await api("GET", byTag(tag), { headers: zed.headers })).body.items)).toEqual([]);
    expect(ids((await api("GET", byTag(tag))).body.items)).toEqual([p]);
    expect((await api("GET", `/v1/products/${p}`, { headers: eve.headers })).status).toBe(404);
    expect((await api("GET", `/v1/users/${ada.username}/products`, { headers: zed.headers })).status).toBe(404);
  });
});

describe("GET /v1/users/:username/products", () => {
  it("is a seller's storefront with the catalogue's filters and sorts; 404 for a banned or unknown seller", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const cheap = (await listed(ada, { price: "3.00", category: "preset" })).product.id;
    const dear = (await listed(ada, { price: "90.00" })).product.id;
    await draft(ada);
    await listed(bob);
    const store = await api("GET", `/v1/users/${ada.username.toUpperCase()}/products?sort=price_desc`);
    expect(store.status, store.text).toBe(200);
    expect(ids(store.body.items)).toEqual([dear, cheap]);
    expect(ids((await api("GET", `/v1/users/${ada.username}/products?category=preset`)).body.items)).toEqual([cheap]);
    expect(ids(await walk(`/v1/users/${ada.username}/products?sort=price_asc`, 1))).toEqual([cheap, dear]);
    const empty = await signedInUser();
    expect((await api("GET", `/v1/users/${empty.username}/products`)).body).toEqual({ items: [], next_cursor: null });
    expect((await api("GET", `/v1/users/nobody_${uniq().slice(0, 10)}/products`)).status).toBe(404);
    await banUser(ada.id);
    expect((await api("GET", `/v1/users/${ada.username}/products`)).status).toBe(404);
  });
});
