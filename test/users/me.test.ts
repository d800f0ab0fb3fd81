import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { insert, one, sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, makeBadge, softDeleteUser } from "./fixtures";

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("GET /v1/me", () => {
  it("answers my account, profile, settings, verified roles and badges in display order", async () => {
    const user = await signedInUser();
    const [first, second, hidden] = [await makeBadge(), await makeBadge({ category: "genre" }), await makeBadge()];
    await insert("user_badges", { user_id: user.id, badge_id: first.id, display_order: 2 });
    await insert("user_badges", { user_id: user.id, badge_id: second.id, display_order: 0 });
    await insert("user_badges", { user_id: user.id, badge_id: hidden.id, display_order: 1, is_displayed: false });
    await insert("user_roles", { user_id: user.id, role: "producer", verified: true, verified_at: "2026-01-02T03:04:05.678Z" });
    await insert("user_roles", { user_id: user.id, role: "label", verified: false });
    await sql.query("UPDATE users SET display_name = 'Ada', email_verified_at = now(), marketing_consent = true, marketing_consent_at = now() WHERE id = $1", [user.id]);

    const res = await api("GET", "/v1/me", { headers: user.headers });
    expect(res.status).toBe(200);
    const me = res.body;
    expect(me).toMatchObject({
      id: user.id,
      email: user.email,
      email_verified: true,
      username: user.username,
      display_name: "Ada",
      first_name: null,
      role: "user",
      verified_roles: [{ role: "producer", verified_at: "2026-01-02T03:04:05.678Z" }],
      consents: { data_processing: true, marketing: true },
      profile: {
        bio: null,
        language: "en",
        timezone: "UTC",
        theme: "auto",
        profile_visibility: "public",
        show_email: false,
        show_location: true,
        counts: { followers: 0, following: 0, tracks: 0, playlists: 0 },
      },
      settings: { email_notifications: true, email_marketing: false, autoplay: true, save_search_history: false },
    });
    expect(me.created_at).toMatch(isoDate);
    expect(me.consents.data_processing_at).toMatch(isoDate);
    expect(Object.keys(me.settings)).toHaveLength(15);
    expect(me.badges.map((b: { id: string }) => b.id)).toEqual([second.id, hidden.id, first.id]);
    expect(me.badges[1]).toMatchObject({ slug: hidden.slug, is_displayed: false, display_order: 1, category: "instrument", color: "#12AB9f" });
    expect(me).not.toHaveProperty("password_hash");
    expect(JSON.stringify(me)).not.toContain("$2a$");
  });

  it("costs one database round trip once the auth state is cached", async () => {
    const user = await signedInUser();
    expect((await api("GET", "/v1/me", { headers: user.headers })).status).toBe(200); // warms the auth state cache
    const { response, roundTrips } = await withRoundTrips(new Request("https://veza.test/v1/me", { headers: user.headers }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(user.id);
    expect(roundTrips).toBe(1);
  });

  it("refuses anonymous requests (401), banned users (403) and deleted users (401)", async () => {
    expect((await api("GET", "/v1/me")).status).toBe(401);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await api("GET", "/v1/me", { headers: banned.headers })).status).toBe(403);
    const deleted = await signedInUser();
    await softDeleteUser(deleted.id);
    expect((await api("GET", "/v1/me", { headers: deleted.headers })).status).toBe(401);
  });
});

