import { beforeAll, describe, expect, it, vi } from "vitest";
import { forgetAuthState } from "../../src/lib/auth/state";
import { api, signedInUser } from "../helpers/auth";
import { sql } from "../helpers/db";
import { awayFromStepEdge, codeAt, enableTwoFactor, ensureReplayColumn, PASSWORD, userWithPassword, TWO_FACTOR_TEST_TIMEOUT_MS } from "./fixtures";

vi.setConfig({ testTimeout: TWO_FACTOR_TEST_TIMEOUT_MS });
beforeAll(ensureReplayColumn);

const routes: [string, string, unknown][] = [
  ["GET", "/v1/me/2fa", undefined],
  ["POST", "/v1/me/2fa/totp", undefined],
  ["POST", "/v1/me/2fa/totp/confirm", { code: "123456" }],
  ["DELETE", "/v1/me/2fa", { password: "whatever", code: "123456" }],
  ["POST", "/v1/me/2fa/backup-codes", { code: "123456" }],
];

describe("who may use the 2FA routes", () => {
  it.each(routes)("%s %s refuses anonymous requests with 401", async (method, path, body) => {
    const res = await api(method, path, { body });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("unauthenticated");
  });

  it.each(routes)("%s %s refuses banned users with 403", async (method, path, body) => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [user.id]);
    await forgetAuthState(user.id);
    const res = await api(method, path, { body, headers: user.headers });
    expect(res.status).toBe(403);
  });

  it.each(routes)("%s %s refuses soft-deleted users with 401", async (method, path, body) => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [user.id]);
    await forgetAuthState(user.id);
    const res = await api(method, path, { body, headers: user.headers });
    expect(res.status).toBe(401);
  });

  it("keeps each user's 2FA their own: another user's code and password do nothing to it", async () => {
    const alice = await userWithPassword();
    const bob = await userWithPassword();
    const a = await enableTwoFactor(alice);
    await awayFromStepEdge();
    // Bob has nothing to confirm or disable, whatever Alice's codes are
    expect((await api("POST", "/v1/me/2fa/totp/confirm", { headers: bob.headers, body: { code: await codeAt(a.secret, 1) } })).status).toBe(409);
    expect((await api("DELETE", "/v1/me/2fa", { headers: bob.headers, body: { password: PASSWORD, code: a.backupCodes[0] } })).status).toBe(409);
    // with 2FA of his own, Alice's codes are still wrong for him
    const b = await enableTwoFactor(bob);
    expect((await api("DELETE", "/v1/me/2fa", { headers: bob.headers, body: { password: PASSWORD, code: a.backupCodes[0] } })).status).toBe(422);
    expect((await api("POST", "/v1/me/2fa/backup-codes", { headers: bob.headers, body: { code: await codeAt(a.secret, 1) } })).status).toBe(422);
    expect((await api("GET", "/v1/me/2fa", { headers: alice.headers })).body.backup_codes_remaining).toBe(10);
    expect(b.secret).not.toBe(a.secret);
  });
});
