import type { MailMessage } from "./message";
import type { MailProvider } from "./provider";

/** R2 prefix of the dev mailbox (in the MEDIA bucket, which every environment already has). */
export const DEV_MAILBOX_PREFIX = "dev-mailbox/";

/** One stored email as GET /dev/mailbox shows it. */
export interface DevMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  sentAt: string;
}

const folderOf = (to: string) => `${DEV_MAILBOX_PREFIX}${encodeURIComponent(to.trim().toLowerCase())}/`;

/**
 * R2 lists keys in ascending order, so keys start with the time subtracted from a constant: the
 * newest mail lists first and a page of the mailbox is one `list` call.
 */
const newestFirst = (ms: number) => String(9_999_999_999_999 - ms).padStart(13, "0");

/**
 * Keeps every mail as a JSON object in R2, one folder per recipient: local development and the
 * tests read what "was sent" through GET /dev/mailbox instead of a real inbox.
 */
export function devMailboxProvider(bucket: R2Bucket, from: string): MailProvider {
  return {
    async send(message: MailMessage, options = {}) {
      const now = Date.now();
      const id = options.key ?? crypto.randomUUID();
      const mail: DevMail = {
        id,
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? null,
        sentAt: new Date(now).toISOString(),
      };
      await bucket.put(`${folderOf(message.to)}${newestFirst(now)}-${encodeURIComponent(id)}.json`, JSON.stringify(mail), {
        httpMetadata: { contentType: "application/json" },
      });
    },
  };
}

/** The newest `limit` mails sent to `to` (case-insensitive), newest first. */
export async function readDevMailbox(bucket: R2Bucket, to: string, limit: number): Promise<DevMail[]> {
  const listed = await bucket.list({ prefix: folderOf(to), limit });
  const mails = await Promise.all(
    listed.objects.map(async (object) => {
      const body = await bucket.get(object.key);
      return body ? ((await body.json()) as DevMail) : null;
    }),
  );
  return mails.filter((mail): mail is DevMail => mail !== null);
}
