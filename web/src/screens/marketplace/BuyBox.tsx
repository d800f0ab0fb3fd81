import { useLocation } from "preact-iso";
import { useId, useState } from "preact/hooks";
import { ApiError, post } from "../../api";
import { paths } from "../../paths";
import { me, signedIn } from "../../session";
import { Button, FormError } from "../../ui";
import { checkOut } from "./checkout";
import { formatMoney } from "./money";
import type { AddCartItemBody, Cart, License, Product } from "./types";

/**
 * Choosing what to buy on a product page: a licence (when the product has some), an amount (pay what
 * you want), then "Add to cart" or "Buy now". Buy now adds the item and checks out at once — unless
 * the cart holds other things too, then it opens the cart so nothing else is bought by surprise.
 */
export function BuyBox({ product }: { product: Product }) {
  const id = useId();
  const location = useLocation();
  const licenses = product.licenses.filter((l) => l.is_active);
  const [licenseId, setLicenseId] = useState<string | null>(licenses.find((l) => l.available)?.id ?? null);
  const license = licenses.find((l) => l.id === licenseId) ?? null;
  const floor = product.pricing_model === "pwyw" ? (license?.price ?? product.minimum_price ?? "0") : null;
  const suggested = product.pricing_model === "pwyw" ? String(Math.max(Number(product.price), Number(floor ?? 0)).toFixed(2)) : null;
  const [amount, setAmount] = useState(suggested ?? "");
  const [busy, setBusy] = useState<"cart" | "buy" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<Cart | null>(null);

  const own = me.value?.id === product.seller.id;
  const needsLicense = licenses.length > 0;
  const free = product.pricing_model === "free";
  const price = free ? null : product.pricing_model === "pwyw" ? null : license?.price ?? product.price;

  if (!product.for_sale) {
    return (
      <div class="buy-box card">
        <p class="buy-unavailable">{product.status === "sold_out" ? "Sold out." : "Not for sale right now."}</p>
      </div>
    );
  }
  if (own) {
    return (
      <div class="buy-box card">
        <p class="muted">This is your product: this is how buyers see it.</p>
      </div>
    );
  }

  async function addToCart(): Promise<Cart> {
    const body: AddCartItemBody = { product_id: product.id };
    if (needsLicense && licenseId) body.license_id = licenseId;
    if (product.pricing_model === "pwyw") body.amount = amount.trim();
    return post<Cart>("/v1/me/cart/items", body);
  }

  async function act(kind: "cart" | "buy") {
    setBusy(kind);
    setError(null);
    setAdded(null);
    let cart: Cart | null = null;
    try {
      cart = await addToCart();
      if (kind === "cart") {
        setAdded(cart);
      } else if (cart.item_count > 1) {
        location.route(`${paths.cart}?from=buy-now`);
      } else {
        await checkOut((url) => location.route(url));
        // The browser is on its way to the payment page: keep the button busy until it leaves.
        return;
      }
    } catch (err) {
      setError(err);
      // Added, but the checkout failed: it waits in the cart.
      if (cart) setAdded(cart);
    }
    setBusy(null);
  }

  const fields = error instanceof ApiError ? error.fields : {};
  const signInHref = paths.signIn(location.url);
  return (
    <div class="buy-box card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="visually-hidden">
        Buy
      </h2>
      {needsLicense && (
        <fieldset class="licenses">
          <legend>Choose a licence</legend>
          {fields.license_id && <p class="field-error">{fields.license_id}</p>}
          {licenses.map((l) => (
            <LicenseOption key={l.id} license={l} currency={product.currency} checked={l.id === licenseId} onSelect={() => setLicenseId(l.id)} name={`${id}-license`} />
          ))}
        </fieldset>
      )}
      {product.pricing_model === "pwyw" && (
        <div class={`field${fields.amount ? " field-invalid" : ""}`}>
          <label for={`${id}-amount`}>Name your price ({product.currency})</label>
          <p class="field-hint" id={`${id}-amount-hint`}>
            At least {formatMoney(floor ?? "0", product.currency)}; the seller suggests {formatMoney(suggested ?? "0", product.currency)}.
          </p>
          <input
            id={`${id}-amount`}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            pattern="\d{1,6}(\.\d{1,2})?"
            value={amount}
            onInput={(e) => setAmount(e.currentTarget.value)}
            aria-describedby={`${id}-amount-hint${fields.amount ? ` ${id}-amount-error` : ""}`}
            aria-invalid={fields.amount ? true : undefined}
          />
          {fields.amount && (
            <p class="field-error" id={`${id}-amount-error`}>
              {fields.amount}
            </p>
          )}
        </div>
      )}
      <p class="buy-price">
        {free ? "Free" : price ? formatMoney(price, product.currency) : amount && /^\d+(\.\d{1,2})?$/.test(amount.trim()) ? formatMoney(amount.trim(), product.currency) : ""}
        {license && <span class="muted small"> · {license.name}</span>}
      </p>
      <FormError error={error} />
      {signedIn.value ? (
        <div class="form-actions">
          <Button variant="primary" busy={busy === "buy"} disabled={busy !== null || (needsLicense && !license?.available)} onClick={() => void act("buy")}>
            {free ? "Get it free" : "Buy now"}
          </Button>
          <Button busy={busy === "cart"} disabled={busy !== null || (needsLicense && !license?.available)} onClick={() => void act("cart")}>
            Add to cart
          </Button>
        </div>
      ) : (
        <p>
          <a class="btn btn-primary" href={signInHref}>
            Sign in to buy
          </a>
        </p>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {busy === "buy" ? "Opening the checkout…" : ""}
      </p>
      {added && (
        <p class="notice" role="status">
          Added to your cart ({added.item_count} {added.item_count === 1 ? "item" : "items"}, {formatMoney(added.total, added.currency ?? product.currency)}).{" "}
          <a href={paths.cart}>View cart and check out</a>
        </p>
      )}
      {product.purchased && <p class="muted small">You already bought this product.</p>}
      <p class="muted small">Payments are handled by Stripe. You get your files and licence key as soon as the payment is confirmed.</p>
    </div>
  );
}

function LicenseOption({ license: l, currency, checked, onSelect, name }: { license: License; currency: string; checked: boolean; onSelect: () => void; name: string }) {
  const id = useId();
  return (
    <div class={`license${checked ? " license-on" : ""}${l.available ? "" : " license-off"}`}>
      <input type="radio" id={id} name={name} checked={checked} disabled={!l.available} onChange={onSelect} aria-describedby={`${id}-about`} />
      <label for={id}>
        <span class="license-name">{l.name}</span>
        <span class="license-price">{formatMoney(l.price, currency)}</span>
      </label>
      <div id={`${id}-about`} class="license-about small">
        {l.description && <p>{l.description}</p>}
        <p class="muted">
          {l.is_exclusive ? "Exclusive: one buyer only. " : ""}
          {!l.available ? "Sold out." : l.remaining !== null ? `${l.remaining} left.` : ""}
        </p>
      </div>
      <details class="license-terms small">
        <summary>Terms{l.usage_rights && Object.keys(l.usage_rights).length ? " and usage rights" : ""}</summary>
        <p class="terms-text">{l.terms}</p>
        {l.usage_rights && Object.keys(l.usage_rights).length > 0 && (
          <dl class="rights">
            {Object.entries(l.usage_rights).map(([k, v]) => (
              <div key={k}>
                <dt>{k.replace(/_/g, " ")}</dt>
                <dd>{v === true ? "yes" : v === false ? "no" : v === null ? "—" : String(v)}</dd>
              </div>
            ))}
          </dl>
        )}
      </details>
    </div>
  );
}
