import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { imageFile, LICENSE, makeFile, ramp } from "./fixtures";

/** Round trips of one request (as `user`, whose auth state is already cached at the edge, or anonymous). */
async function roundTrips(user: SignedInUser | null, method: string, path: string, body?: unknown) {
  if (user) expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
  const headers: Record<string, string> = { ...user?.headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) };
  const { response, roundTrips } = await withRoundTrips(
    new Request(`https://veza.test${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined }),
  );
  await response.arrayBuffer();
  return { status: response.status, roundTrips };
}

describe("the catalogue's database round trips", () => {
  it("every read and write is one round trip, refusals included", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const mod = await signedInUser({ role: "moderator" });
    const audio = await makeFile(ada.id, { mime: "audio/mpeg", bytes: ramp(100) });
    const image = await imageFile(ada.id, new Uint8Array([1]));
    const one = (status: number) => ({ status, roundTrips: 1 });

    const created = await roundTrips(ada, "POST", "/v1/products", { name: "RT kit", description: "d", category: "beat", price: "9.00", preview_file_id: audio.id, image_file_ids: [image.id] });
    expect(created).toEqual(one(201));
    const { id } = (await sql.query("SELECT id FROM products WHERE seller_id = $1", [ada.id]))[0] as { id: string };
    expect(await roundTrips(ada, "POST", "/v1/products", { name: "bad", description: "d", category: "beat", price: "1.00", preview_file_id: image.id })).toEqual(one(422));
    expect(await roundTrips(ada, "PATCH", `/v1/products/${id}`, { status: "active" })).toEqual(one(409));
    expect(await roundTrips(ada, "POST", `/v1/products/${id}/licenses`, LICENSE)).toEqual(one(201));
    const { id: licenseId } = (await sql.query("SELECT id FROM product_licenses WHERE product_id = $1", [id]))[0] as { id: string };
    expect(await roundTrips(ada, "PATCH", `/v1/products/${id}/licenses/${licenseId}`, { price: "19.00" })).toEqual(one(200));
    expect(await roundTrips(ada, "PATCH", `/v1/products/${id}`, { status: "active", tags: ["rt"] })).toEqual(one(200));
    expect(await roundTrips(bob, "PATCH", `/v1/products/${id}`, { name: "x" })).toEqual(one(403));
    expect(await roundTrips(null, "GET", `/v1/products/${id}`)).toEqual(one(200));
    expect(await roundTrips(bob, "GET", `/v1/products/${id}`)).toEqual(one(200));
    expect(await roundTrips(null, "GET", "/v1/products?category=beat&tags=rt&priceMin=1&priceMax=100&bpmMin=20&sort=popular")).toEqual(one(200));
    expect(await roundTrips(bob, "GET", `/v1/users/${ada.username}/products?sort=price_asc`)).toEqual(one(200));
    expect(await roundTrips(ada, "GET", "/v1/me/products")).toEqual(one(200));
    expect(await roundTrips(null, "GET", `/v1/products/${id}/preview`)).toEqual(one(200));
    expect(await roundTrips(null, "GET", `/v1/products/${id}/images/${image.id}`)).toEqual(one(200));
    expect(await roundTrips(bob, "PUT", `/v1/products/${id}/favorite`)).toEqual(one(200));
    expect(await roundTrips(bob, "GET", "/v1/me/favorites")).toEqual(one(200));
    expect(await roundTrips(bob, "DELETE", `/v1/products/${id}/favorite`)).toEqual(one(200));
    expect(await roundTrips(mod, "PUT", `/v1/products/${id}/suspension`, { reason: "check" })).toEqual(one(200));
    expect(await roundTrips(mod, "DELETE", `/v1/products/${id}/suspension`)).toEqual(one(200));
    await api("POST", `/v1/products/${id}/licenses`, { body: LICENSE, headers: ada.headers });
    expect(await roundTrips(ada, "DELETE", `/v1/products/${id}/licenses/${licenseId}`)).toEqual(one(204));
    expect(await roundTrips(ada, "DELETE", `/v1/products/${id}`)).toEqual(one(204));
    expect(await roundTrips(null, "GET", `/v1/products/${id}`)).toEqual(one(404));
  });
});
