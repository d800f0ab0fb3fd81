import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { decryptSecret } from "../../src/lib/crypto";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { awayFromStepEdge, codeAt, enableTwoFactor, ensureReplayColumn, startEnrolment, wrongCode, TWO_FACTOR_TEST_TIMEOUT_MS } from "./fixtures";

vi.setConfig({ testTimeout: TWO_FACTOR_TEST_TIMEOUT_MS });
beforeAll(ensureReplayColumn);

const configOf = (userId: string) =>
  one("SELECT totp_secret, totp_enabled, totp_enabled_at, backup_codes, totp_last_used_step FROM two_factor_configs WHERE user_id = $1", [userId]);

describe("TOTP enrolment", () => {
  it("starts with a base32 secret and an otpauth:// URI for authenticator apps", async () => {
    const user = await signedInUser();
    const { secret, otpauth_uri } = await startEnrolment(user);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
    expect(otpauth_uri).toBe(`otpauth://totp/Veza:${user.username}?secret=${secret}&issuer=Veza&algorithm=SHA1&digits=6&period=30`);
  });

  it("stores the secret encrypted, not enabled yet", async () => {
    const user = await signedInUser();
    const { secret } = await startEnrolment(user);
    const row = await configOf(user.id);
    expect(row.totp_enabled).toBe(false);
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(await decryptSecret(row.totp_secret as string, env.ENCRYPTION_KEY)).toBe(secret);
    const status = await api("GET", "/v1/me/2fa", { headers: user.headers });
    expect(status.body).toEqual({ enabled: false, enabled_at: null, backup_codes_remaining: 0 });
  });

  it("replaces a pending secret when started again, and only the new one confirms", async () => {
    const user = await signedInUser();
    const first = await startEnrolment(user);
    const second = await startEnrolment(user);
    expect(second.secret).not.toBe(first.secret);
    await awayFromStepEdge();
    const stale = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: await codeAt(first.secret) } });
    expect(stale.status).toBe(422);
    const fresh = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: await codeAt(second.secret) } });
    expect(fresh.status, fresh.text).toBe(200);
  });

  it("confirms with a code from an independent TOTP implementation and returns ten backup codes once", async () => {
    const user = await signedInUser();
    const { secret, backupCodes } = await enableTwoFactor(user);
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    for (const code of backupCodes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);

    const row = await configOf(user.id);
    expect(row.totp_enabled).toBe(true);
    expect(row.totp_enabled_at).not.toBeNull();
    const stored = row.backup_codes as string[];
    expect(stored).toHaveLength(10);
    for (const hash of stored) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(row);
    for (const code of backupCodes) expect(dump).not.toContain(code.replace("-", ""));
    expect(dump).not.toContain(secret);

    const status = await api("GET", "/v1/me/2fa", { headers: user.headers });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ enabled: true, backup_codes_remaining: 10 });
    expect(new Date(status.body.enabled_at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const audit = await sql.query("SELECT actor_id, severity FROM audit_logs WHERE user_id = $1 AND action = 'auth.two_factor_enabled'", [user.id]);
    expect(audit).toEqual([{ actor_id: user.id, severity: "info" }]);
  });

  it("refuses to enrol again or re-confirm while 2FA is on", async () => {
    const user = await signedInUser();
    const { secret } = await enableTwoFactor(user);
    const before = await configOf(user.id);
    expect((await api("POST", "/v1/me/2fa/totp", { headers: user.headers })).status).toBe(409);
    const again = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: await codeAt(secret, 1) } });
    expect(again.status).toBe(409);
    expect((await configOf(user.id)).totp_secret).toBe(before.totp_secret);
  });

  it("answers a wrong code with 422 on json.code and leaves 2FA off", async () => {
    const user = await signedInUser();
    const { secret } = await startEnrolment(user);
    const res = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: await wrongCode(secret) } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "json.code" })]);
    expect((await configOf(user.id)).totp_enabled).toBe(false);
  });

  it.each([[{ code: "12345" }], [{ code: "abcdef" }], [{ code: 123456 }], [{}]])("answers a malformed body %j with 422 on json.code", async (body) => {
    const user = await signedInUser();
    await startEnrolment(user);
    const res = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.code"]);
  });

  it("accepts a code typed with a space in the middle", async () => {
    const user = await signedInUser();
    const { secret } = await startEnrolment(user);
    await awayFromStepEdge();
    const code = await codeAt(secret);
    const res = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: `${code.slice(0, 3)} ${code.slice(3)}` } });
    expect(res.status, res.text).toBe(200);
  });

  it("refuses to confirm when no enrolment was started", async () => {
    const user = await signedInUser();
    const res = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: "123456" } });
    expect(res.status).toBe(409);
  });
});

describe("clock drift", () => {
  it.each([-1, 1])("accepts the code of the step %i away from now", async (steps) => {
    const user = await signedInUser();
    const { secret } = await startEnrolment(user);
    await awayFromStepEdge();
    const res = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: await codeAt(secret, steps) } });
    expect(res.status, res.text).toBe(200);
  });

  it.each([-2, 2])("refuses the code of the step %i away from now", async (steps) => {
    const user = await signedInUser();
    const { secret } = await startEnrolment(user);
    await awayFromStepEdge();
    const res = await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: await codeAt(secret, steps) } });
    expect(res.status).toBe(422);
  });
});
