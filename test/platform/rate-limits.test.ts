import { describe, expect, it } from "vitest";
import { makeTrack } from "../tracks/fixtures";
import { api, signedInUser } from "../helpers/auth";
import { freshRateWindow } from "../helpers/rate-window";

/** wrangler.toml [[ratelimits]]: POSTING_LIMITER 20 a minute, ACTIONS_LIMITER 120 a minute, per user and action. */
describe("per-user write limits", () => {
  it("refuses the 21st comment in a minute with 429 and Retry-After, for that user only", async () => {
    const [owner, chatty, other] = await Promise.all([signedInUser(), signedInUser(), signedInUser()]);
    const track = await makeTrack(owner.id);
    await freshRateWindow();
    const post = (headers: Record<string, string>, n: number) =>
      api("POST", `/v1/tracks/${track.id}/comments`, { headers, body: { content: `comment ${n}` } });
    for (let n = 1; n <= 20; n++) expect((await post(chatty.headers, n)).status).toBe(201);

    const refused = await post(chatty.headers, 21);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.body).toMatchObject({ status: 429, code: "rate_limited" });
    const count = await api("GET", `/v1/tracks/${track.id}/comments?limit=100`);
    expect(count.body.items).toHaveLength(20);

    // another user, and another kind of posting by the same user, have budgets of their own
    expect((await post(other.headers, 1)).status).toBe(201);
    expect((await api("POST", "/v1/playlists", { headers: chatty.headers, body: { name: "Still allowed" } })).status).toBe(201);
  });

  it("limits likes to 120 a minute", async () => {
    const [owner, fan] = await Promise.all([signedInUser(), signedInUser()]);
    const track = await makeTrack(owner.id);
    await freshRateWindow();
    for (let n = 0; n < 60; n++) {
      expect((await api("PUT", `/v1/tracks/${track.id}/like`, { headers: fan.headers })).status).toBe(200);
      expect((await api("DELETE", `/v1/tracks/${track.id}/like`, { headers: fan.headers })).status).toBe(200);
    }
    const refused = await api("PUT", `/v1/tracks/${track.id}/like`, { headers: fan.headers });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("rate_limited");
  });
});
