import { appLink, composeMail } from "../mail/compose";
import type { MailMessage } from "../mail/message";

export const EMAIL_VERIFICATION_TTL_HOURS = 24;
export const PASSWORD_RESET_TTL_HOURS = 1;

interface Recipient {
  email: string;
  username: string;
}

export function emailVerificationMail(appUrl: string, user: Recipient, token: string): MailMessage {
  return composeMail({
    to: user.email,
    subject: "Please confirm your email address",
    greeting: `Hi ${user.username},`,
    intro: ["Welcome to Veza! Please confirm that this address is yours, so we can reach you about your account."],
    action: { label: "Confirm my email address", url: appLink(appUrl, "verify-email", { token }) },
    outro: [
      `The link works once and expires in ${EMAIL_VERIFICATION_TTL_HOURS} hours.`,
      "If you did not create a Veza account, you can ignore this email: nothing will happen.",
    ],
  });
}

export function passwordResetMail(appUrl: string, user: Recipient, token: string): MailMessage {
  return composeMail({
    to: user.email,
    subject: "Reset your Veza password",
    greeting: `Hi ${user.username},`,
    intro: ["We received a request to reset the password of your Veza account. You can choose a new one here:"],
    action: { label: "Choose a new password", url: appLink(appUrl, "reset-password", { token }) },
    outro: [
      `The link works once and expires in ${PASSWORD_RESET_TTL_HOURS} hour. Choosing a new password signs you out on every device.`,
      "If you did not ask for this, you can ignore this email: your password stays as it is.",
    ],
  });
}
