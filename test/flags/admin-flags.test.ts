import { describe, expect, it } from "vitest";
import { signedInUser } from "../helpers/auth";
import { MISSING, sql } from "../helpers/db";
import { softDeleteUser } from "../tracks/fixtures";
import { admin, flagKey, send } from "./fixtures";

describe("admins' feature flags", () => {
  it("creates a flag off by default, reads, lists, changes and deletes it", async () => {
    const root = await admin();
    const key = flagKey();
    const created = await send("POST", "/v1/admin/flags", root, { key, description: "New player" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key, description: "New player", enabled: false, rollout_percent: 0, allowed_user_ids: [], allowed_roles: [], updated_by: root.id });

    expect((await send("GET", `/v1/admin/flags/${key}`, root)).body).toEqual(created.body);
    const list = await send("GET", "/v1/admin/flags", root);
    expect(list.body.items.find((f: { key: string }) => f.key === key)).toEqual(created.body);
    const keys = list.body.items.map((f: { key: string }) => f.key);
    expect(keys).toEqual([...keys].sort());

    const ada = await signedInUser();
    const changed = await send("PATCH", `/v1/admin/flags/${key}`, root, { enabled: true, rollout_percent: 30, allowed_user_ids: [ada.id, ada.id.toUpperCase()], allowed_roles: ["creator", "creator"], description: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ enabled: true, rollout_percent: 30, allowed_user_ids: [ada.id], allowed_roles: ["creator"], description: null });
    const [row] = await sql.query("SELECT enabled, rollout_percent, allowed_user_ids::text[] AS ids, allowed_roles::text[] AS roles FROM feature_flags WHERE key = $1", [key]);
    expect(row).toEqual({ enabled: true, rollout_percent: 30, ids: [ada.id], roles: ["creator"] });

    expect((await send("DELETE", `/v1/admin/flags/${key}`, root)).status).toBe(204);
    expect((await send("GET", `/v1/admin/flags/${key}`, root)).status).toBe(404);
    expect((await send("DELETE", `/v1/admin/flags/${key}`, root)).status).toBe(404);
    expect((await send("PATCH", `/v1/admin/flags/${key}`, root, { enabled: true })).status).toBe(404);
  });

  it("refuses a taken key (409), a bad key, rollout or role (422), and users that are not live accounts (422)", async () => {
    const root = await admin();
    const key = flagKey();
    expect((await send("POST", "/v1/admin/flags", root, { key })).status).toBe(201);
    const dup = await send("POST", "/v1/admin/flags", root, { key, enabled: true });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: "json.key", message: "is already taken" }]);

    const bad = async (body: object, path: string) => {
      const res = await send("POST", "/v1/admin/flags", root, { key: flagKey(), ...body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    };
    await bad({ key: "New-Player" }, "json.key");
    await bad({ rollout_percent: 101 }, "json.rollout_percent");
    await bad({ rollout_percent: 12.5 }, "json.rollout_percent");
    await bad({ allowed_roles: ["superuser"] }, "json.allowed_roles.0");
    await bad({ allowed_user_ids: ["not-a-uuid"] }, "json.allowed_user_ids.0");
    await bad({ surprise: true }, "json");

    const gone = await signedInUser();
    await softDeleteUser(gone.id);
    const unknown = await send("POST", "/v1/admin/flags", root, { key: flagKey(), allowed_user_ids: [MISSING, gone.id] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { message: string }) => e.message).sort()).toEqual([`${MISSING} is not an account`, `${gone.id} is not an account`].sort());
    const patched = await send("PATCH", `/v1/admin/flags/${key}`, root, { allowed_user_ids: [MISSING] });
    expect(patched.status).toBe(422);
    expect((await send("PATCH", `/v1/admin/flags/${key}`, root, {})).status).toBe(422);
    const [row] = await sql.query("SELECT allowed_user_ids::text[] AS ids FROM feature_flags WHERE key = $1", [key]);
    expect(row!.ids).toEqual([]);
  });

  it("records every change in the audit log with the admin as actor and the state before and after", async () => {
    const root = await admin();
    const key = flagKey();
    await send("POST", "/v1/admin/flags", root, { key });
    await send("PATCH", `/v1/admin/flags/${key}`, root, { enabled: true, rollout_percent: 5 });
    await send("DELETE", `/v1/admin/flags/${key}`, root);
    const rows = await sql.query(
      `SELECT action, user_id, actor_id, severity, metadata, old_data->>'rollout_percent' AS old_rollout, new_data->>'rollout_percent' AS new_rollout
         FROM audit_logs WHERE actor_id = $1 AND metadata->>'key' = $2 ORDER BY created_at`,
      [root.id, key],
    );
    expect(rows).toEqual([
      { action: "feature_flag.create", user_id: null, actor_id: root.id, severity: "info", metadata: { key }, old_rollout: null, new_rollout: "0" },
      { action: "feature_flag.update", user_id: null, actor_id: root.id, severity: "info", metadata: { key }, old_rollout: "0", new_rollout: "5" },
      { action: "feature_flag.delete", user_id: null, actor_id: root.id, severity: "warning", metadata: { key }, old_rollout: "5", new_rollout: null },
    ]);
  });
});
