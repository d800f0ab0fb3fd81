import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { ApiError, del, errorMessage, post, put } from "../../api";
import { paths } from "../../paths";
import { Button, Empty, FormError, Loading, TextInput, useApi, usePageTitle } from "../../ui";
import { checkOut } from "./checkout";
import { formatMoney } from "./money";
import { PendingOrders } from "./PendingOrders";
import type { AddCartItemBody, Cart, CartLine } from "./types";
import "../library/kit.css";
import "./marketplace.css";

const UNAVAILABLE: Record<NonNullable<CartLine["unavailable_reason"]>, string> = {
  sold_out: "Sold out since you added it.",
  not_on_sale: "No longer on sale.",
  license_required: "Choose a licence on the product page.",
  license_withdrawn: "This licence was withdrawn by the seller.",
};

/**
 * `/cart`: my cart (GET /v1/me/cart) with the server's totals, a discount code, and checkout (to
 * Stripe, or straight to the order when it is free). Stripe's cancel URL lands here with
 * `?checkout=cancelled`; orders still awaiting payment are listed so they can be paid or cancelled.
 */
export default function CartPage() {
  const { query, route } = useLocation();
  const cart = useApi<Cart>("/v1/me/cart");
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  usePageTitle("Cart");

  async function act(key: string, action: () => Promise<void>) {
    setWorking(key);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setWorking(null);
    }
  }

  const remove = (line: CartLine) =>
    act(`remove-${line.product_id}`, async () => {
      await del(`/v1/me/cart/items/${line.product_id}`);
      cart.reload();
      setStatus(`${line.product_name} removed from your cart.`);
    });

  const takeNewPrice = (line: CartLine) =>
    act(`price-${line.product_id}`, async () => {
      const body: AddCartItemBody = { product_id: line.product_id, ...(line.license ? { license_id: line.license.id } : {}) };
      // Pay what you want: keep what was offered, if the new minimum allows it.
      if (Number(line.current_price) > 0 && Number(line.price) >= Number(line.current_price)) body.amount = line.price;
      cart.setData(await post<Cart>("/v1/me/cart/items", body));
      setStatus(`${line.product_name} is now at ${formatMoney(line.current_price, line.currency)}.`);
    });

  const checkout = () =>
    act("checkout", async () => {
      await checkOut((url) => route(url));
    });

  const c = cart.data;
  const blocked = c ? c.items.some((l) => !l.available || l.price_changed) || (c.discount_code !== null && !c.discount_code.applies) : true;

  return (
    <section class="cart-page" aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      {query.checkout === "cancelled" && (
        <p class="notice" role="status">
          Checkout cancelled — nothing was charged. Your cart is as you left it.
        </p>
      )}
      {query.from === "buy-now" && (
        <p class="notice" role="status">
          Added. Your cart holds other items too: check them before you pay.
        </p>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
      <PendingOrders />
      <FormError error={error} />
      {!c ? (
        cart.error ? (
          <div role="alert" class="form-error">
            {errorMessage(cart.error)} <Button onClick={cart.reload}>Try again</Button>
          </div>
        ) : (
          <Loading label="Loading your cart…" />
        )
      ) : c.items.length === 0 ? (
        <Empty title="Your cart is empty">
          <p>
            <a href={paths.marketplace}>Browse the marketplace</a> for samples, beats and presets.
          </p>
        </Empty>
      ) : (
        <div class="cart-layout">
          <ul class="cart-lines" aria-label="Items">
            {c.items.map((line) => (
              <li key={line.product_id} class="cart-line card">
                <div class="cart-line-main">
                  <a href={paths.product(line.product_slug)} class="item-title">
                    {line.product_name}
                  </a>
                  <span class="muted small">
                    @{line.seller.username}
                    {line.license && ` · ${line.license.name}`}
                  </span>
                  {!line.available && line.unavailable_reason && <p class="inline-error">{UNAVAILABLE[line.unavailable_reason]}</p>}
                  {line.price_changed && (
                    <p class="inline-error">
                      The price changed to {formatMoney(line.current_price, line.currency)} since you added it.{" "}
                      <Button variant="ghost" busy={working === `price-${line.product_id}`} onClick={() => void takeNewPrice(line)}>
                        Take the new price
                      </Button>
                    </p>
                  )}
                </div>
                <span class="cart-line-price">
                  {Number(line.discount) > 0 && <span class="muted small strike">{formatMoney(line.price, line.currency)}</span>}{" "}
                  {formatMoney(Number(line.price) - Number(line.discount), line.currency)}
                </span>
                <Button variant="ghost" busy={working === `remove-${line.product_id}`} onClick={() => void remove(line)}>
                  Remove<span class="visually-hidden"> {line.product_name}</span>
                </Button>
              </li>
            ))}
          </ul>
          <aside class="cart-summary card" aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            <DiscountCode cart={c} onCart={(next) => cart.setData(next)} />
            <dl class="totals">
              <div>
                <dt>Subtotal</dt>
                <dd>{formatMoney(c.subtotal, c.currency ?? "EUR")}</dd>
              </div>
              {Number(c.discount) > 0 && (
                <div>
                  <dt>Discount</dt>
                  <dd>−{formatMoney(c.discount, c.currency ?? "EUR")}</dd>
                </div>
              )}
              <div class="total">
                <dt>Total</dt>
                <dd>{formatMoney(c.total, c.currency ?? "EUR")}</dd>
              </div>
            </dl>
            <Button variant="primary" class="wide" busy={working === "checkout"} disabled={blocked || working !== null} onClick={() => void checkout()}>
              {Number(c.total) === 0 ? "Get them now" : "Check out"}
            </Button>
            {blocked && <p class="muted small">Fix the items marked above to check out.</p>}
            <p class="muted small">You pay on Stripe's secure page, then come back here.</p>
          </aside>
        </div>
      )}
    </section>
  );
}

function DiscountCode({ cart, onCart }: { cart: Cart; onCart: (c: Cart) => void }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(action: () => Promise<Cart>) {
    setBusy(true);
    setError(null);
    try {
      onCart(await action());
      setCode("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const applied = cart.discount_code;
  if (applied) {
    return (
      <div class="discount">
        <p>
          Code <strong>{applied.code}</strong>
          {applied.applies ? ` · −${formatMoney(cart.discount, cart.currency ?? "EUR")}` : ""}
        </p>
        {!applied.applies && applied.reason && <p class="inline-error">{applied.reason}</p>}
        <FormError error={error} />
        <Button variant="ghost" busy={busy} onClick={() => void run(() => del<Cart>("/v1/me/cart/discount"))}>
          Remove the code
        </Button>
      </div>
    );
  }
  const fieldError = error instanceof ApiError ? (error.fields.code ?? (error.status === 404 || error.status === 409 || error.status === 422 ? error.message : undefined)) : undefined;
  return (
    <form class="discount" onSubmit={(e) => (e.preventDefault(), void run(() => put<Cart>("/v1/me/cart/discount", { code: code.trim() })))}>
      <TextInput label="Discount code" value={code} onValue={setCode} maxLength={50} autoComplete="off" error={fieldError} />
      {!fieldError && <FormError error={error} />}
      <Button type="submit" busy={busy} disabled={!code.trim()}>
        Apply
      </Button>
    </form>
  );
}
