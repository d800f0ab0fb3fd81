import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RESEND_API_URL } from "../../src/domains/mail/resend";
import type { QueueMessage } from "../../src/env";
import { uniq } from "../helpers/db";
import { mailbox, runQueue } from "./outbox";

interface Captured {
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

const captured: Captured[] = [];
let answer: () => Response = () => HttpResponse.json({ id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" });

// Only Resend is intercepted; everything else (the test database) passes through untouched.
const server = setupServer(
  http.post(RESEND_API_URL, async ({ request }) => {
    captured.push({ method: request.method, headers: Object.fromEntries(request.headers), body: await request.json() });
    return answer();
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
afterEach(() => {
  captured.length = 0;
  answer = () => HttpResponse.json({ id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" });
});
afterAll(() => server.close());

const resend = { MAIL_PROVIDER: "resend" as const, RESEND_API_KEY: "re_test_key_123", MAIL_FROM: "Veza <no-reply@veza.app>" };

const message = (to: string): QueueMessage => ({ type: "mail.send", id: `mail-${uniq()}`, to, subject: "Reset your Veza password", text: "Plain text", html: "<p>Plain text</p>" });

describe("the Resend provider", () => {
  it("POSTs the mail to Resend's API with the key, an idempotency key and the sender", async () => {
    const to = `resend_${uniq()}@example.com`;
    const msg = message(to);
    const { acked, retried } = await runQueue([msg], resend);
    expect({ acked, retried }).toEqual({ acked: ["msg-0"], retried: [] });
    expect(captured).toHaveLength(1);
    expect(captured[0]!.method).toBe("POST");
    expect(captured[0]!.headers).toMatchObject({
      authorization: "Bearer re_test_key_123",
      "content-type": "application/json",
      "idempotency-key": msg.id,
    });
    expect(captured[0]!.body).toEqual({ from: "Veza <no-reply@veza.app>", to: [to], subject: "Reset your Veza password", text: "Plain text", html: "<p>Plain text</p>" });
    // Sent for real, so nothing lands in the dev mailbox.
    expect(await mailbox(to)).toEqual([]);
  });

  it("leaves html out when the mail has none", async () => {
    const { html: _html, ...plain } = message(`plain_${uniq()}@example.com`);
    await runQueue([plain], resend);
    expect(captured[0]!.body).not.toHaveProperty("html");
  });

  it("makes the queue retry when Resend fails, with the same idempotency key each time", async () => {
    answer = () => HttpResponse.json({ name: "internal_server_error", message: "down" }, { status: 500 });
    const msg = message(`retry_${uniq()}@example.com`);
    expect(await runQueue([msg], resend)).toEqual({ acked: [], retried: ["msg-0"] });
    answer = () => HttpResponse.json({ id: "ok" });
    expect(await runQueue([msg], resend)).toEqual({ acked: ["msg-0"], retried: [] });
    expect(captured.map((c) => c.headers["idempotency-key"])).toEqual([msg.id, msg.id]);
  });

  it("retries rather than drops mail when the API key is missing", async () => {
    const result = await runQueue([message(`nokey_${uniq()}@example.com`)], { MAIL_PROVIDER: "resend", RESEND_API_KEY: undefined });
    expect(result).toEqual({ acked: [], retried: ["msg-0"] });
    expect(captured).toEqual([]);
  });
});
