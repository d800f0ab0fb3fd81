import { z } from "@hono/zod-openapi";

/** The queue message type that carries one outgoing email (src/jobs/queue.ts dispatches on it). */
export const MAIL_SEND = "mail.send";

/** One outgoing email: plain text always, HTML as a nicer rendering of the same words. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** The email format of the spec's CHECK on users.email (chk_users_email_format). */
export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/**
 * A queued email. `id` is fixed when the mail is enqueued, so every delivery attempt of it carries
 * the same key: Resend sends it once however often the queue retries (Idempotency-Key).
 */
export const MailSendMessageSchema = z.object({
  type: z.literal(MAIL_SEND),
  id: z.string().min(1).max(256),
  to: z.string().max(255).regex(EMAIL_PATTERN),
  subject: z.string().min(1).max(998),
  text: z.string().min(1),
  html: z.string().optional(),
});

export type MailSendMessage = z.infer<typeof MailSendMessageSchema>;
