import type { Env } from "../../env";
import { MAIL_SEND, type MailMessage, type MailSendMessage } from "./message";

/**
 * Every email leaves through the jobs queue, never from the request: the request does not wait on
 * the mail provider, and a provider outage becomes retries with backoff instead of lost mail or a
 * failed request. The "mail.send" handler (./queue.ts) does the sending.
 */
export async function enqueueMail(env: Pick<Env, "JOBS_QUEUE">, message: MailMessage): Promise<void> {
  const body: MailSendMessage = { type: MAIL_SEND, id: crypto.randomUUID(), ...message };
  await env.JOBS_QUEUE.send(body);
}
