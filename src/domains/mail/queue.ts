import type { MessageHandler } from "../../jobs/queue";
import { MAIL_SEND, MailSendMessageSchema } from "./message";
import { mailProviderFor } from "./provider";

/**
 * "mail.send": hands one queued email to the configured provider. A throw (provider down, bad
 * configuration, malformed message) makes the dispatcher retry with backoff and, in the end,
 * dead-letter the message, where it stays visible.
 */
const sendMail: MessageHandler = async (body, { env, log }) => {
  const parsed = MailSendMessageSchema.safeParse(body);
  if (!parsed.success) throw new Error(`malformed ${MAIL_SEND} message: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  const { id, type: _type, ...message } = parsed.data;
  await mailProviderFor(env).send(message, { key: id });
  // The address is personal data: the log says which mail went out, not to whom.
  log.info("mail sent", { mailId: id, provider: env.MAIL_PROVIDER });
};

export const mailMessageHandlers: Record<string, MessageHandler> = {
  [MAIL_SEND]: sendMail,
};
