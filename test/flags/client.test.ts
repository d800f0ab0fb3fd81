import { describe, expect, it } from "vitest";
import { rolloutBucket } from "../../src/lib/flags";
import { signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { banUser, softDeleteUser } from "../tracks/fixtures";
import { admin, createFlag, flagKey, flagsOf, send } from "./fixtures";

describe("GET /v1/flags", () => {
  it("lists the flags on for the viewer: by user, by role, by rollout, never a disabled one", async () => {
    const root = await admin();
    const [ada, bob, mod] = await Promise.all([signedInUser(), signedInUser(), signedInUser({ role: "moderator" })]);
    const byUser = await createFlag(root, { enabled: true, allowed_user_ids: [ada.id] });
    const byRole = await createFlag(root, { enabled: true, allowed_roles: ["moderator"] });
    const everyone = await createFlag(root, { enabled: true, rollout_percent: 100 });
    const killed = await createFlag(root, { enabled: false, rollout_percent: 100, allowed_user_ids: [ada.id], allowed_roles: ["user", "moderator"] });
    const nobody = await createFlag(root, { enabled: true });

    const mine = (keys: string[]) => keys.filter((k) => [byUser, byRole, everyone, killed, nobody].includes(k));
    expect(mine(await flagsOf(ada))).toEqual([byUser, everyone].sort());
    expect(mine(await flagsOf(bob))).toEqual([everyone]);
    expect(mine(await flagsOf(mod))).toEqual([byRole, everyone].sort());
    expect(mine(await flagsOf(null))).toEqual([everyone]);
  });

  it("follows the stable bucket of each user for a partial rollout", async () => {
    const root = await admin();
    const key = await createFlag(root, { enabled: true, rollout_percent: 50 });
    const users = await Promise.all(Array.from({ length: 8 }, () => signedInUser()));
    for (const user of users) {
      const expected = (await rolloutBucket(key, user.id)) < 50;
      expect((await flagsOf(user)).includes(key), user.id).toBe(expected);
      expect((await flagsOf(user)).includes(key), user.id).toBe(expected);
    }
  });

  it("serves public settings only, with a private cache header", async () => {
    const root = await admin();
    const shown = flagKey("pub");
    const hidden = flagKey("priv");
    expect((await send("POST", "/v1/admin/configs", root, { key: shown, value_type: "json", value: { max: 3 }, is_public: true })).status).toBe(201);
    expect((await send("POST", "/v1/admin/configs", root, { key: hidden, value_type: "string", value: "secret-ish" })).status).toBe(201);
    const res = await send("GET", "/v1/flags");
    expect(res.status).toBe(200);
    expect(res.body.configs[shown]).toEqual({ max: 3 });
    expect(Object.keys(res.body.configs)).not.toContain(hidden);
    expect(res.headers.get("cache-control")).toBe("private, max-age=30");
  });

  it("answers a bad token with its error instead of an anonymous answer (banned 403, deleted 401)", async () => {
    const [banned, deleted] = await Promise.all([signedInUser(), signedInUser()]);
    await banUser(banned.id);
    await softDeleteUser(deleted.id);
    expect((await send("GET", "/v1/flags", banned)).status).toBe(403);
    expect((await send("GET", "/v1/flags", deleted)).status).toBe(401);
  });
});

describe("the flags cache", () => {
  it("shows an admin's change at once on the Worker instance that made it", async () => {
    const root = await admin();
    const ada = await signedInUser();
    const key = await createFlag(root, { enabled: true, rollout_percent: 100 });
    expect(await flagsOf(ada)).toContain(key);
    expect((await send("PATCH", `/v1/admin/flags/${key}`, root, { enabled: false })).status).toBe(200);
    expect(await flagsOf(ada)).not.toContain(key);
    expect((await send("PATCH", `/v1/admin/flags/${key}`, root, { enabled: true, rollout_percent: 0, allowed_user_ids: [ada.id] })).status).toBe(200);
    expect(await flagsOf(ada)).toContain(key);
    expect(await flagsOf(null)).not.toContain(key);
    expect((await send("DELETE", `/v1/admin/flags/${key}`, root)).status).toBe(204);
    expect(await flagsOf(ada)).not.toContain(key);
  });

  it("does not read the database while cached: a change behind the API's back waits for the TTL", async () => {
    const root = await admin();
    const key = await createFlag(root, { enabled: true, rollout_percent: 100 });
    await sql.query("UPDATE feature_flags SET enabled = false WHERE key = $1", [key]);
    // The snapshot this instance read with the admin's write is still current: no round trip, old answer.
    expect(await flagsOf(null)).toContain(key);
    // The next change through the API carries the truth, this one included.
    const other = await createFlag(root, { enabled: true, rollout_percent: 100 });
    const now = await flagsOf(null);
    expect(now).toContain(other);
    expect(now).not.toContain(key);
  });
});
