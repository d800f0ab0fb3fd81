import { beforeAll, describe, expect, it, vi } from "vitest";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { awayFromStepEdge, codeAt, enableTwoFactor, ensureReplayColumn, PASSWORD, startEnrolment, userWithPassword, wrongCode, TWO_FACTOR_TEST_TIMEOUT_MS } from "./fixtures";

vi.setConfig({ testTimeout: TWO_FACTOR_TEST_TIMEOUT_MS });
beforeAll(ensureReplayColumn);

const configRows = async (userId: string) => sql.query("SELECT totp_enabled, backup_codes FROM two_factor_configs WHERE user_id = $1", [userId]);
const auditCount = async (userId: string, action: string) =>
  (await sql.query("SELECT count(*)::int AS n FROM audit_logs WHERE user_id = $1 AND action = $2", [userId, action]))[0]!.n as number;

describe("disabling 2FA", () => {
  it("needs the password and a current code, then deletes the config and audits it", async () => {
    const user = await userWithPassword();
    const { secret } = await enableTwoFactor(user);
    await awayFromStepEdge();
    const res = await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: PASSWORD, code: await codeAt(secret, 1) } });
    expect(res.status, res.text).toBe(204);
    expect(await configRows(user.id)).toEqual([]);
    const status = await api("GET", "/v1/me/2fa", { headers: user.headers });
    expect(status.body).toEqual({ enabled: false, enabled_at: null, backup_codes_remaining: 0 });
    const audit = await sql.query("SELECT severity, actor_id, metadata FROM audit_logs WHERE user_id = $1 AND action = 'auth.two_factor_disabled'", [user.id]);
    expect(audit).toEqual([{ severity: "warning", actor_id: user.id, metadata: { proof: "totp" } }]);
    // and enrolment can start again
    expect((await api("POST", "/v1/me/2fa/totp", { headers: user.headers })).status).toBe(201);
  });

  it("accepts a backup code instead of a TOTP code", async () => {
    const user = await userWithPassword();
    const { backupCodes } = await enableTwoFactor(user);
    const res = await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: PASSWORD, code: backupCodes[3] } });
    expect(res.status, res.text).toBe(204);
    expect(await configRows(user.id)).toEqual([]);
  });

  it("refuses a wrong password with a right code, without saying which was wrong or spending the code", async () => {
    const user = await userWithPassword();
    const { backupCodes } = await enableTwoFactor(user);
    const res = await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: "not the password", code: backupCodes[0] } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["json.code", "json.password"]);
    const [row] = await configRows(user.id);
    expect(row!.totp_enabled).toBe(true);
    expect(row!.backup_codes).toHaveLength(10);
    expect(await auditCount(user.id, "auth.two_factor_failed")).toBe(1);
    // the code still works with the right password
    expect((await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: PASSWORD, code: backupCodes[0] } })).status).toBe(204);
  });

  it("refuses the right password with a wrong, reused or missing code", async () => {
    const user = await userWithPassword();
    const { secret } = await enableTwoFactor(user);
    await awayFromStepEdge();
    const attempts = [{ password: PASSWORD, code: await wrongCode(secret) }, { password: PASSWORD, code: await codeAt(secret) }, { password: PASSWORD, code: "ABCDE-FGHJK" }];
    for (const body of attempts) {
      const res = await api("DELETE", "/v1/me/2fa", { headers: user.headers, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const missing = await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: PASSWORD } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.code"]);
    const [row] = await configRows(user.id);
    expect(row!.totp_enabled).toBe(true);
    expect(row!.backup_codes).toHaveLength(10);
  });

  it("answers 409 when 2FA is not on (nothing to disable), even during enrolment", async () => {
    const user = await userWithPassword();
    expect((await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: PASSWORD, code: "123456" } })).status).toBe(409);
    await startEnrolment(user);
    expect((await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: PASSWORD, code: "123456" } })).status).toBe(409);
  });
});

describe("new backup codes", () => {
  it("need a valid code; wrong ones are refused with 422 on json.code", async () => {
    const user = await signedInUser();
    const { secret } = await enableTwoFactor(user);
    const res = await api("POST", "/v1/me/2fa/backup-codes", { headers: user.headers, body: { code: await wrongCode(secret) } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "json.code" })]);
    const short = await api("POST", "/v1/me/2fa/backup-codes", { headers: user.headers, body: { code: "12" } });
    expect(short.status).toBe(422);
    expect(short.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.code"]);
  });

  it("can be made with an old backup code, which stops working with the rest of the old set", async () => {
    const user = await signedInUser();
    const { backupCodes } = await enableTwoFactor(user);
    const res = await api("POST", "/v1/me/2fa/backup-codes", { headers: user.headers, body: { code: backupCodes[9] } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.backup_codes).toHaveLength(10);
    const again = await api("POST", "/v1/me/2fa/backup-codes", { headers: user.headers, body: { code: backupCodes[8] } });
    expect(again.status).toBe(422);
    expect(await auditCount(user.id, "auth.two_factor_backup_codes_regenerated")).toBe(1);
  });

  it("answer 409 when 2FA is not on", async () => {
    const user = await signedInUser();
    expect((await api("POST", "/v1/me/2fa/backup-codes", { headers: user.headers, body: { code: "123456" } })).status).toBe(409);
  });
});

describe("guessing codes", () => {
  it("locks the 2FA routes with 429 and Retry-After after five wrong codes in 15 minutes", async () => {
    const user = await userWithPassword();
    const { secret } = await enableTwoFactor(user);
    const wrong = await wrongCode(secret);
    for (let i = 0; i < 5; i++) {
      expect((await api("POST", "/v1/me/2fa/backup-codes", { headers: user.headers, body: { code: wrong } })).status).toBe(422);
    }
    await awayFromStepEdge();
    const locked = await api("DELETE", "/v1/me/2fa", { headers: user.headers, body: { password: PASSWORD, code: await codeAt(secret, 1) } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(900);
    expect((await configRows(user.id))[0]!.totp_enabled).toBe(true);
    // other accounts are not affected
    const other = await userWithPassword();
    expect((await api("POST", "/v1/me/2fa/totp", { headers: other.headers })).status).toBe(201);
  });
});
