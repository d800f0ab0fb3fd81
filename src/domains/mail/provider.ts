import type { Env } from "../../env";
import { devMailboxProvider } from "./dev-mailbox";
import type { MailMessage } from "./message";
import { resendProvider } from "./resend";

/** Where email goes. `key` identifies one mail across delivery attempts (see MailSendMessageSchema). */
export interface MailProvider {
  send(message: MailMessage, options?: { key?: string }): Promise<void>;
}

/**
 * The provider env.MAIL_PROVIDER names: "dev" keeps mail in R2 for GET /dev/mailbox, "resend" sends
 * it for real. A misconfiguration throws, so the queue retries (and dead-letters) instead of losing mail.
 */
export function mailProviderFor(env: Pick<Env, "MAIL_PROVIDER" | "MAIL_FROM" | "MEDIA" | "RESEND_API_KEY">): MailProvider {
  switch (env.MAIL_PROVIDER) {
    case "dev":
      return devMailboxProvider(env.MEDIA, env.MAIL_FROM);
    case "resend":
      if (!env.RESEND_API_KEY) throw new Error("MAIL_PROVIDER is resend but RESEND_API_KEY is not set");
      return resendProvider(env.RESEND_API_KEY, env.MAIL_FROM);
    default:
      throw new Error(`unknown MAIL_PROVIDER ${JSON.stringify(env.MAIL_PROVIDER)}`);
  }
}
