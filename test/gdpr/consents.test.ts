import { describe, expect, it } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { withRoundTrips } from "../helpers/round-trips";
import { auditRows } from "./helpers";

const device = { "cf-connecting-ip": "203.0.113.7", "user-agent": "ConsentTest/1.0" };

describe("PATCH /v1/me/consents", () => {
  it("gives marketing consent, stamps its time and audits the old and new state of both consents", async () => {
    const user = await signedInUser();
    const before = Date.now();
    const res = await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true }, headers: { ...user.headers, ...device } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data_processing_consent: true, marketing_consent: true });
    expect(Date.parse(res.body.marketing_consent_at)).toBeGreaterThanOrEqual(before - 5_000);

    const [row] = await sql.query("SELECT marketing_consent, marketing_consent_at FROM users WHERE id = $1", [user.id]);
    expect(row!.marketing_consent).toBe(true);
    expect(new Date(row!.marketing_consent_at).toISOString()).toBe(res.body.marketing_consent_at);

    const audit = await auditRows(user.id, "consent.change");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      user_id: user.id,
      actor_id: user.id,
      ip: "203.0.113.7",
      user_agent: "ConsentTest/1.0",
      severity: "info",
      old_data: { data_processing_consent: true, marketing_consent: false },
      new_data: { data_processing_consent: true, marketing_consent: true },
    });
    expect(audit[0]!.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("withdraws marketing consent and records it as a second change", async () => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET marketing_consent = true, marketing_consent_at = now() - interval '1 day' WHERE id = $1", [user.id]);
    const res = await api("PATCH", "/v1/me/consents", { body: { marketing_consent: false }, headers: user.headers });
    expect(res.status).toBe(200);
    expect(res.body.marketing_consent).toBe(false);
    expect(Date.now() - Date.parse(res.body.marketing_consent_at)).toBeLessThan(60_000);
    const audit = await auditRows(user.id, "consent.change");
    expect(audit.map((a) => [a.old_data.marketing_consent, a.new_data.marketing_consent])).toEqual([[true, false]]);
  });

  it("changes nothing and writes nothing when the value is already the stored one", async () => {
    const user = await signedInUser();
    const [before] = await sql.query("SELECT marketing_consent_at, updated_at FROM users WHERE id = $1", [user.id]);
    const res = await api("PATCH", "/v1/me/consents", { body: { marketing_consent: false, data_processing_consent: true }, headers: user.headers });
    expect(res.status).toBe(200);
    expect(res.body.marketing_consent_at).toBeNull();
    const [after] = await sql.query("SELECT marketing_consent_at, updated_at FROM users WHERE id = $1", [user.id]);
    expect(after).toEqual(before);
    expect(await auditRows(user.id, "consent.change")).toHaveLength(0);
  });

  it("grants data_processing_consent to an account that lacks it", async () => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET data_processing_consent = false, data_processing_consent_at = NULL WHERE id = $1", [user.id]);
    const res = await api("PATCH", "/v1/me/consents", { body: { data_processing_consent: true }, headers: user.headers });
    expect(res.status).toBe(200);
    expect(res.body.data_processing_consent).toBe(true);
    expect(res.body.data_processing_consent_at).not.toBeNull();
    const audit = await auditRows(user.id, "consent.change");
    expect(audit[0]!.old_data).toEqual({ data_processing_consent: false, marketing_consent: false });
    expect(audit[0]!.new_data).toEqual({ data_processing_consent: true, marketing_consent: false });
  });

  it("refuses to withdraw data_processing_consent on its own (409) and changes nothing, marketing included", async () => {
    const user = await signedInUser();
    const res = await api("PATCH", "/v1/me/consents", { body: { data_processing_consent: false, marketing_consent: true }, headers: user.headers });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
    expect(res.body.detail).toMatch(/DELETE \/v1\/me/);
    const [row] = await sql.query("SELECT data_processing_consent, marketing_consent, deleted_at FROM users WHERE id = $1", [user.id]);
    expect(row).toEqual({ data_processing_consent: true, marketing_consent: false, deleted_at: null });
    expect(await auditRows(user.id, "consent.change")).toHaveLength(0);
  });

  it("writes the change and its audit row in one round trip once the auth state is cached", async () => {
    const user = await signedInUser();
    await api("PATCH", "/v1/me/consents", { body: { marketing_consent: false }, headers: user.headers }); // warms the auth cache
    const { response, roundTrips } = await withRoundTrips(
      new Request("https://veza.test/v1/me/consents", {
        method: "PATCH",
        headers: { ...user.headers, "content-type": "application/json" },
        body: JSON.stringify({ marketing_consent: true }),
      }),
    );
    expect(response.status).toBe(200);
    expect(roundTrips).toBe(1);
    expect(await auditRows(user.id, "consent.change")).toHaveLength(1);
  });

  it("drops a malformed client address instead of failing the request", async () => {
    const user = await signedInUser();
    const res = await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true }, headers: { ...user.headers, "x-forwarded-for": "not-an-ip" } });
    expect(res.status).toBe(200);
    expect((await auditRows(user.id, "consent.change"))[0]!.ip).toBeNull();
  });

  describe("bad input", () => {
    it.each([
      [{}, "json"],
      [{ marketing_consent: "yes" }, "json.marketing_consent"],
      [{ data_processing_consent: null }, "json.data_processing_consent"],
      [{ marketing_consent: true, newsletter: true }, "json"],
    ])("answers 422 for %j with the path %s", async (body, path) => {
      const user = await signedInUser();
      const res = await api("PATCH", "/v1/me/consents", { body, headers: user.headers });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });
  });

  describe("authorisation", () => {
    it("refuses anonymous requests (401)", async () => {
      const res = await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true } });
      expect(res.status).toBe(401);
    });

    it("refuses a banned user (403)", async () => {
      const user = await signedInUser();
      await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [user.id]);
      const res = await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true }, headers: user.headers });
      expect(res.status).toBe(403);
      expect((await sql.query("SELECT marketing_consent FROM users WHERE id = $1", [user.id]))[0]!.marketing_consent).toBe(false);
    });

    it("refuses a soft-deleted user (401)", async () => {
      const user = await signedInUser();
      await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [user.id]);
      const res = await api("PATCH", "/v1/me/consents", { body: { marketing_consent: true }, headers: user.headers });
      expect(res.status).toBe(401);
    });
  });

  it("documents the GDPR routes in the OpenAPI document", async () => {
    const doc = await api("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths["/v1/me/consents"])).toEqual(["patch"]);
    expect(Object.keys(doc.body.paths["/v1/me/export"]).sort()).toEqual(["get", "post"]);
    expect(doc.body.components.schemas).toHaveProperty("ExportStatus");
    expect(Object.keys(doc.body.paths["/v1/me/exports/{id}"])).toEqual(["get"]);
    expect(doc.body.paths["/v1/me"].delete.responses).toHaveProperty("204");
    expect(doc.body.components.schemas).toHaveProperty("Consents");
  });
});
