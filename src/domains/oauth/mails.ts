import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { appLink, composeMail } from "../mail/compose";
import { enqueueMail } from "../mail/enqueue";
import type { MailMessage } from "../mail/message";
import type { AccountState } from "./identity-queries";
import { providerLabels, type ProviderName } from "./providers";

/** "A new way into your account": sent to the account's own address whenever a provider is linked. */
export function providerLinkedMail(appUrl: string, user: Pick<AccountState, "email" | "username">, provider: ProviderName, providerUsername: string | null): MailMessage {
  const label = providerLabels[provider];
  return composeMail({
    to: user.email,
    subject: `${label} was linked to your Veza account`,
    greeting: `Hi ${user.username},`,
    intro: [
      `The ${label} account ${providerUsername ? `"${providerUsername}" ` : ""}can now be used to sign in to your Veza account.`,
      "If this was not you, unlink it from your settings and change your password right away.",
    ],
    action: { label: "Review my linked accounts", url: appLink(appUrl, "settings/accounts", {}) },
  });
}

/** Queued after the response: a mail outage never fails the link (it is logged). */
export function notifyLinked(c: Context<AppEnv>, user: Pick<AccountState, "email" | "username">, provider: ProviderName, providerUsername: string | null): void {
  c.executionCtx.waitUntil(
    enqueueMail(c.env, providerLinkedMail(c.env.APP_URL, user, provider, providerUsername)).catch((err: unknown) =>
      c.var.log.error("provider linked mail not queued", { error: err instanceof Error ? err.message : String(err) }),
    ),
  );
}
