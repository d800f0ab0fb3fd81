import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { dayFromToday, fullItem, imageFile, item, maintenance, makeFile, warranty } from "./fixtures";

const fieldPaths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((e) => e.path);

describe("warranties", () => {
  it("adds, lists, edits and deletes the warranties of my item, shown on the item", async () => {
    const ada = await signedInUser();
    const invoice = await makeFile(ada.id, { mime: "application/pdf", originalFilename: "invoice.pdf" });
    const mine = await fullItem(ada);
    const base = `/v1/me/equipment/${mine.id}/warranties`;
    const w = await warranty(ada, mine.id, { warranty_type: "retailer", policy_number: "P-1", document_file_ids: [invoice.id], notes: "Keep the box." });
    expect(w).toMatchObject({
      equipment_id: mine.id,
      provider: "Thomann",
      warranty_type: "retailer",
      policy_number: "P-1",
      start_date: "2024-05-01",
      end_date: "2027-05-01",
      status: "active",
      notes: "Keep the box.",
      expiry_notified_at: null,
      documents: [{ id: invoice.id, url: `/v1/me/equipment/${mine.id}/documents/${invoice.id}`, mime_type: "application/pdf", filename: "invoice.pdf" }],
    });
    const old = await warranty(ada, mine.id, { provider: "Shure", start_date: "2020-01-01", end_date: "2022-01-01" });
    expect(old.status).toBe("expired");
    expect(old.warranty_type).toBe("manufacturer");

    const list = await api("GET", base, { headers: ada.headers });
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([w.id, old.id]);
    const detail = await api("GET", `/v1/me/equipment/${mine.id}`, { headers: ada.headers });
    expect(detail.body.warranties).toEqual(list.body.items);
    expect(detail.body.warranty_ends_on).toBe("2027-05-01");

    const edited = await api("PATCH", `${base}/${w.id}`, { body: { end_date: "2028-05-01", policy_number: null, document_file_ids: [] }, headers: ada.headers });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ end_date: "2028-05-01", policy_number: null, documents: [] });

    expect((await api("DELETE", `${base}/${old.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("DELETE", `${base}/${old.id}`, { headers: ada.headers })).status).toBe(404);
    expect((await api("GET", base, { headers: ada.headers })).body.items.map((x: { id: string }) => x.id)).toEqual([w.id]);
  });

  it("refuses dates out of order, unknown types and foreign documents (422), and another item's warranty (404)", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const bobsPdf = await makeFile(bob.id, { mime: "application/pdf" });
    const audio = await makeFile(ada.id, { mime: "audio/wav" });
    const mine = await item(ada);
    const other = await item(ada, { model: "Other" });
    const base = `/v1/me/equipment/${mine.id}/warranties`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ provider: "X", start_date: "2025-02-01", end_date: "2025-01-31" }, "json.end_date"],
      [{ provider: "X", start_date: "2025-02-31", end_date: "2026-01-01" }, "json.start_date"],
      [{ provider: "X", start_date: "2025-01-01", end_date: "2026-01-01", warranty_type: "lifetime" }, "json.warranty_type"],
      [{ provider: "X", start_date: "2025-01-01", end_date: "2026-01-01", document_file_ids: [bobsPdf.id] }, "json.document_file_ids"],
      [{ provider: "X", start_date: "2025-01-01", end_date: "2026-01-01", document_file_ids: [audio.id] }, "json.document_file_ids"],
      [{ start_date: "2025-01-01", end_date: "2026-01-01" }, "json.provider"],
    ];
    for (const [body, path] of cases) {
      const res = await api("POST", base, { body, headers: ada.headers });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(fieldPaths(res.body), res.text).toContain(path);
    }
    const w = await warranty(ada, mine.id, { start_date: "2025-01-01", end_date: "2026-01-01" });
    // a single date meeting the stored other one out of order: the CHECK, read back as a field error
    const early = await api("PATCH", `${base}/${w.id}`, { body: { end_date: "2024-12-31" }, headers: ada.headers });
    expect(early.status).toBe(422);
    expect(fieldPaths(early.body)).toEqual(["json.end_date"]);
    // the warranty belongs to another of my items: not found under this one
    expect((await api("PATCH", `/v1/me/equipment/${other.id}/warranties/${w.id}`, { body: { provider: "Y" }, headers: ada.headers })).status).toBe(404);
    expect((await api("DELETE", `/v1/me/equipment/${other.id}/warranties/${w.id}`, { headers: ada.headers })).status).toBe(404);
    const [row] = await sql.query("SELECT provider, end_date::text AS end_date FROM equipment_warranties WHERE id = $1", [w.id]);
    expect(row).toEqual({ provider: "Thomann", end_date: "2026-01-01" });
  });

  it("holds at most 20 warranties per item (409)", async () => {
    const ada = await signedInUser();
    const mine = await item(ada);
    await sql.query(
      `INSERT INTO equipment_warranties (equipment_id, provider, start_date, end_date)
       SELECT $1, 'Bulk ' || n, '2020-01-01', '2021-01-01' FROM generate_series(1, 20) n`,
      [mine.id],
    );
    const res = await api("POST", `/v1/me/equipment/${mine.id}/warranties`, { body: { provider: "One more", start_date: "2025-01-01", end_date: "2026-01-01" }, headers: ada.headers });
    expect(res.status).toBe(409);
  });
});

describe("maintenance", () => {
  it("records the history newest first, by cursor, and shows the latest on the item", async () => {
    const ada = await signedInUser();
    const receipt = await imageFile(ada.id);
    const mine = await fullItem(ada);
    const first = await maintenance(ada, mine.id, { performed_on: "2024-06-01", maintenance_type: "setup", cost: "80.00", next_due_date: "2025-06-01" });
    expect(first).toMatchObject({ performed_on: "2024-06-01", maintenance_type: "setup", cost: "80.00", currency: "EUR", next_due_date: "2025-06-01" });
    const second = await maintenance(ada, mine.id, { performed_on: "2025-02-01", maintenance_type: "repair", performed_by: "Shop", currency: "USD", document_file_ids: [receipt.id] });
    expect(second).toMatchObject({ currency: "USD", performed_by: "Shop", documents: [{ id: receipt.id, mime_type: "image/png" }] });
    const third = await maintenance(ada, mine.id, { performed_on: "2024-12-01", maintenance_type: "cleaning" });

    const base = `/v1/me/equipment/${mine.id}/maintenance`;
    const page1 = await api("GET", `${base}?limit=2`, { headers: ada.headers });
    expect(page1.body.items.map((m: { id: string }) => m.id)).toEqual([second.id, third.id]);
    const page2 = await api("GET", `${base}?limit=2&cursor=${page1.body.next_cursor}`, { headers: ada.headers });
    expect(page2.body.items.map((m: { id: string }) => m.id)).toEqual([first.id]);
    expect(page2.body.next_cursor).toBeNull();

    const detail = await api("GET", `/v1/me/equipment/${mine.id}`, { headers: ada.headers });
    expect(detail.body).toMatchObject({ maintenance_count: 3, last_maintenance: { id: second.id }, next_maintenance_due: "2025-06-01" });

    const edited = await api("PATCH", `${base}/${first.id}`, { body: { next_due_date: null, notes: "Done" }, headers: ada.headers });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ next_due_date: null, notes: "Done" });
    expect((await api("DELETE", `${base}/${third.id}`, { headers: ada.headers })).status).toBe(204);
    expect((await api("GET", base, { headers: ada.headers })).body.items.map((m: { id: string }) => m.id)).toEqual([second.id, first.id]);
  });

  it("refuses bad dates, types, costs and foreign documents with a 422 naming the field", async () => {
    const ada = await signedInUser();
    const bob = await signedInUser();
    const bobsImage = await imageFile(bob.id);
    const mine = await item(ada);
    const base = `/v1/me/equipment/${mine.id}/maintenance`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ performed_on: "2025-03-01", maintenance_type: "service", next_due_date: "2025-02-01" }, "json.next_due_date"],
      [{ performed_on: dayFromToday(5), maintenance_type: "service" }, "json.performed_on"],
      [{ performed_on: "2025-03-01", maintenance_type: "polish" }, "json.maintenance_type"],
      [{ performed_on: "2025-03-01", maintenance_type: "service", cost: "-3" }, "json.cost"],
      [{ performed_on: "2025-03-01", maintenance_type: "service", document_file_ids: [bobsImage.id] }, "json.document_file_ids"],
      [{ maintenance_type: "service" }, "json.performed_on"],
    ];
    for (const [body, path] of cases) {
      const res = await api("POST", base, { body, headers: ada.headers });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(fieldPaths(res.body), res.text).toContain(path);
    }
    const m = await maintenance(ada, mine.id, { performed_on: "2025-03-01", next_due_date: "2025-09-01" });
    const late = await api("PATCH", `${base}/${m.id}`, { body: { performed_on: "2025-10-01" }, headers: ada.headers });
    expect(late.status).toBe(422);
    expect(fieldPaths(late.body)).toEqual(["json.next_due_date"]);
  });
});

describe("reminders", () => {
  it("lists warranties ending and maintenance due within the window, soonest first, for live items only", async () => {
    const ada = await signedInUser();
    const mic = await item(ada, { brand: "Neumann", model: "U87", nickname: "Big one" });
    const guitar = await item(ada, { brand: "Fender", model: "Strat" });
    const gone = await item(ada, { brand: "Gone", model: "Away" });
    const soon = await warranty(ada, mic.id, { start_date: "2024-01-01", end_date: dayFromToday(10) });
    await warranty(ada, mic.id, { start_date: "2024-01-01", end_date: dayFromToday(200) }); // beyond the window
    await warranty(ada, mic.id, { start_date: "2020-01-01", end_date: dayFromToday(-3) }); // already over
    const overdue = await maintenance(ada, guitar.id, { performed_on: dayFromToday(-400), maintenance_type: "restring", next_due_date: dayFromToday(-5) });
    // an older restring's due date is superseded by the newer restring
    await maintenance(ada, guitar.id, { performed_on: dayFromToday(-800), maintenance_type: "restring", next_due_date: dayFromToday(-700) });
    const setup = await maintenance(ada, guitar.id, { performed_on: dayFromToday(-100), maintenance_type: "setup", next_due_date: dayFromToday(20) });
    await warranty(ada, gone.id, { start_date: "2024-01-01", end_date: dayFromToday(3) });
    await api("DELETE", `/v1/me/equipment/${gone.id}`, { headers: ada.headers });

    const res = await api("GET", "/v1/me/equipment/reminders", { headers: ada.headers });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        kind: "maintenance_due",
        due_date: dayFromToday(-5),
        days_left: -5,
        equipment: { id: guitar.id, brand: "Fender", model: "Strat", nickname: null },
        warranty: null,
        maintenance: { id: overdue.id, maintenance_type: "restring", performed_on: dayFromToday(-400) },
      },
      {
        kind: "warranty_expiry",
        due_date: dayFromToday(10),
        days_left: 10,
        equipment: { id: mic.id, brand: "Neumann", model: "U87", nickname: "Big one" },
        warranty: { id: soon.id, provider: "Thomann", warranty_type: "manufacturer" },
        maintenance: null,
      },
      expect.objectContaining({ kind: "maintenance_due", due_date: dayFromToday(20), maintenance: expect.objectContaining({ id: setup.id }) }),
    ]);
    const narrow = await api("GET", "/v1/me/equipment/reminders?days=7", { headers: ada.headers });
    expect(narrow.body.items.map((r: { kind: string }) => r.kind)).toEqual(["maintenance_due"]);
    expect((await api("GET", "/v1/me/equipment/reminders?days=0", { headers: ada.headers })).status).toBe(422);
    const bob = await signedInUser();
    expect((await api("GET", "/v1/me/equipment/reminders", { headers: bob.headers })).body.items).toEqual([]);
  });
});
