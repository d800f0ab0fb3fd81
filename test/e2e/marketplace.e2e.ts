import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { baseUrl, PHONE, shot, useBrowser } from "./browser";
import { apiJson, registerUser, signIn, type TestUser } from "./support";

/**
 * The marketplace in the web app, against the seeded demo shop: the catalogue and its filters, a
 * product page with its licences, buying a licence (the cart, then checkout with an
 * Idempotency-Key), a free pack that checks out without Stripe and lands on its order with a licence
 * key (then reviewed), and the cart Stripe's cancel URL comes back to.
 *
 * Paid checkout goes to Stripe: the platform talks to the Stripe stand-in the harness starts
 * (scripts/stripe-dev.ts: this machine cannot reach api.stripe.com), and the browser's redirect to the
 * session's checkout.stripe.com page is intercepted and answered locally.
 */

const browser = useBrowser();
const PAID = "dusty-highlife-keys";
const FREE = "rain-on-a-tin-roof";

interface CartJson {
  items: { product_slug: string; license: { name: string } | null; price: string }[];
  total: string;
}
interface OrderJson {
  id: string;
  order_number: string;
  status: string;
  total: string;
  items: { product_name: string; license_key: string | null }[];
}

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole("heading", { level: 1, name }).waitFor({ state: "visible", timeout: 30_000 });
}

interface StripeSession {
  id: string;
  url: string;
  success_url: string;
  cancel_url: string;
  amount_total: number;
  currency: string;
  client_reference_id: string;
  metadata: { orderId?: string };
}

/** The Checkout Sessions the platform created at the Stripe stand-in. */
const stripeSessions = async () => (await (await fetch(`${inject("stripeUrl")}/__sessions`)).json()) as StripeSession[];

