import { describe, expect, it } from "vitest";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { banUser, softDeleteUser } from "./fixtures";

const layout = { widgets: [{ type: "plays_chart", x: 0, y: 0, w: 8, h: 4 }, { type: "top_tracks", x: 8, y: 0, w: 4, h: 4, period_days: 28 }] };
const create = (user: SignedInUser | null, body: unknown) => api("POST", "/v1/me/dashboards", { body, headers: user?.headers ?? {} });
const patch = (user: SignedInUser | null, id: string, body: unknown) => api("PATCH", `/v1/me/dashboards/${id}`, { body, headers: user?.headers ?? {} });
const list = async (user: SignedInUser) => (await api("GET", "/v1/me/dashboards", { headers: user.headers })).body.items as { id: string; name: string; is_default: boolean }[];

describe("dashboards", () => {
  it("are created, listed (default first), changed and deleted by their owner", async () => {
    const me = await signedInUser();
    const first = await create(me, { name: "Weekly", layout, is_default: true });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: "Weekly", description: null, layout, is_default: true });
    const second = await create(me, { name: "Another", description: "Sources" });
    expect(second.body).toMatchObject({ layout: { widgets: [] }, is_default: false });
    expect((await list(me)).map((d) => [d.name, d.is_default])).toEqual([["Weekly", true], ["Another", false]]);

    // A new default ends the old one's, in the same statement.
    const third = await create(me, { name: "Main", is_default: true });
    expect((await list(me)).map((d) => [d.name, d.is_default])).toEqual([["Main", true], ["Another", false], ["Weekly", false]]);
    const changed = await patch(me, second.body.id, { is_default: true, name: "Sources", layout: { widgets: [{ type: "sources_breakdown", x: 6, y: 2, w: 6, h: 3 }] } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: "Sources", description: "Sources", is_default: true });
    expect((await list(me)).filter((d) => d.is_default).map((d) => d.id)).toEqual([second.body.id]);
    expect((await patch(me, second.body.id, { description: null })).body).toMatchObject({ description: null, is_default: true });

    expect((await api("DELETE", `/v1/me/dashboards/${third.body.id}`, { headers: me.headers })).status).toBe(204);
    expect((await list(me)).map((d) => d.id)).toEqual([second.body.id, first.body.id]);
    // its name is free again
    expect((await create(me, { name: "main" })).status).toBe(201);
  });

  it("keeps names unique per user (case-insensitive) and validates the layout", async () => {
    const me = await signedInUser();
    const them = await signedInUser();
    const mine = await create(me, { name: "Catalogue" });
    expect((await create(me, { name: "catalogue" })).status).toBe(409);
    expect((await create(them, { name: "Catalogue" })).status).toBe(201);
    const other = await create(me, { name: "Other" });
    expect((await patch(me, other.body.id, { name: "CATALOGUE" })).status).toBe(409);

    const bad = [
      { name: "" },
      { name: "x".repeat(101) },
      { name: "ok", layout: { widgets: [{ type: "heatmap_of_listeners", x: 0, y: 0, w: 4, h: 4 }] } },
      { name: "ok", layout: { widgets: [{ type: "totals", x: 10, y: 0, w: 4, h: 4 }] } },
      { name: "ok", layout: { widgets: [{ type: "totals", x: 0, y: 0, w: 13, h: 4 }] } },
      { name: "ok", layout: { widgets: [{ type: "totals", x: -1, y: 0, w: 4, h: 4 }] } },
      { name: "ok", layout: { widgets: [{ type: "totals", x: 0, y: 0, w: 4, h: 0 }] } },
      { name: "ok", layout: { widgets: [{ type: "totals", x: 0, y: 0, w: 4, h: 4, listener_id: me.id }] } },
      { name: "ok", layout: { cells: [] } },
      { name: "ok", owner_id: them.id },
    ];
    for (const body of bad) {
      const res = await create(me, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await patch(me, mine.body.id, {})).status).toBe(422);
    expect((await patch(me, "not-a-uuid", { name: "x" })).status).toBe(422);
  });

  it("are their owner's only: others get 404 and change nothing, anonymous 401, banned 403, deleted 401", async () => {
    const me = await signedInUser();
    const them = await signedInUser();
    const mine = await create(me, { name: "Mine", is_default: true });
    const theirs = await create(them, { name: "Theirs", is_default: true });
    expect((await patch(them, mine.body.id, { name: "Taken" })).status).toBe(404);
    // A failed attempt to make someone else's dashboard a default leaves one's own default alone.
    expect((await patch(them, mine.body.id, { is_default: true })).status).toBe(404);
    expect((await list(them)).map((d) => [d.id, d.is_default])).toEqual([[theirs.body.id, true]]);
    expect((await api("DELETE", `/v1/me/dashboards/${mine.body.id}`, { headers: them.headers })).status).toBe(404);
    expect((await list(me)).map((d) => [d.name, d.is_default])).toEqual([["Mine", true]]);
    expect((await api("GET", "/v1/me/dashboards")).status).toBe(401);
    expect((await create(null, { name: "Nobody" })).status).toBe(401);

    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await api("GET", "/v1/me/dashboards", { headers: banned.headers })).status).toBe(403);
    const deleted = await signedInUser();
    await softDeleteUser(deleted.id);
    expect((await create(deleted, { name: "Gone" })).status).toBe(401);
    const rows = await sql.query("SELECT count(*)::int AS n FROM dashboard_configs WHERE owner_id = ANY($1::uuid[])", [[banned.id, deleted.id]]);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("reads and writes in one round trip each", async () => {
    const me = await signedInUser();
    expect((await api("GET", "/v1/me", { headers: me.headers })).status).toBe(200);
    const json = { ...me.headers, "content-type": "application/json" };
    const created = await withRoundTrips(new Request("https://veza.test/v1/me/dashboards", { method: "POST", headers: json, body: JSON.stringify({ name: "RT", layout, is_default: true }) }));
    expect([created.response.status, created.roundTrips]).toEqual([201, 1]);
    const id = ((await created.response.json()) as { id: string }).id;
    const patched = await withRoundTrips(new Request(`https://veza.test/v1/me/dashboards/${id}`, { method: "PATCH", headers: json, body: JSON.stringify({ name: "RT 2" }) }));
    expect([patched.response.status, patched.roundTrips]).toEqual([200, 1]);
    const listed = await withRoundTrips(new Request("https://veza.test/v1/me/dashboards", { headers: me.headers }));
    expect([listed.response.status, listed.roundTrips]).toEqual([200, 1]);
    const deleted = await withRoundTrips(new Request(`https://veza.test/v1/me/dashboards/${id}`, { method: "DELETE", headers: me.headers }));
    expect([deleted.response.status, deleted.roundTrips]).toEqual([204, 1]);
  });
});
