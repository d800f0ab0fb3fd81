import { useEffect, useState } from "preact/hooks";
import { ApiError, errorMessage, get, post } from "../../api";
import { paths } from "../../paths";
import { Button, FormError, Loading, Time, useApi, usePageTitle } from "../../ui";
import { ReviewForm } from "./ReviewForm";
import { formatMoney } from "./money";
import type { DownloadLink, Order, Purchase, PurchaseList } from "./types";
import "../library/kit.css";
import "./marketplace.css";

const PAID = new Set<Order["status"]>(["paid", "processing", "completed"]);
const STATUS_LABELS: Record<Order["status"], string> = {
  pending: "Awaiting payment",
  paid: "Paid",
  processing: "Paid",
  completed: "Complete",
  cancelled: "Cancelled",
  refunded: "Refunded",
};
/** After Stripe sends the buyer back, its webhook may lag a little: ask again for this long. */
const CONFIRM_FOR_MS = 90_000;

/**
 * `/orders/:id` (Stripe's success URL): the order, its licence keys and terms, and its files to
 * download. Back from Stripe before the payment's webhook arrived, the order is still pending: the
 * page asks again every two seconds and says so, then shows the keys once it is paid.
 */
export default function OrderPage({ id }: { id: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [waitedOut, setWaitedOut] = useState(false);
  const [nonce, setNonce] = useState(0);
  const fromCheckout = new URLSearchParams(location.search).get("checkout") === "success";
  usePageTitle(order ? `Order ${order.order_number}` : "Order");
  const paid = order !== null && PAID.has(order.status);
  const purchases = useApi<PurchaseList>(paid ? "/v1/me/purchases" : null, { limit: 100 });

  useEffect(() => {
    const controller = new AbortController();
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      get<Order>(`/v1/me/orders/${encodeURIComponent(id)}`, undefined, { signal: controller.signal })
        .then((o) => {
          setOrder(o);
          setError(null);
          if (o.status === "pending" && fromCheckout) {
            if (Date.now() - started < CONFIRM_FOR_MS) timer = setTimeout(load, 2000);
            else setWaitedOut(true);
          }
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setError(err);
        });
    };
    load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // fromCheckout is read once, from the address this screen opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, nonce]);

  if (!order) {
    if (error) {
      const missing = error instanceof ApiError && (error.status === 404 || error.status === 422);
      return (
        <section aria-labelledby="order-title">
          <h1 id="order-title">{missing ? "Order not found" : "This order could not be loaded"}</h1>
          <p>{missing ? "There is no order of yours at this address." : errorMessage(error)}</p>
          {!missing && <Button onClick={() => setNonce((n) => n + 1)}>Try again</Button>}
        </section>
      );
    }
    return <Loading label="Loading your order…" />;
  }

  return (
    <section class="order-page" aria-labelledby="order-title">
      <h1 id="order-title">Order {order.order_number}</h1>
      <p class="muted">
        <span class={`badge badge-${order.status}`}>{STATUS_LABELS[order.status]}</span> · placed <Time value={order.created_at} />
        {order.paid_at && (
          <>
            {" "}
            · paid <Time value={order.paid_at} />
          </>
        )}
      </p>
      <div role="status" aria-live="polite">
        {fromCheckout && paid && (
          <p class="notice">
            {Number(order.total) === 0 ? "It’s yours" : "Thank you! Your payment is confirmed"}: your licence keys and files are below. A receipt is on its way to{" "}
            {order.billing_email}.
          </p>
        )}
        {fromCheckout && order.status === "pending" && !waitedOut && (
          <p class="notice">Confirming your payment with Stripe… This page updates by itself.</p>
        )}
        {order.status === "pending" && waitedOut && (
          <p class="notice">
            Stripe has not confirmed the payment yet. If you paid, it will show here shortly — <Button variant="ghost" onClick={() => setNonce((n) => n + 1)}>check again</Button>
          </p>
        )}
      </div>
      {order.status === "pending" && order.checkout_url && !fromCheckout && (
        <p>
          <a class="btn btn-primary" href={order.checkout_url}>
            Continue to payment
          </a>
        </p>
      )}

      <ul class="order-items">
        {order.items.map((item) => (
          <li key={item.id} class="order-item card">
            <div class="order-item-head">
              <span class="item-title">{item.product_name}</span>
              <span>{formatMoney(item.price, order.currency)}</span>
            </div>
            <p class="muted small">
              @{item.seller.username}
              {item.license && ` · ${item.license.name}`}
              {item.revoked && " · revoked (no more downloads)"}
            </p>
            {item.license_key && (
              <p class="license-key">
                Licence key: <code>{item.license_key}</code> <CopyButton text={item.license_key} label={`Copy the licence key of ${item.product_name}`} />
              </p>
            )}
            {item.license_terms && (
              <details class="small">
                <summary>Licence terms, as you bought them</summary>
                <p class="terms-text">{item.license_terms}</p>
              </details>
            )}
            {paid && !item.revoked && <Downloads orderItemId={item.id} purchase={purchases.data?.items.find((p) => p.order_item_id === item.id)} />}
            {paid && !item.revoked && <ReviewForm productId={item.product_id} orderItemId={item.id} productName={item.product_name} />}
          </li>
        ))}
      </ul>

      <dl class="totals order-totals">
        <div>
          <dt>Subtotal</dt>
          <dd>{formatMoney(order.subtotal, order.currency)}</dd>
        </div>
        {Number(order.discount_total) > 0 && (
          <div>
            <dt>Discount{order.discount_code ? ` (${order.discount_code})` : ""}</dt>
            <dd>−{formatMoney(order.discount_total, order.currency)}</dd>
          </div>
        )}
        <div class="total">
          <dt>Total</dt>
          <dd>{formatMoney(order.total, order.currency)}</dd>
        </div>
      </dl>
      <p>
        <a href={paths.marketplace}>Back to the marketplace</a>
      </p>
    </section>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        aria-label={label}
        onClick={() =>
          void navigator.clipboard?.writeText(text).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          })
        }
      >
        {copied ? "Copied" : "Copy"}
      </Button>
      <span class="visually-hidden" aria-live="polite">
        {copied ? "Copied" : ""}
      </span>
    </>
  );
}

/** The item's files (from my purchases), each downloaded through a fresh signed link. */
function Downloads({ orderItemId, purchase }: { orderItemId: string; purchase: Purchase | undefined }) {
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!purchase || purchase.files.length === 0) return null;

  async function download(fileId: string) {
    setWorking(fileId);
    setError(null);
    try {
      const link = await post<DownloadLink>(`/v1/me/purchases/${orderItemId}/downloads`, { file_id: fileId });
      location.assign(link.url);
    } catch (err) {
      setError(err);
    } finally {
      setWorking(null);
    }
  }

  return (
    <div class="downloads">
      <h3 class="small">Files</h3>
      <FormError error={error} />
      {!purchase.downloadable && <p class="muted small">The seller's account is closed: the files can no longer be downloaded.</p>}
      <ul class="file-list">
        {purchase.files.map((f) => (
          <li key={f.id}>
            <Button busy={working === f.id} disabled={!f.available || !purchase.downloadable} onClick={() => void download(f.id)}>
              Download {f.filename}
            </Button>{" "}
            <span class="muted small">{formatSize(f.size)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
