import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { create, listed } from "./fixtures";
import { freshRateWindow } from "../helpers/rate-window";

/** wrangler.toml [[ratelimits]]: POSTING_LIMITER 20 a minute, ACTIONS_LIMITER 120 a minute, per user and scope. */
describe("the catalogue's write limits", () => {
  it("refuses a seller's 21st product write in a minute (429), leaving licences their own budget", async () => {
    const ada = await signedInUser();
    await freshRateWindow();
    const { product } = await listed(ada); // a create and a publish: 2 of the 20
    for (let n = 0; n < 18; n++) expect((await create(ada)).status).toBe(201);
    const refused = await create(ada);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect((await api("PATCH", `/v1/products/${product.id}`, { body: { name: "late" }, headers: ada.headers })).status).toBe(429);
    expect((await api("POST", `/v1/products/${product.id}/licenses`, { body: { name: "L", price: "1.00", terms: "T." }, headers: ada.headers })).status).toBe(201);
  });

  it("limits favourites to 120 a minute", async () => {
    const ada = await signedInUser();
    const fan = await signedInUser();
    const { product } = await listed(ada);
    await freshRateWindow();
    for (let n = 0; n < 60; n++) {
      expect((await api("PUT", `/v1/products/${product.id}/favorite`, { headers: fan.headers })).status).toBe(200);
      expect((await api("DELETE", `/v1/products/${product.id}/favorite`, { headers: fan.headers })).status).toBe(200);
    }
    const refused = await api("PUT", `/v1/products/${product.id}/favorite`, { headers: fan.headers });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("rate_limited");
  });
});
