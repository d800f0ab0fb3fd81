import type { MailMessage } from "./message";
import type { MailProvider } from "./provider";

export const RESEND_API_URL = "https://api.resend.com/emails";

/**
 * Resend's HTTP API (no SDK: one POST). The mail's key goes in `Idempotency-Key`, so a delivery
 * retried after a timeout is not sent twice (Resend remembers keys for 24 hours). Any non-2xx answer
 * throws, and the queue retries with backoff; the error names the status, never the key.
 */
export function resendProvider(apiKey: string, from: string): MailProvider {
  return {
    async send(message: MailMessage, options = {}) {
      const res = await fetch(RESEND_API_URL, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${apiKey}`,
          "Content-Type": "application/json",
          ...(options.key ? { "Idempotency-Key": options.key } : {}),
        },
        body: JSON.stringify({
          from,
          to: [message.to],
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        }),
      });
      if (!res.ok) {
        const detail = (await res.text().catch(() => "")).slice(0, 300);
        throw new Error(`Resend answered ${res.status}: ${detail}`);
      }
    },
  };
}
