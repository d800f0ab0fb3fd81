import { createRoute, z } from "@hono/zod-openapi";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { issueEmailVerification } from "../../src/domains/account-email/service";
import type { QueueMessage } from "../../src/env";
import { sha256Hex } from "../../src/lib/crypto";
import { createRouter } from "../../src/lib/router";
import { api, signedInUser, type SignedInUser } from "../helpers/auth";
import { createUser, one, sql } from "../helpers/db";
import { capturingQueue, deliver, mailbox, send, tokenIn } from "../mail/outbox";

/** Asks for a verification link as `user`, delivers the queued mail, and reads the token from the mailbox. */
async function verificationToken(user: SignedInUser): Promise<string> {
  const res = await send("POST", "/v1/auth/verify-email/resend", { headers: user.headers });
  expect(res.status).toBe(202);
  expect(res.outbox).toHaveLength(1);
  await deliver(res.outbox);
  const [mail] = await mailbox(user.email);
  expect(mail!.subject).toBe("Please confirm your email address");
  return tokenIn(mail!, "verify-email");
}

const verifiedAt = async (userId: string) => (await one("SELECT email_verified_at FROM users WHERE id = $1", [userId])).email_verified_at;

async function expectInvalidToken(token: string, detail: RegExp) {
  const res = await api("POST", "/v1/auth/verify-email", { body: { token } });
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({ code: "invalid_token" });
  expect(res.body.detail).toMatch(detail);
}

