import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { call, imageFile, makeFile, ramp } from "../tracks/fixtures";
import { as, makeGroup, memberOf } from "./fixtures";

describe("a group's avatar and banner", () => {
  it("takes the creator's own image files and serves them to anyone, cached as immutable", async () => {
    const owner = await signedInUser();
    const avatar = await imageFile(owner.id, ramp(64));
    const banner = await imageFile(owner.id, ramp(128));
    const group = await makeGroup(owner, { group_type: "private", avatar_file_id: avatar.id, banner_file_id: banner.id });
    expect(group.avatar_url).toBe(`/v1/groups/${group.slug}/avatar/${avatar.id}`);
    expect(group.banner_url).toBe(`/v1/groups/${group.slug}/banner/${banner.id}`);
    const res = await call(group.avatar_url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(ramp(64));
    expect((await call(group.banner_url)).status).toBe(200);
    expect((await call(`/v1/groups/${group.slug}/banner/${avatar.id}`)).status).toBe(404);
    const { response, roundTrips } = await withRoundTrips(new Request(`https://veza.test${group.avatar_url}`));
    expect([response.status, roundTrips]).toEqual([200, 1]);
  });

  it("refuses another's file, a file that is not an image, and a deleted one (422, nothing created)", async () => {
    const owner = await signedInUser();
    const other = await signedInUser();
    const cases: Array<[string, Record<string, string>, string]> = [
      ["another's", { avatar_file_id: (await imageFile(other.id)).id }, "json.avatar_file_id"],
      ["audio", { banner_file_id: (await makeFile(owner.id, { mime: "audio/wav" })).id }, "json.banner_file_id"],
      ["deleted", { avatar_file_id: (await makeFile(owner.id, { mime: "image/png", deleted: true })).id }, "json.avatar_file_id"],
    ];
    for (const [what, body, path] of cases) {
      const res = await api("POST", "/v1/groups", as(owner, { name: `Bad image ${what}`, ...body }));
      expect(res.status, what).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path), what).toEqual([path]);
    }
    expect((await sql.query("SELECT count(*)::int AS n FROM groups WHERE creator_id = $1", [owner.id]))[0]!.n).toBe(0);
  });

  it("lets an admin change or remove them with their own images; old URLs stop working", async () => {
    const owner = await signedInUser();
    const first = await imageFile(owner.id, ramp(16));
    const group = await makeGroup(owner, { avatar_file_id: first.id });
    const admin = await memberOf(group.id, "admin");
    const mine = await imageFile(admin.id, ramp(32));
    const changed = await api("PATCH", `/v1/groups/${group.slug}`, as(admin, { avatar_file_id: mine.id, banner_file_id: mine.id }));
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ avatar_url: `/v1/groups/${group.slug}/avatar/${mine.id}`, banner_url: `/v1/groups/${group.slug}/banner/${mine.id}` });
    expect((await call(group.avatar_url)).status).toBe(404);
    expect((await api("PATCH", `/v1/groups/${group.slug}`, as(admin, { avatar_file_id: first.id }))).status).toBe(422);
    const removed = await api("PATCH", `/v1/groups/${group.slug}`, as(owner, { avatar_file_id: null }));
    expect(removed.body).toMatchObject({ avatar_url: null, banner_url: changed.body.banner_url });
    await sql.query("UPDATE files SET deleted_at = now() WHERE id = $1", [mine.id]);
    expect((await api("GET", `/v1/groups/${group.slug}`)).body.banner_url).toBeNull();
    expect((await call(changed.body.banner_url)).status).toBe(404);
  });

  it("stops serving a deleted group's images", async () => {
    const owner = await signedInUser();
    const avatar = await imageFile(owner.id, ramp(8));
    const group = await makeGroup(owner, { avatar_file_id: avatar.id });
    await api("DELETE", `/v1/groups/${group.slug}`, as(owner));
    expect((await call(group.avatar_url)).status).toBe(404);
  });
});