describe("PATCH /v1/me", () => {
  it("updates account and profile fields and answers the new account", async () => {
    const user = await signedInUser();
    const res = await api("PATCH", "/v1/me", {
      headers: user.headers,
      body: {
        display_name: "  Grace H.  ",
        first_name: "Grace",
        bio: "Composer.\nPianist.",
        website_url: "https://grace.example.com/music",
        birthdate: "1990-04-12",
        language: "fr-FR",
        timezone: "Europe/Paris",
        theme: "dark",
        profile_visibility: "unlisted",
        show_email: true,
        show_location: false,
        location: "Lyon",
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: user.id,
      display_name: "Grace H.",
      first_name: "Grace",
      last_name: null,
      profile: {
        bio: "Composer.\nPianist.",
        website_url: "https://grace.example.com/music",
        birthdate: "1990-04-12",
        language: "fr-FR",
        timezone: "Europe/Paris",
        theme: "dark",
        profile_visibility: "unlisted",
        show_email: true,
        show_location: false,
        location: "Lyon",
      },
    });
    const row = await one(
      "SELECT u.display_name, p.timezone, p.birthdate::text AS birthdate, p.profile_visibility FROM users u JOIN user_profiles p ON p.user_id = u.id WHERE u.id = $1",
      [user.id],
    );
    expect(row).toEqual({ display_name: "Grace H.", timezone: "Europe/Paris", birthdate: "1990-04-12", profile_visibility: "unlisted" });
  });

  it("leaves absent fields alone and clears fields sent as null", async () => {
    const user = await signedInUser();
    await api("PATCH", "/v1/me", { headers: user.headers, body: { tagline: "Hello", gender: "woman", last_name: "Hopper" } });
    const res = await api("PATCH", "/v1/me", { headers: user.headers, body: { tagline: null } });
    expect(res.status).toBe(200);
    expect(res.body.profile.tagline).toBeNull();
    expect(res.body.profile.gender).toBe("woman");
    expect(res.body.last_name).toBe("Hopper");
  });

  it("attributes the users change to the user in the audit trail", async () => {
    const user = await signedInUser();
    await api("PATCH", "/v1/me", { headers: user.headers, body: { display_name: "Audited" } });
    const row = await one("SELECT actor_id, metadata FROM audit_logs WHERE table_name = 'users' AND record_id = $1 AND operation = 'UPDATE'", [user.id]);
    expect(row.actor_id).toBe(user.id);
    expect(row.metadata).toEqual({ redacted_keys: ["display_name"] });
  });

  it("costs one database round trip (both updates and the read in one batch)", async () => {
    const user = await signedInUser();
    await api("GET", "/v1/me", { headers: user.headers });
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/me", {
        method: "PATCH",
        headers: { ...user.headers, "content-type": "application/json" },
        body: JSON.stringify({ first_name: "One", theme: "light" }),
      }),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { profile: { theme: string } }).profile.theme).toBe("light");
    expect(roundTrips).toBe(1);
  });

  it.each([
    [{ theme: "neon" }, "json.theme"],
    [{ website_url: "not a url" }, "json.website_url"],
    [{ website_url: "javascript:alert(1)" }, "json.website_url"],
    [{ website_url: "ftp://files.example.com" }, "json.website_url"],
    [{ birthdate: "2999-01-01" }, "json.birthdate"],
    [{ birthdate: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) }, "json.birthdate"],
    [{ birthdate: `${new Date().getUTCFullYear() - 10}-01-01` }, "json.birthdate"],
    [{ birthdate: "1990-02-30" }, "json.birthdate"],
    [{ language: "english" }, "json.language"],
    [{ language: "fr-fr" }, "json.language"],
    [{ timezone: "Mars/Olympus_Mons" }, "json.timezone"],
    [{ profile_visibility: "friends" }, "json.profile_visibility"],
    [{ bio: "x".repeat(2001) }, "json.bio"],
    [{ display_name: "   " }, "json.display_name"],
    [{ tagline: "bell\u0007" }, "json.tagline"],
    [{ show_email: "yes" }, "json.show_email"],
  ])("refuses %j with 422 at %s", async (body, path) => {
    const user = await signedInUser();
    const res = await api("PATCH", "/v1/me", { headers: user.headers, body });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    const row = await one("SELECT theme, bio, birthdate FROM user_profiles WHERE user_id = $1", [user.id]);
    expect(row).toEqual({ theme: "auto", bio: null, birthdate: null });
  });

  it("refuses fields it does not know (422), such as the role", async () => {
    const user = await signedInUser();
    const res = await api("PATCH", "/v1/me", { headers: user.headers, body: { role: "admin" } });
    expect(res.status).toBe(422);
    expect((await one("SELECT role FROM users WHERE id = $1", [user.id])).role).toBe("user");
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users", async () => {
    expect((await api("PATCH", "/v1/me", { body: { theme: "dark" } })).status).toBe(401);
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await api("PATCH", "/v1/me", { headers: banned.headers, body: { theme: "dark" } })).status).toBe(403);
    const deleted = await signedInUser();
    await softDeleteUser(deleted.id);
    expect((await api("PATCH", "/v1/me", { headers: deleted.headers, body: { theme: "dark" } })).status).toBe(401);
    const rows = await sql.query("SELECT theme FROM user_profiles WHERE user_id = ANY($1::uuid[])", [[banned.id, deleted.id]]);
    expect(rows.map((r) => r.theme)).toEqual(["auto", "auto"]);
  });
});
