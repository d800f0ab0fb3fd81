import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { expectSignedInOnly, send, type Route } from "../helpers/authorisation";
import { sql } from "../helpers/db";
import { banUser, categoryId, item, maintenance, makeFile, softDeleteUser, warranty } from "./fixtures";

/** Every signed-in route of the module, against ada's item, warranty, maintenance entry and document. */
function routes(ids: { item: string; warranty: string; maintenance: string; document: string; category: string }): Route[] {
  const base = `/v1/me/equipment/${ids.item}`;
  return [
    ["POST", "/v1/me/equipment", { category_id: ids.category, brand: "X", model: "Y" }],
    ["GET", "/v1/me/equipment"],
    ["GET", "/v1/me/equipment/reminders"],
    ["GET", base],
    ["PATCH", base, { brand: "Taken over", is_public: true }],
    ["DELETE", base],
    ["GET", `${base}/documents/${ids.document}`],
    ["GET", `${base}/warranties`],
    ["POST", `${base}/warranties`, { provider: "P", start_date: "2025-01-01", end_date: "2026-01-01" }],
    ["PATCH", `${base}/warranties/${ids.warranty}`, { provider: "Changed" }],
    ["DELETE", `${base}/warranties/${ids.warranty}`],
    ["GET", `${base}/maintenance`],
    ["POST", `${base}/maintenance`, { performed_on: "2025-01-01", maintenance_type: "other" }],
    ["PATCH", `${base}/maintenance/${ids.maintenance}`, { notes: "Changed" }],
    ["DELETE", `${base}/maintenance/${ids.maintenance}`],
  ];
}

async function adasGear() {
  const ada = await signedInUser();
  const pdf = await makeFile(ada.id, { mime: "application/pdf" });
  const mine = await item(ada, { serial_number: "SN-ADA" });
  const w = await warranty(ada, mine.id, { document_file_ids: [pdf.id] });
  const m = await maintenance(ada, mine.id);
  return { ada, ids: { item: mine.id, warranty: w.id, maintenance: m.id, document: pdf.id, category: await categoryId() } };
}

async function expectUntouched(ids: { item: string; warranty: string; maintenance: string }) {
  const [row] = await sql.query(
    `SELECT e.brand, e.is_public, e.deleted_at, w.provider, m.notes,
            (SELECT count(*)::int FROM equipment_warranties x WHERE x.equipment_id = e.id) AS warranties,
            (SELECT count(*)::int FROM equipment_maintenance x WHERE x.equipment_id = e.id) AS entries
       FROM equipment e JOIN equipment_warranties w ON w.id = $2 JOIN equipment_maintenance m ON m.id = $3 WHERE e.id = $1`,
    [ids.item, ids.warranty, ids.maintenance],
  );
  expect(row).toEqual({ brand: "Shure", is_public: false, deleted_at: null, provider: "Thomann", notes: null, warranties: 1, entries: 1 });
}

describe("who may reach my equipment", () => {
  it("refuses every signed-in route anonymously (401), to a banned account (403) and to a deleted one (401)", async () => {
    const { ids } = await adasGear();
    await expectSignedInOnly(routes(ids));
    await expectUntouched(ids);
  });

  it("answers another user 404 on everything of my item (its existence is not confirmed), and changes nothing", async () => {
    const { ids } = await adasGear();
    const bob = await signedInUser();
    for (const route of routes(ids).filter(([, path]) => path.includes(ids.item))) {
      const res = await send(bob, route);
      expect(res.status, `${route[0]} ${route[1]}`).toBe(404);
      expect(res.text).not.toContain("SN-ADA");
    }
    await expectUntouched(ids);
  });

  it("refuses a banned or deleted owner their own items, and hides them from everyone", async () => {
    const { ada, ids } = await adasGear();
    await api("PATCH", `/v1/me/equipment/${ids.item}`, { body: { is_public: true }, headers: ada.headers });
    await banUser(ada.id);
    expect((await api("GET", `/v1/me/equipment/${ids.item}`, { headers: ada.headers })).status).toBe(403);
    expect((await api("GET", `/v1/equipment/${ids.item}`, { headers: ada.headers })).status).toBe(403);
    expect((await api("GET", `/v1/equipment/${ids.item}`)).status).toBe(404);

    const other = await adasGear();
    await softDeleteUser(other.ada.id);
    expect((await api("GET", `/v1/me/equipment/${other.ids.item}`, { headers: other.ada.headers })).status).toBe(401);
    expect((await api("GET", `/v1/users/${other.ada.username}/equipment`)).status).toBe(404);
  });

  it("answers the public routes to anyone, but refuses a bad token rather than answering anonymously", async () => {
    const { ids } = await adasGear();
    const banned = await signedInUser();
    await banUser(banned.id);
    expect((await api("GET", "/v1/equipment-categories")).status).toBe(200);
    expect((await api("GET", "/v1/equipment-categories", { headers: { Authorization: "Bearer nonsense" } })).status).toBe(401);
    expect((await api("GET", `/v1/equipment/${ids.item}`, { headers: banned.headers })).status).toBe(403);
  });
});
