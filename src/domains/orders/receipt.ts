import type { Env } from "../../env";
import type { Logger } from "../../lib/logger";
import { appLink, composeMail } from "../mail/compose";
import { enqueueMail } from "../mail/enqueue";
import type { MailMessage } from "../mail/message";
import type { Order } from "./schemas";

/** The receipt of a paid order: what was bought, under which licence, the key, and what it cost. */
export function receiptMail(appUrl: string, order: Order, username: string | null): MailMessage {
  const items = order.items.map((item) => {
    const licence = item.license ? ` (${item.license.name})` : "";
    const key = item.license_key ? `, licence key ${item.license_key}` : "";
    return `• ${item.product_name}${licence}: ${item.price} ${order.currency}${key}`;
  });
  const discount = order.discount_total !== "0.00" ? [`Discount${order.discount_code ? ` (${order.discount_code})` : ""}: −${order.discount_total} ${order.currency}`] : [];
  return composeMail({
    to: order.billing_email,
    subject: `Your Veza receipt, order ${order.order_number}`,
    greeting: `Hi ${order.billing_name ?? username ?? "there"},`,
    intro: [
      `Thank you for your purchase. Order ${order.order_number}, paid ${order.paid_at ?? order.created_at}:`,
      items.join("\n"),
      ...discount,
      `Total: ${order.total} ${order.currency}`,
    ],
    action: { label: "Download your purchases", url: appLink(appUrl, "purchases", {}) },
    outro: ["Keep this email: the licence keys prove your licences."],
  });
}

/** Queues the receipt; a failure is logged, never undoes the sale (the order page shows it all). */
export async function sendReceipt(env: Env, log: Logger, order: Order, username: string | null): Promise<void> {
  try {
    await enqueueMail(env, receiptMail(env.APP_URL, order, username));
  } catch (error) {
    log.error("orders.receipt_failed", { orderId: order.id, error: String(error) });
  }
}
