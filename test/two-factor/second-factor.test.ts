import { createRoute, z } from "@hono/zod-openapi";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { verifySecondFactor } from "../../src/domains/two-factor/service";
import { createRouter } from "../../src/lib/router";
import { api, signedInUser } from "../helpers/auth";
import { one, sql } from "../helpers/db";
import { awayFromStepEdge, codeAt, enableTwoFactor, ensureReplayColumn, startEnrolment, wrongCode, TWO_FACTOR_TEST_TIMEOUT_MS } from "./fixtures";

vi.setConfig({ testTimeout: TWO_FACTOR_TEST_TIMEOUT_MS });
beforeAll(ensureReplayColumn);

// The login route (another part) calls verifySecondFactor; this probe calls it the same way,
// through the real app's middleware and database.
const probe = createRouter().openapi(
  createRoute({
    method: "post",
    path: "/probe/second-factor",
    request: { body: { content: { "application/json": { schema: z.object({ userId: z.string(), code: z.string() }) } } } },
    responses: { 200: { description: "verdict" } },
  }),
  async (c) => {
    const { userId, code } = c.req.valid("json");
    return c.json({ ok: await verifySecondFactor(c, userId, code) });
  },
);
const app = createApp((root) => root.route("/", probe));

async function verify(userId: string, code: string): Promise<boolean> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request("http://veza.test/probe/second-factor", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, code }) }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  return ((await res.json()) as { ok: boolean }).ok;
}

const remaining = async (userId: string) =>
  Number((await one("SELECT jsonb_array_length(backup_codes) AS n FROM two_factor_configs WHERE user_id = $1", [userId])).n);

describe("verifySecondFactor (the login's check)", () => {
  it("accepts a current TOTP code once, and not again in its window", async () => {
    const user = await signedInUser();
    const { secret } = await enableTwoFactor(user);
    await awayFromStepEdge();
    const next = await codeAt(secret, 1);
    expect(await verify(user.id, next)).toBe(true);
    expect(await verify(user.id, next)).toBe(false);
  });

  it("refuses the code that confirmed the enrolment (already used)", async () => {
    const user = await signedInUser();
    const { secret } = await startEnrolment(user);
    await awayFromStepEdge();
    const code = await codeAt(secret);
    expect((await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code } })).status).toBe(200);
    expect(await verify(user.id, code)).toBe(false);
  });

  it("refuses an earlier step's code once a later one was used", async () => {
    const user = await signedInUser();
    const { secret } = await startEnrolment(user);
    await awayFromStepEdge();
    expect((await api("POST", "/v1/me/2fa/totp/confirm", { headers: user.headers, body: { code: await codeAt(secret, 1) } })).status).toBe(200);
    expect(await verify(user.id, await codeAt(secret, 0))).toBe(false);
    expect(await verify(user.id, await codeAt(secret, -1))).toBe(false);
  });

  it("accepts each backup code exactly once, typed in any case and without the hyphen", async () => {
    const user = await signedInUser();
    const { backupCodes } = await enableTwoFactor(user);
    expect(await verify(user.id, backupCodes[0]!)).toBe(true);
    expect(await verify(user.id, backupCodes[0]!)).toBe(false);
    expect(await remaining(user.id)).toBe(9);
    expect(await verify(user.id, backupCodes[1]!.replace("-", "").toLowerCase())).toBe(true);
    expect(await remaining(user.id)).toBe(8);
    const audit = await sql.query("SELECT count(*)::int AS n FROM audit_logs WHERE user_id = $1 AND action = 'auth.two_factor_backup_code_used'", [user.id]);
    expect(audit[0]!.n).toBe(2);
    const status = await api("GET", "/v1/me/2fa", { headers: user.headers });
    expect(status.body.backup_codes_remaining).toBe(8);
  });

  it("lets only one of two concurrent uses of a backup code win", async () => {
    const user = await signedInUser();
    const { backupCodes } = await enableTwoFactor(user);
    const results = await Promise.all([verify(user.id, backupCodes[2]!), verify(user.id, backupCodes[2]!)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await remaining(user.id)).toBe(9);
  });

  it("refuses wrong codes, other users' codes, and users without 2FA", async () => {
    const alice = await signedInUser();
    const bob = await signedInUser();
    const a = await enableTwoFactor(alice);
    const b = await enableTwoFactor(bob);
    await awayFromStepEdge();
    expect(await verify(alice.id, await wrongCode(a.secret))).toBe(false);
    expect(await verify(alice.id, "ZZZZZ-ZZZZZ")).toBe(false);
    expect(await verify(alice.id, b.backupCodes[0]!)).toBe(false);
    expect(await verify(alice.id, await codeAt(b.secret, 1))).toBe(false);
    expect(await remaining(bob.id)).toBe(10);

    const pending = await signedInUser();
    const { secret } = await startEnrolment(pending);
    expect(await verify(pending.id, await codeAt(secret))).toBe(false);
    const none = await signedInUser();
    expect(await verify(none.id, "123456")).toBe(false);
  });

  it("stops accepting backup codes once a new set is made", async () => {
    const user = await signedInUser();
    const { secret, backupCodes } = await enableTwoFactor(user);
    await awayFromStepEdge();
    const renewed = await api("POST", "/v1/me/2fa/backup-codes", { headers: user.headers, body: { code: await codeAt(secret, 1) } });
    expect(renewed.status, renewed.text).toBe(200);
    expect(renewed.body.backup_codes).toHaveLength(10);
    expect(renewed.body.backup_codes).not.toContain(backupCodes[0]);
    expect(await verify(user.id, backupCodes[0]!)).toBe(false);
    expect(await verify(user.id, renewed.body.backup_codes[0])).toBe(true);
    expect(await remaining(user.id)).toBe(9);
  });
});
