/**
 * The platform's dev mailbox (GET /dev/mailbox, development and test only: MAIL_PROVIDER=dev keeps
 * every mail in R2), for e2e tests that follow a mailed link as a person would.
 */
import { baseUrl } from "./browser";

export interface DevMail {
  to: string;
  subject: string;
  text: string;
  sentAt: string;
}

/**
 * The newest mail to `to` whose subject matches, once it has arrived (mail goes through the jobs
 * queue, so it can take a moment). `after`: ignore mail sent before this time.
 */
export async function waitForMail(to: string, subject: string | RegExp, { timeoutMs = 60_000, after = 0 } = {}): Promise<DevMail> {
  const deadline = Date.now() + timeoutMs;
  const matches = (s: string) => (typeof subject === "string" ? s === subject : subject.test(s));
  for (;;) {
    const res = await fetch(`${baseUrl()}/dev/mailbox?to=${encodeURIComponent(to)}&limit=50`);
    if (!res.ok) throw new Error(`GET /dev/mailbox: ${res.status} ${await res.text()}`);
    const { messages } = (await res.json()) as { messages: DevMail[] };
    const found = messages.find((m) => matches(m.subject) && Date.parse(m.sentAt) >= after);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail "${String(subject)}" to ${to} within ${timeoutMs} ms (mailbox: ${messages.map((m) => m.subject).join(", ") || "empty"})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The first link in `mail`'s text that starts with `prefix` (an absolute URL or a path on the platform). */
export function linkIn(mail: DevMail, prefix: string): string {
  const start = prefix.startsWith("/") ? `${baseUrl()}${prefix}` : prefix;
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(start));
  if (!link) throw new Error(`no link to ${start} in the mail "${mail.subject}":\n${mail.text}`);
  return link;
}
