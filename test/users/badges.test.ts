import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { insert, MISSING, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, makeBadge } from "./fixtures";

const ids = (list: { id: string }[]) => list.map((b) => b.id);

describe("GET /v1/badges", () => {
  it("lists active badges by category then name, to anyone", async () => {
    const guitar = await makeBadge({ category: "instrument" });
    const jazz = await makeBadge({ category: "genre" });
    const retired = await makeBadge({ category: "genre", is_active: false });
    const res = await api("GET", "/v1/badges");
    expect(res.status).toBe(200);
    const list = res.body.badges as { id: string; category: string; name: string }[];
    expect(ids(list)).toEqual(expect.arrayContaining([guitar.id, jazz.id]));
    expect(ids(list)).not.toContain(retired.id);
    const keys = list.map((b) => `${b.category}\u0000${b.name}`);
    expect(keys).toEqual([...keys].sort());
    expect(list.find((b) => b.id === jazz.id)).toEqual({
      id: jazz.id, slug: jazz.slug, name: jazz.name, description: expect.any(String), category: "genre", icon_url: null, color: "#12AB9f",
    });
  });

  it("narrows to one category", async () => {
    const skill = await makeBadge({ category: "experience" });
    const other = await makeBadge({ category: "role" });
    const res = await api("GET", "/v1/badges?category=experience");
    expect(ids(res.body.badges)).toContain(skill.id);
    expect(ids(res.body.badges)).not.toContain(other.id);
    expect(new Set(res.body.badges.map((b: { category: string }) => b.category))).toEqual(new Set(["experience"]));
    expect((await api("GET", "/v1/badges?category=rarity")).status).toBe(422);
  });
});

describe("PUT /v1/me/badges", () => {
  it("replaces my badges with the list given, in that order", async () => {
    const user = await signedInUser();
    const [a, b, c, d] = [await makeBadge(), await makeBadge(), await makeBadge(), await makeBadge()];
    await insert("user_badges", { user_id: user.id, badge_id: d.id, display_order: 0, earned_at: "2025-01-01T00:00:00Z" });
    await insert("user_badges", { user_id: user.id, badge_id: a.id, display_order: 1, earned_at: "2025-01-01T00:00:00Z" });

    const res = await api("PUT", "/v1/me/badges", {
      headers: user.headers,
      body: { badges: [{ badge_id: c.id, is_displayed: true }, { badge_id: a.id, is_displayed: false }, { badge_id: b.id, is_displayed: true }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.badges.map((x: { id: string; display_order: number; is_displayed: boolean }) => [x.id, x.display_order, x.is_displayed])).toEqual([
      [c.id, 0, true],
      [a.id, 1, false],
      [b.id, 2, true],
    ]);
    const rows = await sql.query("SELECT badge_id, display_order, earned_at < now() - interval '1 day' AS kept FROM user_badges WHERE user_id = $1 ORDER BY display_order", [user.id]);
    expect(rows).toEqual([
      { badge_id: c.id, display_order: 0, kept: false },
      { badge_id: a.id, display_order: 1, kept: true }, // a badge kept keeps when it was first chosen
      { badge_id: b.id, display_order: 2, kept: false },
    ]);

    const me = await api("GET", "/v1/me", { headers: user.headers });
    expect(ids(me.body.badges)).toEqual([c.id, a.id, b.id]);
    const profile = await api("GET", `/v1/users/${user.username}`);
    expect(ids(profile.body.badges)).toEqual([c.id, b.id]);
  });

  it("empties my badges with an empty list", async () => {
    const user = await signedInUser();
    await insert("user_badges", { user_id: user.id, badge_id: (await makeBadge()).id });
    const res = await api("PUT", "/v1/me/badges", { headers: user.headers, body: { badges: [] } });
    expect(res.status).toBe(200);
    expect(res.body.badges).toEqual([]);
    expect(await sql.query("SELECT 1 FROM user_badges WHERE user_id = $1", [user.id])).toHaveLength(0);
  });

  it("costs at most two round trips", async () => {
    const user = await signedInUser();
    const badge = await makeBadge();
    await api("GET", "/v1/me/settings", { headers: user.headers }); // warms the auth state cache
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/me/badges", {
        method: "PUT",
        headers: { ...user.headers, "content-type": "application/json" },
        body: JSON.stringify({ badges: [{ badge_id: badge.id, is_displayed: true }] }),
      }),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBeLessThanOrEqual(2);
  });

  it("refuses an unknown or retired badge with 422 at its position, changing nothing", async () => {
    const user = await signedInUser();
    const [kept, good, retired] = [await makeBadge(), await makeBadge(), await makeBadge({ is_active: false })];
    await insert("user_badges", { user_id: user.id, badge_id: kept.id, display_order: 0 });
    const res = await api("PUT", "/v1/me/badges", {
      headers: user.headers,
      body: { badges: [{ badge_id: good.id, is_displayed: true }, { badge_id: MISSING, is_displayed: true }, { badge_id: retired.id, is_displayed: true }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.badges.1.badge_id", "json.badges.2.badge_id"]);
    const rows = await sql.query("SELECT badge_id FROM user_badges WHERE user_id = $1", [user.id]);
    expect(rows).toEqual([{ badge_id: kept.id }]);
  });

  it("refuses more than 20 badges, duplicates and malformed ids (422)", async () => {
    const user = await signedInUser();
    const badge = await makeBadge();
    const many = Array.from({ length: 21 }, () => ({ badge_id: crypto.randomUUID(), is_displayed: true }));
    const tooMany = await api("PUT", "/v1/me/badges", { headers: user.headers, body: { badges: many } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0].path).toBe("json.badges");
    const twice = await api("PUT", "/v1/me/badges", { headers: user.headers, body: { badges: [{ badge_id: badge.id }, { badge_id: badge.id.toUpperCase() }] } });
    expect(twice.status).toBe(422);
    const malformed = await api("PUT", "/v1/me/badges", { headers: user.headers, body: { badges: [{ badge_id: "guitar" }] } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0].path).toBe("json.badges.0.badge_id");
  });

  it("refuses anonymous (401) and banned (403) users", async () => {
    const badge = await makeBadge();
    expect((await api("PUT", "/v1/me/badges", { body: { badges: [{ badge_id: badge.id }] } })).status).toBe(401);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await api("PUT", "/v1/me/badges", { headers: banned.headers, body: { badges: [{ badge_id: badge.id }] } })).status).toBe(403);
    expect(await sql.query("SELECT 1 FROM user_badges WHERE user_id = $1", [banned.id])).toHaveLength(0);
  });
});
