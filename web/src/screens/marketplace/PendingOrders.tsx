import { useState } from "preact/hooks";
import { post } from "../../api";
import { paths } from "../../paths";
import { Button, FormError, Time, useApi } from "../../ui";
import { formatMoney } from "./money";
import type { Order, OrderList } from "./types";

/**
 * Orders still awaiting payment (a checkout left on Stripe's page): continue to pay, or cancel — which
 * gives back the licence units they hold before the session would expire by itself.
 */
export function PendingOrders() {
  const orders = useApi<OrderList>("/v1/me/orders", { limit: 20 });
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pending = (orders.data?.items ?? []).filter((o) => o.status === "pending");
  if (pending.length === 0) return null;

  async function cancel(order: Order) {
    setWorking(order.id);
    setError(null);
    try {
      await post(`/v1/me/orders/${order.id}/cancel`);
      orders.reload();
    } catch (err) {
      setError(err);
    } finally {
      setWorking(null);
    }
  }

  return (
    <section class="pending-orders card" aria-labelledby="pending-title">
      <h2 id="pending-title">Awaiting payment</h2>
      <FormError error={error} />
      <ul class="library-list">
        {pending.map((o) => (
          <li key={o.id} class="pending-order">
            <span>
              <a href={paths.order(o.id)}>{o.order_number}</a> · {formatMoney(o.total, o.currency)} · <Time value={o.created_at} />
            </span>
            <span class="item-actions">
              {o.checkout_url && (
                <a class="btn btn-primary" href={o.checkout_url}>
                  Continue to payment<span class="visually-hidden"> for {o.order_number}</span>
                </a>
              )}
              <Button busy={working === o.id} onClick={() => void cancel(o)}>
                Cancel<span class="visually-hidden"> {o.order_number}</span>
              </Button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
