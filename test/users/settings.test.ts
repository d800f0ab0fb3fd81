import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { one } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, softDeleteUser } from "./fixtures";

const DEFAULTS = {
  email_notifications: true,
  push_notifications: true,
  browser_notifications: true,
  email_on_follow: true,
  email_on_like: true,
  email_on_comment: true,
  email_on_message: true,
  email_on_mention: true,
  email_marketing: false,
  allow_search_indexing: true,
  show_activity: true,
  explicit_content: false,
  autoplay: true,
  save_search_history: false,
};

describe("/v1/me/settings", () => {
  it("answers every boolean setting with its default", async () => {
    const user = await signedInUser();
    const res = await api("GET", "/v1/me/settings", { headers: user.headers });
    expect(res.status).toBe(200);
    const { updated_at, ...settings } = res.body;
    expect(settings).toEqual(DEFAULTS);
    expect(updated_at).toMatch(/Z$/);
  });

  it("changes only the settings sent, in one round trip", async () => {
    const user = await signedInUser();
    await api("GET", "/v1/me/settings", { headers: user.headers }); // warms the auth state cache
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/me/settings", {
        method: "PATCH",
        headers: { ...user.headers, "content-type": "application/json" },
        body: JSON.stringify({ autoplay: false, explicit_content: true }),
      }),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
    const { updated_at: _, ...settings } = (await response.json()) as Record<string, unknown>;
    expect(settings).toEqual({ ...DEFAULTS, autoplay: false, explicit_content: true });
    const row = await one("SELECT autoplay, explicit_content, email_on_like FROM user_settings WHERE user_id = $1", [user.id]);
    expect(row).toEqual({ autoplay: false, explicit_content: true, email_on_like: true });
  });

  it("costs one round trip to read", async () => {
    const user = await signedInUser();
    await api("GET", "/v1/me/settings", { headers: user.headers });
    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/me/settings", { headers: user.headers }));
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
  });

  it.each([
    [{ autoplay: "no" }, "json.autoplay"],
    [{ dark_mode: true }, "json"],
    [{ email_marketing: null }, "json.email_marketing"],
  ])("refuses %j with 422 at %s", async (body, path) => {
    const user = await signedInUser();
    const res = await api("PATCH", "/v1/me/settings", { headers: user.headers, body });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users", async () => {
    expect((await api("GET", "/v1/me/settings")).status).toBe(401);
    expect((await api("PATCH", "/v1/me/settings", { body: { autoplay: false } })).status).toBe(401);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await api("PATCH", "/v1/me/settings", { headers: banned.headers, body: { autoplay: false } })).status).toBe(403);
    const deleted = await signedInUser();
    await softDeleteUser(deleted.id);
    expect((await api("GET", "/v1/me/settings", { headers: deleted.headers })).status).toBe(401);
    expect((await one("SELECT autoplay FROM user_settings WHERE user_id = $1", [banned.id])).autoplay).toBe(true);
  });
});
