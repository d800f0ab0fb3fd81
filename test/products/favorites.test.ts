import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { block, draft, listed, productRow } from "./fixtures";

const fav = (method: "PUT" | "DELETE", id: string, headers: Record<string, string>) => api(method, `/v1/products/${id}/favorite`, { headers });

describe("favourites", () => {
  it("PUT and DELETE are idempotent and favorite_count follows (by trigger)", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const carol = await signedInUser();
    const { product } = await listed(ada);
    expect((await fav("PUT", product.id, bob.headers)).body).toEqual({ favorited: true, favorite_count: 1 });
    expect((await fav("PUT", product.id, bob.headers)).body).toEqual({ favorited: true, favorite_count: 1 });
    expect((await fav("PUT", product.id, carol.headers)).body).toEqual({ favorited: true, favorite_count: 2 });
    expect((await productRow(product.id)).favorite_count).toBe(2);
    expect((await fav("DELETE", product.id, bob.headers)).body).toEqual({ favorited: false, favorite_count: 1 });
    expect((await fav("DELETE", product.id, bob.headers)).body).toEqual({ favorited: false, favorite_count: 1 });
    expect((await productRow(product.id)).favorite_count).toBe(1);
    const { n } = (await sql.query("SELECT count(*)::int AS n FROM product_favorites WHERE product_id = $1", [product.id]))[0] as { n: number };
    expect(n).toBe(1);
  });

  it("404s on products hidden from me, but lets me drop a favourite whose product was hidden since", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const d = await draft(ada);
    expect((await fav("PUT", d.id, bob.headers)).status).toBe(404);
    expect((await fav("DELETE", d.id, bob.headers)).status).toBe(404);
    const { product } = await listed(ada);
    await fav("PUT", product.id, bob.headers);
    await block(ada, bob);
    expect((await fav("PUT", product.id, bob.headers)).status).toBe(404);
    expect((await fav("DELETE", product.id, bob.headers)).body).toEqual({ favorited: false, favorite_count: 0 });
  });

  it("GET /v1/me/favorites lists what I favourited and may still see, newest first, by cursor", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { product } = await listed(ada);
      made.push(product.id);
      await fav("PUT", product.id, bob.headers);
    }
    await api("DELETE", `/v1/products/${made[1]}`, { headers: ada.headers });
    const seen: Array<{ id: string; favorited_at: string }> = [];
    let cursor: string | null = null;
    do {
      const res = await api("GET", `/v1/me/favorites?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: bob.headers });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.map((p) => p.id)).toEqual([made[3], made[2], made[0]]);
    expect(seen[0]!.favorited_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await api("GET", "/v1/me/favorites", { headers: ada.headers })).body.items).toEqual([]);
  });
});
