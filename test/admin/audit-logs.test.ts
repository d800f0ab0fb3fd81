import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { createUser, expectPgError, one, sql, unique } from "../helpers/db";
import { as, roundTripsOf, signedInAdmin, withQuery } from "./fixtures";

type Entry = Record<string, any>;

/** Writes an application audit row directly (what the API's audit helpers write). */
async function auditRow(values: { action: string; userId: string; actorId?: string | null; severity?: string; createdAt?: string; metadata?: object }): Promise<Entry> {
  const [row] = await sql.query(
    `INSERT INTO audit_logs (action, user_id, actor_id, severity, metadata, ip_address, user_agent, created_at)
     VALUES ($1, $2, $3, $4::audit_severity, $5::jsonb, '203.0.113.7', 'tests/1.0', COALESCE($6::timestamptz, now()))
     RETURNING id, created_at`,
    [values.action, values.userId, values.actorId === undefined ? values.userId : values.actorId, values.severity ?? "info", JSON.stringify(values.metadata ?? {}), values.createdAt ?? null],
  );
  return row as Entry;
}

const search = (admin: { headers: Record<string, string> }, params: Record<string, string | number | undefined>) =>
  api("GET", withQuery("/v1/admin/audit-logs", params), { headers: admin.headers });

describe("GET /v1/admin/audit-logs", () => {
  it("lists a subject's entries newest first, with every column, in one round trip", async () => {
    const admin = await signedInAdmin();
    const subject = await createUser();
    const older = await auditRow({ action: "consent.change", userId: subject.id, createdAt: "2026-11-02T10:00:00Z", metadata: { marketing: true } });
    const newer = await auditRow({ action: "gdpr.export", userId: subject.id, actorId: null, severity: "warning", createdAt: "2026-11-03T10:00:00Z" });
    const { response, roundTrips } = await roundTripsOf(admin, "GET", `/v1/admin/audit-logs?user_id=${subject.id}`);
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
    const body = (await response.json()) as { items: Entry[]; next_cursor: string | null };
    // creating the user (now, after the dated rows) wrote a users INSERT row-change entry (the §22.3 trigger)
    const actions = body.items.map((e) => e.action ?? `${e.entity_type}.${e.operation}`);
    expect(actions).toEqual(["users.INSERT", "gdpr.export", "consent.change"]);
    expect(body.items[1]).toEqual({
      id: newer.id,
      created_at: "2026-11-03T10:00:00.000Z",
      action: "gdpr.export",
      entity_type: null,
      operation: null,
      entity_id: null,
      user_id: subject.id,
      actor_id: null,
      ip_address: "203.0.113.7",
      user_agent: "tests/1.0",
      request_id: null,
      severity: "warning",
      metadata: {},
      old_data: null,
      new_data: null,
    });
    expect(body.items[2]).toMatchObject({ id: older.id, actor_id: subject.id, metadata: { marketing: true } });
    expect(body.items[0]).toMatchObject({ entity_type: "users", operation: "INSERT", entity_id: subject.id, new_data: expect.objectContaining({ role: "user" }) });
    expect(body.next_cursor).toBeNull();
  });

  it("filters by actor, action (exact or prefix), entity, minimum severity and time range", async () => {
    const admin = await signedInAdmin();
    const actor = await createUser();
    const subject = await createUser();
    const login = await auditRow({ action: "auth.login_new_device", userId: actor.id, createdAt: "2026-10-01T00:00:00Z" });
    const ban = await auditRow({ action: "moderation.ban", userId: subject.id, actorId: actor.id, severity: "critical", createdAt: "2026-10-05T00:00:00Z" });
    const role = await auditRow({ action: "role.change", userId: subject.id, actorId: actor.id, severity: "warning", createdAt: "2026-10-10T00:00:00Z" });
    const ids = async (params: Record<string, string>) => {
      const res = await search(admin, { actor_id: actor.id, ...params });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((e: Entry) => e.id);
    };
    expect(await ids({})).toEqual([role.id, ban.id, login.id]);
    expect(await ids({ action: "moderation.ban" })).toEqual([ban.id]);
    expect(await ids({ action: "auth." })).toEqual([login.id]);
    expect(await ids({ severity: "warning" })).toEqual([role.id, ban.id]);
    expect(await ids({ severity: "critical" })).toEqual([ban.id]);
    expect(await ids({ user_id: subject.id })).toEqual([role.id, ban.id]);
    expect(await ids({ from: "2026-10-05T00:00:00Z", to: "2026-10-10T00:00:00Z" })).toEqual([ban.id]);
    // row-change entries by entity: the users trigger recorded the subject's creation
    const entity = await search(admin, { entity_type: "users", entity_id: subject.id });
    expect(entity.body.items.map((e: Entry) => [e.entity_type, e.operation, e.entity_id])).toEqual([["users", "INSERT", subject.id]]);
  });

  it("pages with a cursor, without gaps or repeats, also between entries of the same instant", async () => {
    const admin = await signedInAdmin();
    const subject = await createUser();
    const at = "2026-09-15T12:00:00Z";
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await auditRow({ action: "consent.change", userId: subject.id, createdAt: i < 3 ? at : `2026-09-1${i}T00:00:00Z` }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await search(admin, { user_id: subject.id, action: "consent.change", limit: 2, cursor });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((e: Entry) => e.id));
      cursor = res.body.next_cursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen.sort()).toEqual(made.map((m) => m.id).sort());
  });

  it("answers 422 for bad filters and a forged cursor", async () => {
    const admin = await signedInAdmin();
    for (const [params, path] of [
      [{ actor_id: "nope" }, "query.actor_id"],
      [{ severity: "loud" }, "query.severity"],
      [{ from: "yesterday" }, "query.from"],
      [{ from: "2026-10-02T00:00:00Z", to: "2026-10-01T00:00:00Z" }, "query.to"],
      [{ action: "Drop Table" }, "query.action"],
      [{ limit: 500 }, "query.limit"],
      [{ cursor: "bm90IGEgY3Vyc29y" }, "query.cursor"],
    ] as const) {
      const res = await search(admin, params);
      expect(res.status, JSON.stringify(params)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });
});

describe("Audit rows cannot be altered through any route", () => {
  it("no route of the API offers anything but reading the audit log", async () => {
    const doc = (await api("GET", "/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const auditPaths = Object.entries(doc.paths).filter(([path]) => /audit/i.test(path));
    expect(auditPaths.map(([path, ops]) => [path, Object.keys(ops)])).toEqual([["/v1/admin/audit-logs", ["get"]]]);
  });

  it("an admin's writes to the audit log's URLs change nothing", async () => {
    const admin = await signedInAdmin();
    const subject = await createUser();
    const entry = await auditRow({ action: "role.change", userId: subject.id, severity: "warning", metadata: { role: "admin" } });
    const before = await one("SELECT to_jsonb(a) AS row FROM audit_logs a WHERE id = $1", [entry.id]);
    const body = { severity: "info", metadata: {}, action: "role.forged" };
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      for (const path of ["/v1/admin/audit-logs", `/v1/admin/audit-logs/${entry.id}`, `/v1/admin/audit-logs?user_id=${subject.id}`]) {
        const res = await as(admin, method, path, method === "DELETE" ? undefined : body);
        expect([404, 405], `${method} ${path}`).toContain(res.status);
      }
    }
    expect(await one("SELECT to_jsonb(a) AS row FROM audit_logs a WHERE id = $1", [entry.id])).toEqual(before);
    expect((await one("SELECT count(*)::int AS n FROM audit_logs WHERE user_id = $1 AND action IS NOT NULL", [subject.id])).n).toBe(1);
  });

  it("the database refuses UPDATE, DELETE and TRUNCATE, on the table and on its partitions", async () => {
    const subject = await createUser();
    const entry = await auditRow({ action: "account.delete", userId: subject.id, severity: "warning" });
    const partition = (await one("SELECT tableoid::regclass::text AS name FROM audit_logs WHERE id = $1", [entry.id])).name as string;
    await expectPgError(sql.query("UPDATE audit_logs SET severity = 'info' WHERE id = $1", [entry.id]), "42501");
    await expectPgError(sql.query("UPDATE audit_logs SET actor_id = NULL WHERE id = $1", [entry.id]), "42501");
    await expectPgError(sql.query("DELETE FROM audit_logs WHERE id = $1", [entry.id]), "42501");
    await expectPgError(sql.query(`UPDATE ${partition} SET metadata = '{}' WHERE id = $1`, [entry.id]), "42501");
    await expectPgError(sql.query(`DELETE FROM ${partition} WHERE id = $1`, [entry.id]), "42501");
    await expectPgError(sql.query("TRUNCATE audit_logs"), "42501");
    expect(await one("SELECT action, severity FROM audit_logs WHERE id = $1", [entry.id])).toEqual({ action: "account.delete", severity: "warning" });
  });

  it("while retention can still detach and drop a whole partition", async () => {
    // a one-day partition far in the future, so no other test's partitions or rows can overlap it
    const year = 3000 + Math.floor(Math.random() * 5000);
    const name = `audit_logs_t${unique()}`;
    await sql.query(`CREATE TABLE ${name} PARTITION OF audit_logs FOR VALUES FROM ('${year}-06-01') TO ('${year}-06-02')`);
    const subject = await createUser();
    const entry = await auditRow({ action: "consent.change", userId: subject.id, createdAt: `${year}-06-01T12:00:00Z` });
    expect((await one("SELECT tableoid::regclass::text AS name FROM audit_logs WHERE id = $1", [entry.id])).name).toBe(name);
    await sql.query(`ALTER TABLE audit_logs DETACH PARTITION ${name}`);
    await sql.query(`DROP TABLE ${name}`);
    expect((await sql.query("SELECT 1 FROM audit_logs WHERE id = $1", [entry.id])).length).toBe(0);
  });
});

describe("application audit events", () => {
  it("signing out everywhere is searchable by its actor with its IP and user agent", async () => {
    const admin = await signedInAdmin();
    const user = await signedInUser();
    await api("POST", "/v1/auth/logout-all", { headers: { ...user.headers, "user-agent": "audit-probe/2.0" } });
    const res = await search(admin, { actor_id: user.id, action: "auth." });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ action: "auth.logout_all", user_id: user.id, actor_id: user.id, user_agent: "audit-probe/2.0" })]);
  });
});
