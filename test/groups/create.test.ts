import { describe, expect, it } from "vitest";
import { slugFromName } from "../../src/domains/groups/create-group";
import { api, signedInUser } from "../helpers/auth";
import { uniq } from "../helpers/db";
import { as, makeGroup, memberCount, memberOf, membershipRow } from "./fixtures";

describe("POST /v1/groups", () => {
  it("creates a group whose creator is its active owner, counted once", async () => {
    const owner = await signedInUser();
    const res = await api("POST", "/v1/groups", as(owner, { name: `Synth ${uniq()}`, description: "Patch cables", group_type: "private", requires_approval: true }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      description: "Patch cables",
      group_type: "private",
      requires_approval: true,
      member_count: 1,
      post_count: 0,
      owner: { id: owner.id, username: owner.username },
      my_membership: { role: "owner", status: "active" },
    });
    expect(await membershipRow(res.body.id, owner.id)).toMatchObject({ role: "owner", status: "active" });
    expect(await memberCount(res.body.id)).toEqual({ stored: 1, active: 1 });
  });

  it("derives the slug from the name, and adds a suffix when that one is taken", async () => {
    const name = `Électro Café ${uniq()}!!`;
    const first = await makeGroup(await signedInUser(), { name });
    expect(first.slug).toBe(slugFromName(name));
    expect(first.slug).toMatch(/^electro-cafe-[a-z0-9]+$/);
    const second = await makeGroup(await signedInUser(), { name });
    expect(second.slug).not.toBe(first.slug);
    expect(second.slug.startsWith(`${first.slug}-`)).toBe(true);
  });

  it("derives a usable slug from names without Latin letters", () => {
    expect(slugFromName("音楽")).toBe("group");
    expect(slugFromName("DJ")).toBe("group-dj");
    expect(slugFromName("  --Hello,   World--  ")).toBe("hello-world");
    expect(slugFromName("x".repeat(300)).length).toBeLessThanOrEqual(91);
  });

  it("answers 409 when a given slug is taken, also by a deleted group", async () => {
    const owner = await signedInUser();
    const slug = `taken-${uniq()}`;
    await makeGroup(owner, { slug });
    const again = await api("POST", "/v1/groups", as(owner, { name: "Another", slug }));
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: "json.slug", message: "is already taken" }]);
    const gone = await makeGroup(owner, { slug: `gone-${uniq()}` });
    expect((await api("DELETE", `/v1/groups/${gone.slug}`, as(owner))).status).toBe(204);
    expect((await api("POST", "/v1/groups", as(owner, { name: "Reuse", slug: gone.slug }))).status).toBe(409);
  });

  it("refuses bad input with 422 and field paths", async () => {
    const owner = await signedInUser();
    const cases: Array<[unknown, string]> = [
      [{}, "json.name"],
      [{ name: "   " }, "json.name"],
      [{ name: "x".repeat(256) }, "json.name"],
      [{ name: "ok", slug: "Has Caps" }, "json.slug"],
      [{ name: "ok", slug: "double--dash" }, "json.slug"],
      [{ name: "ok", slug: "ab" }, "json.slug"],
      [{ name: "ok", group_type: "secret" }, "json.group_type"],
      [{ name: "ok", requires_approval: "yes" }, "json.requires_approval"],
      [{ name: "ok", description: "x".repeat(5001) }, "json.description"],
      [{ name: "ok", avatar_url: "https://example.com/a.png" }, "json"],
    ];
    for (const [body, path] of cases) {
      const res = await api("POST", "/v1/groups", as(owner, body));
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path).join(" "), JSON.stringify(body)).toContain(path);
    }
  });
});

describe("PATCH and DELETE /v1/groups/:slug", () => {
  it("lets the owner and admins change the group, not moderators, members or outsiders", async () => {
    const owner = await signedInUser();
    const group = await makeGroup(owner);
    const [admin, moderator, member, outsider] = [await memberOf(group.id, "admin"), await memberOf(group.id, "moderator"), await memberOf(group.id, "member"), await signedInUser()];
    const byOwner = await api("PATCH", `/v1/groups/${group.slug}`, as(owner, { name: "Renamed", requires_approval: true }));
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({ name: "Renamed", requires_approval: true, slug: group.slug, member_count: 4, my_membership: { role: "owner" } });
    expect((await api("PATCH", `/v1/groups/${group.slug}`, as(admin, { group_type: "private", description: null }))).body).toMatchObject({ group_type: "private", description: null });
    for (const who of [moderator, member, outsider]) expect((await api("PATCH", `/v1/groups/${group.slug}`, as(who, { name: "No" }))).status).toBe(403);
    expect((await api("PATCH", `/v1/groups/${group.slug}`, as(owner, {}))).status).toBe(422);
    expect((await api("PATCH", `/v1/groups/no-such-${uniq()}`, as(owner, { name: "x" }))).status).toBe(404);
  });

  it("lets only the owner delete; the group is then 404 everywhere", async () => {
    const owner = await signedInUser();
    const group = await makeGroup(owner);
    const admin = await memberOf(group.id, "admin");
    expect((await api("DELETE", `/v1/groups/${group.slug}`, as(admin))).status).toBe(403);
    expect((await api("DELETE", `/v1/groups/${group.slug}`, as(owner))).status).toBe(204);
    expect((await api("GET", `/v1/groups/${group.slug}`)).status).toBe(404);
    expect((await api("POST", `/v1/groups/${group.slug}/join`, as(await signedInUser()))).status).toBe(404);
    expect((await api("GET", `/v1/groups/${group.slug}/members`)).status).toBe(404);
    expect((await api("DELETE", `/v1/groups/${group.slug}`, as(owner))).status).toBe(404);
  });
});
