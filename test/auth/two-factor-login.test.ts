// Sign-in with two-factor authentication on: a TOTP code computed by an independent implementation,
// a backup code (single use), and wrong codes counting toward the lockout.
import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";
import { sql } from "../helpers/db";
import { totpCode } from "../two-factor/totp";
import { accountWithPassword, bearer, device, login, PASSWORD } from "./support";

/** An account with 2FA enrolled and confirmed through the API; its secret and backup codes. */
async function accountWith2fa() {
  const account = await accountWithPassword();
  const headers = device();
  const session = (await login(account.username, PASSWORD, headers)).body.session as { accessToken: string };
  const enrol = await api("POST", "/v1/me/2fa/totp", { headers: bearer(session.accessToken, headers) });
  expect(enrol.status, enrol.text).toBe(201);
  const confirm = await api("POST", "/v1/me/2fa/totp/confirm", {
    body: { code: await totpCode(enrol.body.secret) },
    headers: bearer(session.accessToken, headers),
  });
  expect(confirm.status, confirm.text).toBe(200);
  return { account, headers, secret: enrol.body.secret as string, backupCodes: confirm.body.backup_codes as string[] };
}

describe("POST /v1/auth/login with two-factor authentication", { timeout: 30_000 }, () => {
  it("signs in with the next TOTP code, and refuses it the second time", async () => {
    const { account, headers, secret } = await accountWith2fa();
    expect((await login(account.username, PASSWORD, headers)).body.errors).toEqual([{ path: "json.code", message: "required" }]);
    // the confirmation used this step's code: the next step's is within the ±1 window and unused
    const code = await totpCode(secret, new Date(Date.now() + 30_000));
    const ok = await login(account.username, PASSWORD, headers, code);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.user.id).toBe(account.id);
    const replay = await login(account.username, PASSWORD, headers, code);
    expect(replay.status).toBe(401);
    expect(replay.body.errors).toEqual([{ path: "json.code", message: "invalid" }]);
  });

  it("signs in with a backup code once", async () => {
    const { account, headers, backupCodes } = await accountWith2fa();
    const ok = await login(account.email, PASSWORD, headers, backupCodes[3]);
    expect(ok.status, ok.text).toBe(200);
    expect((await login(account.email, PASSWORD, headers, backupCodes[3])).status).toBe(401);
    expect((await login(account.email, PASSWORD, headers, backupCodes[4])).status).toBe(200);
  });

  it("counts wrong codes toward the identifier's lockout", async () => {
    const { account, headers, secret } = await accountWith2fa();
    for (let i = 0; i < 5; i++) {
      const res = await login(account.username, PASSWORD, headers, "000000");
      expect(res.status).toBe(401);
    }
    const locked = await login(account.username, PASSWORD, headers, await totpCode(secret, new Date(Date.now() + 30_000)));
    expect(locked.status).toBe(429);
    const [row] = await sql.query(`SELECT count(*)::int AS n FROM login_attempts WHERE identifier = $1 AND failure_reason = 'invalid_second_factor'`, [
      account.username.toLowerCase(),
    ]);
    expect(row!.n).toBe(5);
  });

  it("asks nothing more of an account without 2FA", async () => {
    const account = await accountWithPassword();
    expect((await login(account.username, PASSWORD, device(), "123456")).status).toBe(200);
  });
});
