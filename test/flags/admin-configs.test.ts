import { describe, expect, it } from "vitest";
import { sql } from "../helpers/db";
import { admin, flagKey, send } from "./fixtures";

describe("admins' system settings", () => {
  it("creates, reads, lists, changes and deletes a typed setting", async () => {
    const root = await admin();
    const key = flagKey("cfg");
    const created = await send("POST", "/v1/admin/configs", root, { key, value_type: "number", value: 60, description: "Longest track, in minutes" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key, value_type: "number", value: 60, is_public: false, description: "Longest track, in minutes", updated_by: root.id });
    expect((await send("GET", `/v1/admin/configs/${key}`, root)).body).toEqual(created.body);
    expect((await send("GET", "/v1/admin/configs", root)).body.items.find((c: { key: string }) => c.key === key)).toEqual(created.body);

    const changed = await send("PATCH", `/v1/admin/configs/${key}`, root, { value: 90, is_public: true });
    expect(changed.body).toMatchObject({ value: 90, value_type: "number", is_public: true });
    const retyped = await send("PATCH", `/v1/admin/configs/${key}`, root, { value_type: "json", value: { minutes: 90 } });
    expect(retyped.body).toMatchObject({ value: { minutes: 90 }, value_type: "json" });
    expect((await send("GET", "/v1/flags")).body.configs[key]).toEqual({ minutes: 90 });

    expect((await send("DELETE", `/v1/admin/configs/${key}`, root)).status).toBe(204);
    expect((await send("GET", `/v1/admin/configs/${key}`, root)).status).toBe(404);
    expect(Object.keys((await send("GET", "/v1/flags")).body.configs)).not.toContain(key);
    expect((await send("PATCH", `/v1/admin/configs/${key}`, root, { value: 1 })).status).toBe(404);
  });

  it("accepts each type's values and refuses a value of the wrong type (422 on json.value)", async () => {
    const root = await admin();
    const good: Array<[string, unknown]> = [["string", "Veza"], ["number", 2.5], ["boolean", false], ["json", [1, 2]], ["json", { a: 1 }]];
    for (const [value_type, value] of good) {
      expect((await send("POST", "/v1/admin/configs", root, { key: flagKey("cfg"), value_type, value })).status, `${value_type} ${JSON.stringify(value)}`).toBe(201);
    }
    const wrong: Array<[string, unknown]> = [["string", 1], ["number", "10"], ["boolean", "true"], ["json", "{}"], ["json", 3], ["number", null], ["string", null]];
    for (const [value_type, value] of wrong) {
      const res = await send("POST", "/v1/admin/configs", root, { key: flagKey("cfg"), value_type, value });
      expect(res.status, `${value_type} ${JSON.stringify(value)}`).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("json.value");
    }
    const missing = await send("POST", "/v1/admin/configs", root, { key: flagKey("cfg"), value_type: "string" });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toContainEqual({ path: "json.value", message: "is required" });
    expect((await send("POST", "/v1/admin/configs", root, { key: flagKey("cfg"), value_type: "yaml", value: "x" })).status).toBe(422);
    expect((await send("POST", "/v1/admin/configs", root, { key: flagKey("cfg"), value_type: "string", value: "x".repeat(17 * 1024) })).status).toBe(422);
  });

  it("checks a changed value against the stored type, and a new type against the stored value", async () => {
    const root = await admin();
    const key = flagKey("cfg");
    await send("POST", "/v1/admin/configs", root, { key, value_type: "boolean", value: true });
    const wrongValue = await send("PATCH", `/v1/admin/configs/${key}`, root, { value: "yes" });
    expect(wrongValue.status).toBe(422);
    expect(wrongValue.body.errors).toEqual([{ path: "json.value", message: "must be true or false (value_type boolean)" }]);
    const wrongType = await send("PATCH", `/v1/admin/configs/${key}`, root, { value_type: "number" });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors).toEqual([{ path: "json.value", message: "must be a number (value_type number)" }]);
    expect((await send("PATCH", `/v1/admin/configs/${key}`, root, { value_type: "string", value: false })).status).toBe(422);
    const [row] = await sql.query("SELECT value, value_type FROM system_configs WHERE key = $1", [key]);
    expect(row).toEqual({ value: true, value_type: "boolean" });
    expect((await send("POST", "/v1/admin/configs", root, { key, value_type: "boolean", value: false })).status).toBe(409);
  });

  it("records every change in the audit log", async () => {
    const root = await admin();
    const key = flagKey("cfg");
    await send("POST", "/v1/admin/configs", root, { key, value_type: "string", value: "a" });
    await send("PATCH", `/v1/admin/configs/${key}`, root, { value: "b" });
    await send("DELETE", `/v1/admin/configs/${key}`, root);
    const rows = await sql.query(
      "SELECT action, actor_id, old_data->'value' AS old_value, new_data->'value' AS new_value FROM audit_logs WHERE actor_id = $1 AND metadata->>'key' = $2 ORDER BY created_at",
      [root.id, key],
    );
    expect(rows).toEqual([
      { action: "system_config.create", actor_id: root.id, old_value: null, new_value: "a" },
      { action: "system_config.update", actor_id: root.id, old_value: "a", new_value: "b" },
      { action: "system_config.delete", actor_id: root.id, old_value: "b", new_value: null },
    ]);
  });
});
