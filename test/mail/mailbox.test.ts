import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { appLink, composeMail } from "../../src/domains/mail/compose";
import { enqueueMail } from "../../src/domains/mail/enqueue";
import type { QueueMessage } from "../../src/env";
import { api } from "../helpers/auth";
import { uniq } from "../helpers/db";
import { capturingQueue, deliver, mailbox, runQueue } from "./outbox";

const address = () => `inbox_${uniq()}@example.com`;

async function queued(message: { to: string; subject: string; text: string; html?: string }): Promise<QueueMessage> {
  const outbox: QueueMessage[] = [];
  await enqueueMail({ JOBS_QUEUE: capturingQueue(outbox) }, message);
  expect(outbox).toHaveLength(1);
  return outbox[0]!;
}

async function getMailbox(query: string, environment: Cloudflare.Env["ENVIRONMENT"]) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://veza.test/dev/mailbox${query}`) as Parameters<typeof worker.fetch>[0], { ...env, ENVIRONMENT: environment }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as any };
}

describe("outgoing mail through the queue", () => {
  it("queues a mail.send message with a delivery id rather than sending from the request", async () => {
    const to = address();
    const message = await queued({ to, subject: "Hello", text: "Plain words", html: "<p>Plain words</p>" });
    expect(message).toEqual({ type: "mail.send", id: expect.stringMatching(/^[0-9a-f-]{36}$/), to, subject: "Hello", text: "Plain words", html: "<p>Plain words</p>" });
    expect(await mailbox(to)).toEqual([]);
  });

  it("delivers a queued mail to the dev mailbox, newest first", async () => {
    const to = address();
    await deliver([await queued({ to, subject: "First", text: "one" })]);
    await deliver([await queued({ to, subject: "Second", text: "two", html: "<p>two</p>" })]);
    const mails = await mailbox(to);
    expect(mails.map((m) => m.subject)).toEqual(["Second", "First"]);
    expect(mails[0]).toMatchObject({ to, from: env.MAIL_FROM, text: "two", html: "<p>two</p>" });
    expect(mails[1]!.html).toBeNull();
    expect(Date.parse(mails[0]!.sentAt)).toBeGreaterThanOrEqual(Date.parse(mails[1]!.sentAt));
  });

  it("reads the mailbox of an address whatever its case, and only that address", async () => {
    const to = address();
    await deliver([await queued({ to, subject: "Case", text: "x" }), await queued({ to: address(), subject: "Someone else", text: "y" })]);
    const mails = await mailbox(to.toUpperCase());
    expect(mails.map((m) => m.subject)).toEqual(["Case"]);
  });

  it("retries a malformed mail.send message instead of dropping it", async () => {
    const { acked, retried } = await runQueue([{ type: "mail.send", id: "x", to: "not an address", subject: "s", text: "t" }]);
    expect(acked).toEqual([]);
    expect(retried).toEqual(["msg-0"]);
  });

  it("delivers through the real jobs queue to the Worker's consumer", async () => {
    const to = address();
    await enqueueMail(env, { to, subject: "Via miniflare", text: "queued for real" });
    const deadline = Date.now() + 20_000;
    let mails = await mailbox(to);
    while (mails.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      mails = await mailbox(to);
    }
    expect(mails.map((m) => m.subject)).toEqual(["Via miniflare"]);
  });
});

describe("GET /dev/mailbox", () => {
  it("answers 422 with the field path for a missing or malformed address", async () => {
    const missing = await api("GET", "/dev/mailbox");
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.to"]);
    const bad = await api("GET", "/dev/mailbox?to=nobody&limit=500");
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["query.limit", "query.to"]);
  });

  it("is open in development", async () => {
    const res = await getMailbox(`?to=${encodeURIComponent(address())}`, "development");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ messages: [] });
  });

  it("does not exist in production: the same 404 as an unknown path, even for invalid input", async () => {
    const to = address();
    await deliver([await queued({ to, subject: "Secret", text: "should stay hidden" })]);
    for (const query of [`?to=${encodeURIComponent(to)}`, "", "?to=nobody"]) {
      const res = await getMailbox(query, "production");
      expect(res.status).toBe(404);
      expect(res.type).toBe("application/problem+json");
      expect(res.body).toMatchObject({ code: "not_found", detail: "No route for GET /dev/mailbox." });
      expect(JSON.stringify(res.body)).not.toContain("Secret");
    }
  });

  it("is not in the OpenAPI document", async () => {
    const res = await exports.default.fetch("http://veza.test/openapi.json");
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/dev"))).toEqual([]);
  });
});

describe("composing mail", () => {
  it("writes a complete text part and an escaped HTML part with the same link", () => {
    const url = appLink("https://app.veza.test", "/verify-email", { token: "abc_-123" });
    expect(url).toBe("https://app.veza.test/verify-email?token=abc_-123");
    const mail = composeMail({ to: "a@example.com", subject: "Hi <you>", greeting: "Hi <b>Ada</b>,", intro: ["Tom & Jerry"], action: { label: "Go", url } });
    expect(mail.text).toBe(`Hi <b>Ada</b>,\n\nTom & Jerry\n\nGo:\n${url}\n\n— The Veza team`);
    expect(mail.html).toContain("Hi &lt;b&gt;Ada&lt;/b&gt;,");
    expect(mail.html).toContain("Tom &amp; Jerry");
    expect(mail.html).toContain(`href="${url}"`);
    expect(mail.html).not.toContain("<b>");
  });

  it("keeps a path in APP_URL", () => {
    expect(appLink("https://veza.example/app/", "reset-password", { token: "t" })).toBe("https://veza.example/app/reset-password?token=t");
    expect(appLink("https://veza.example/app", "/reset-password", { token: "t" })).toBe("https://veza.example/app/reset-password?token=t");
  });
});