/** Records any navigation towards Stripe Checkout (answered locally, never sent anywhere). */
async function watchStripe(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.route("https://checkout.stripe.com/**", async (route) => {
    seen.push(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Stripe Checkout (test stand-in)</h1>" });
  });
  return seen;
}

describe("the marketplace in the web app", () => {
  let buyer: TestUser;

  it("browses the catalogue with filters and opens a product page with its licences", async () => {
    const page = await browser.newPage();
    await page.goto("/marketplace");
    await heading(page, "Marketplace");
    const products = page.getByRole("list", { name: "Products" });
    await products.getByRole("link", { name: "Dusty Highlife Keys" }).waitFor();
    await products.getByRole("link", { name: "Rain on a Tin Roof" }).waitFor();
    await shot(page, "marketplace");

    // A category narrows the list, and is kept in the address.
    await page.getByRole("radio", { name: "Presets" }).check();
    await products.getByRole("link", { name: "Felt Piano Presets" }).waitFor();
    await expect.poll(() => products.getByRole("link", { name: "Dusty Highlife Keys" }).count()).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.get("category")).toBe("preset");
    // A price range the API refuses is shown by its field.
    await page.getByRole("radio", { name: "Everything" }).check();
    await page.getByText("More filters").click();
    await page.getByLabel("Price from").fill("50");
    await page.getByLabel("Price up to").fill("10");
    await page.getByText("must not be below priceMin").waitFor();
    await page.getByLabel("Price from").fill("0");
    await page.getByLabel("Price up to").fill("20");
    await products.getByRole("link", { name: "Dusty Highlife Keys" }).waitFor();

    // The product page, signed out: licences with prices and terms, and a way to sign in to buy.
    await products.getByRole("link", { name: "Dusty Highlife Keys" }).click();
    await heading(page, "Dusty Highlife Keys");
    expect(new URL(page.url()).pathname).toBe(`/marketplace/${PAID}`);
    await page.getByRole("group", { name: "Choose a licence" }).waitFor();
    for (const [name, price] of [["Basic lease", "€19.00"], ["Premium lease", "€49.00"], ["Exclusive", "€399.00"]]) {
      await page.getByRole("radio", { name: new RegExp(`^${name}`) }).waitFor();
      await page.locator(".license", { hasText: name! }).getByText(price!).waitFor();
    }
    expect(await page.getByRole("radio", { name: /^Basic lease/ }).isChecked()).toBe(true);
    await page.getByRole("link", { name: "Sign in to buy" }).waitFor();
    await page.getByRole("link", { name: "Okra Mensah" }).first().waitFor();
  });

  it("buys a licence: Buy now adds it to the cart, checks out and sends the browser to Stripe's payment page", async () => {
    buyer = await registerUser("mkbuy");
    const page = await browser.newPage();
    const stripe = await watchStripe(page);
    await signIn(page, buyer, `/marketplace/${PAID}`);
    await heading(page, "Dusty Highlife Keys");
    await page.getByRole("radio", { name: /^Premium lease/ }).check();
    await page.locator(".buy-price").getByText("€49.00").waitFor();
    await shot(page, "product");

    const checkout = page.waitForRequest((r: Request) => r.method() === "POST" && new URL(r.url()).pathname === "/v1/me/checkout");
    await page.getByRole("button", { name: "Buy now" }).click();
    const request = await checkout;
    // A retry-safe checkout: the request carries an Idempotency-Key.
    expect(request.headers()["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    // The browser goes to the session's payment page.
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\//, { timeout: 30_000 });
    await page.getByRole("heading", { name: "Stripe Checkout (test stand-in)" }).waitFor();

    // The platform made one session for a pending order of this licence, and sent the buyer to it.
    const orders = await apiJson<{ items: OrderJson[] }>("/v1/me/orders", { token: buyer.token });
    expect(orders.items).toEqual([expect.objectContaining({ status: "pending", total: "49.00" })]);
    const orderId = orders.items[0]!.id;
    const session = (await stripeSessions()).find((s) => s.client_reference_id === orderId);
    expect(session).toMatchObject({
      amount_total: 4900,
      currency: "eur",
      metadata: { orderId },
      success_url: `${baseUrl()}/orders/${orderId}?checkout=success`,
      cancel_url: `${baseUrl()}/cart?checkout=cancelled`,
    });
    expect(stripe).toEqual([session!.url]);

    // The buyer cancels on Stripe's page and comes back to the cart.
    await page.goto(session!.cancel_url);
    await heading(page, "Your cart");
    await page.getByText("Checkout cancelled — nothing was charged.").waitFor();
  });

  it("checks out a cart with a discount code, on a phone, at the discounted price", async () => {
    const shopper = await registerUser("mkcart");
    const page = await browser.newPage(PHONE);
    const stripe = await watchStripe(page);
    await signIn(page, shopper, `/marketplace/${PAID}`);
    await heading(page, "Dusty Highlife Keys");
    await page.getByRole("radio", { name: /^Premium lease/ }).check();
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.getByRole("link", { name: "View cart and check out" }).click();
    await heading(page, "Your cart");
    const items = page.getByRole("list", { name: "Items" });
    await items.getByRole("link", { name: "Dusty Highlife Keys" }).waitFor();
    await items.getByText("Premium lease").waitFor();

    // The seller's code: 10 % off.
    await page.getByLabel("Discount code").fill("nope-not-a-code");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("is not a valid discount code").waitFor();
    await page.getByLabel("Discount code").fill("highlife10");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("HIGHLIFE10").waitFor();
    await page.locator(".totals .total").getByText("€44.10").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(page, "cart-phone");

    await page.getByRole("button", { name: "Check out" }).click();
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\//, { timeout: 30_000 });
    const orders = await apiJson<{ items: OrderJson[] }>("/v1/me/orders", { token: shopper.token });
    expect(orders.items).toEqual([expect.objectContaining({ status: "pending", total: "44.10" })]);
    const session = (await stripeSessions()).find((s) => s.client_reference_id === orders.items[0]!.id);
    expect(session?.amount_total).toBe(4410);
    expect(stripe).toEqual([session!.url]);
  });

  it("gets a free pack: checkout completes without Stripe, lands on the order with its licence key, and reviews it", async () => {
    const user = await registerUser("mkfree");
    const page = await browser.newPage();
    const stripe = await watchStripe(page);
    await signIn(page, user, `/marketplace/${FREE}`);
    await heading(page, "Rain on a Tin Roof");
    await page.getByRole("button", { name: "Get it free" }).click();

    await heading(page, /^Order ORD-\d{4}-\d{5,}$/);
    const url = new URL(page.url());
    expect(url.pathname).toMatch(/^\/orders\/[0-9a-f-]{36}$/);
    expect(url.searchParams.get("checkout")).toBe("success");
    expect(stripe).toEqual([]);
    await page.getByText("It’s yours: your licence keys and files are below.").waitFor();
    const order = await apiJson<OrderJson>(`/v1/me/orders/${url.pathname.split("/").pop()}`, { token: user.token });
    expect(order.status).toMatch(/^(paid|completed)$/);
    expect(order.total).toBe("0.00");
    const key = order.items[0]!.license_key!;
    expect(key).toMatch(/^VEZA-/);
    await page.locator(".license-key code").getByText(key).waitFor();
    await shot(page, "order");

    // Reviewed from the order, then shown on the product page.
    await page.getByRole("button", { name: "Review Rain on a Tin Roof" }).click();
    await page.getByRole("radio", { name: "5 stars" }).check();
    await page.getByLabel("Title (optional)").fill("Perfect for rainy mixes");
    await page.getByLabel(/Your review/).fill("Warm, even rain with no birds or traffic in it.");
    await page.getByRole("button", { name: "Publish the review" }).click();
    await page.getByText("your 5-star review of Rain on a Tin Roof is published").waitFor();
    await page.goto(`/marketplace/${FREE}`);
    await heading(page, "Rain on a Tin Roof");
    const reviews = page.getByRole("list", { name: "Reviews" });
    await reviews.getByText("Perfect for rainy mixes").waitFor();
    await reviews.getByText("verified purchase", { exact: false }).waitFor();
    await page.getByText("You already bought this product.").waitFor();
  });
});