describe("email verification", () => {
  it("verifies the address with the token from the emailed link", async () => {
    const user = await signedInUser();
    const token = await verificationToken(user);
    const [mail] = await mailbox(user.email);
    expect(mail!.text).toContain(`Hi ${user.username},`);
    expect(mail!.html).toContain(`href="${env.APP_URL}/verify-email?token=${token}"`);

    // Only the token's hash is stored, with the address and a 24-hour expiry.
    const row = await one(
      "SELECT email, verified, round(extract(epoch FROM expires_at - created_at) / 3600) AS hours FROM email_verification_tokens WHERE token_hash = $1",
      [await sha256Hex(token)],
    );
    expect(row).toEqual({ email: user.email, verified: false, hours: "24" });
    expect(await sql.query("SELECT 1 FROM email_verification_tokens WHERE token_hash = $1", [token])).toEqual([]);

    const res = await api("POST", "/v1/auth/verify-email", { body: { token } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ verified: true });
    expect(await verifiedAt(user.id)).not.toBeNull();
    expect(await one("SELECT verified, verified_at IS NOT NULL AS stamped FROM email_verification_tokens WHERE token_hash = $1", [await sha256Hex(token)])).toEqual({
      verified: true,
      stamped: true,
    });
    // The users audit trigger names the account holder as the actor.
    const audit = await one(
      "SELECT actor_id FROM audit_logs WHERE table_name = 'users' AND operation = 'UPDATE' AND record_id = $1 AND new_data ? 'email_verified_at'",
      [user.id],
    );
    expect(audit.actor_id).toBe(user.id);
  });

  it("refuses a link that was already used", async () => {
    const user = await signedInUser();
    const token = await verificationToken(user);
    expect((await api("POST", "/v1/auth/verify-email", { body: { token } })).status).toBe(200);
    await expectInvalidToken(token, /already been used/);
  });

  it("refuses an expired link and leaves the address unverified", async () => {
    const user = await signedInUser();
    const token = await verificationToken(user);
    await sql.query(
      "UPDATE email_verification_tokens SET created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour' WHERE token_hash = $1",
      [await sha256Hex(token)],
    );
    await expectInvalidToken(token, /expired/);
    expect(await verifiedAt(user.id)).toBeNull();
  });

  it("refuses an unknown token", async () => {
    await expectInvalidToken("bm90LWEtcmVhbC10b2tlbi1ub3QtYS1yZWFsLXRva2Vu", /not valid/);
  });

  it("refuses a link sent to an address the account no longer has", async () => {
    const user = await signedInUser();
    const token = await verificationToken(user);
    await sql.query("UPDATE users SET email = $2 WHERE id = $1", [user.id, `moved_${user.username}@example.com`]);
    await expectInvalidToken(token, /no longer/);
    expect(await verifiedAt(user.id)).toBeNull();
  });

  it("refuses the link of a deleted account", async () => {
    const user = await signedInUser();
    const token = await verificationToken(user);
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [user.id]);
    await expectInvalidToken(token, /not valid/);
  });

  it("lets exactly one of two simultaneous uses of a link succeed", async () => {
    const user = await signedInUser();
    const token = await verificationToken(user);
    const results = await Promise.all([1, 2, 3].map(() => api("POST", "/v1/auth/verify-email", { body: { token } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it("answers 422 with the field path for a missing token", async () => {
    const res = await api("POST", "/v1/auth/verify-email", { body: {} });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["json.token"]);
  });
});

describe("POST /v1/auth/verify-email/resend", () => {
  it("sends at most one link a minute, with Retry-After", async () => {
    const user = await signedInUser();
    expect((await send("POST", "/v1/auth/verify-email/resend", { headers: user.headers })).status).toBe(202);
    const again = await send("POST", "/v1/auth/verify-email/resend", { headers: user.headers });
    expect(again.status).toBe(429);
    expect(again.body.code).toBe("rate_limited");
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(again.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(again.outbox).toEqual([]);

    await sql.query("UPDATE email_verification_tokens SET created_at = created_at - interval '61 seconds' WHERE user_id = $1", [user.id]);
    const later = await send("POST", "/v1/auth/verify-email/resend", { headers: user.headers });
    expect(later.status).toBe(202);
    expect(later.outbox).toHaveLength(1);
  });

  it("sends one link when asked twice at the same moment", async () => {
    const user = await signedInUser();
    const results = await Promise.all([1, 2, 3].map(() => send("POST", "/v1/auth/verify-email/resend", { headers: user.headers })));
    expect(results.map((r) => r.status).sort()).toEqual([202, 429, 429]);
    expect(await one("SELECT count(*)::int AS n FROM email_verification_tokens WHERE user_id = $1", [user.id])).toEqual({ n: 1 });
  });

  it("answers 409 once the address is verified", async () => {
    const user = await signedInUser();
    await sql.query("UPDATE users SET email_verified_at = now() WHERE id = $1", [user.id]);
    const res = await send("POST", "/v1/auth/verify-email/resend", { headers: user.headers });
    expect(res.status).toBe(409);
    expect(res.outbox).toEqual([]);
  });

  it("refuses anonymous (401), banned (403) and deleted (401) users", async () => {
    expect((await api("POST", "/v1/auth/verify-email/resend")).status).toBe(401);
    const banned = await signedInUser();
    await sql.query("UPDATE users SET is_banned = true WHERE id = $1", [banned.id]);
    const bannedRes = await send("POST", "/v1/auth/verify-email/resend", { headers: banned.headers });
    expect(bannedRes.status).toBe(403);
    const deleted = await signedInUser();
    await sql.query("UPDATE users SET deleted_at = now() WHERE id = $1", [deleted.id]);
    expect((await send("POST", "/v1/auth/verify-email/resend", { headers: deleted.headers })).status).toBe(401);
    expect(await sql.query("SELECT 1 FROM email_verification_tokens WHERE user_id = ANY($1)", [[banned.id, deleted.id]])).toEqual([]);
  });
});

describe("issueEmailVerification (called by sign-up)", () => {
  const outbox: QueueMessage[] = [];
  const probe = createRouter().openapi(
    createRoute({
      method: "post",
      path: "/probe/issue-verification",
      request: { body: { content: { "application/json": { schema: z.object({ id: z.string(), email: z.string(), username: z.string() }) } } } },
      responses: { 204: { description: "issued" } },
    }),
    async (c) => {
      await issueEmailVerification(c, c.req.valid("json"));
      return c.body(null, 204);
    },
  );
  const app = createApp((root) => root.route("/", probe));

  async function issue(user: { id: string; email: string; username: string }) {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request("https://veza.test/probe/issue-verification", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(user) }),
      { ...env, JOBS_QUEUE: capturingQueue(outbox) },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res.status;
  }

  it("stores a hashed 24-hour token for the address and queues the mail with its link", async () => {
    const user = await createUser();
    outbox.length = 0;
    expect(await issue(user)).toBe(204);
    expect(outbox).toHaveLength(1);
    await deliver(outbox);
    const [mail] = await mailbox(user.email);
    const token = tokenIn(mail!, "verify-email");
    expect(await one("SELECT user_id, email FROM email_verification_tokens WHERE token_hash = $1", [await sha256Hex(token)])).toEqual({
      user_id: user.id,
      email: user.email,
    });
    expect((await api("POST", "/v1/auth/verify-email", { body: { token } })).status).toBe(200);
  });

  it("never fails sign-up: a failure is logged and nothing is sent", async () => {
    outbox.length = 0;
    const ghost = { id: crypto.randomUUID(), email: "ghost@example.com", username: "ghost" };
    expect(await issue(ghost)).toBe(204);
    expect(outbox).toEqual([]);
  });
});

describe("the API description", () => {
  it("documents the verification and reset routes", async () => {
    const doc = (await (await exports.default.fetch("http://veza.test/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/v1/auth/verify-email"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/auth/verify-email/resend"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/auth/password-reset"]!)).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/auth/password-reset/confirm"]!)).toEqual(["post"]);
  });
});
