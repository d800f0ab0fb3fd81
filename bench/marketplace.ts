import Stripe from "stripe";
import { DEMO_PASSWORD } from "../scripts/seed";
import { buildWorker, jsonInit, median, roundTripMeter, setupCaller, startBenchDatabase, taggedUrl, workerInWorkerd, type Row, type WorkerExtras } from "./lib";

const STRIPE_KEY = "sk_test_bench_0123456789";
const WEBHOOK_SECRET = "whsec_bench_0123456789";
const seedId = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
const DUSTY_KEYS = { product: seedId(601), basicLease: seedId(701) };

/**
 * Stripe's API at the HTTP boundary of the benched Worker: Checkout Sessions are answered like
 * Stripe would (id, url, amount), every other outbound request (the database) passes through.
 */
function fakeStripe() {
  const sessions = new Map<string, Record<string, unknown>>();
  let n = 0;
  const outbound = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.hostname !== "api.stripe.com") {
      // miniflare's Request is not Node's: pass the database's requests on by their parts.
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      return fetch(request.url, { method: request.method, headers: request.headers, body });
    }
    if (request.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const form = new URLSearchParams(await request.text());
      const id = `cs_bench_${++n}`;
      const session = {
        id,
        object: "checkout.session",
        status: "open",
        payment_status: "unpaid",
        url: `https://checkout.stripe.com/c/pay/${id}`,
        client_reference_id: form.get("client_reference_id"),
        metadata: Object.fromEntries([...form].filter(([k]) => k.startsWith("metadata[")).map(([k, v]) => [k.slice(9, -1), v])),
        amount_total: [...form].filter(([k]) => k.endsWith("[price_data][unit_amount]")).reduce((s, [, v]) => s + Number(v), 0),
        currency: form.get("line_items[0][price_data][currency]") ?? "usd",
        payment_intent: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      };
      sessions.set(id, session);
      return Response.json(session);
    }
    return Response.json({ error: { type: "invalid_request_error", message: `bench: ${request.method} ${url.pathname} is not faked` } }, { status: 404 });
  };
  return { sessions, extras: { bindings: { STRIPE_SECRET_KEY: STRIPE_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, outbound } satisfies WorkerExtras };
}

/** checkout.session.completed for `session`, as Stripe would deliver it (signed with the endpoint secret). */
function completedDelivery(session: Record<string, unknown>, eventId: string): RequestInit {
  const event = {
    id: eventId,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type: "checkout.session.completed",
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: { ...session, status: "complete", payment_status: "paid", payment_intent: `pi_${eventId}` } },
  };
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  return { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload };
}

/**
 * Issue 8's figures: database round trips of the product page, add to cart, checkout and a webhook's
 * processing (DESIGN §8: 1 per read, ≤ 2 per write), each measured on a Worker of its own whose
 * database URL carries a tag the dev server counts by (signed-in calls after one warm-up request, so
 * the auth state is cached as on a warm isolate); Stripe is faked at the Worker's HTTP boundary.
 * For information, the wall time of the product page and of a whole webhook on this machine.
 */
export async function marketplaceBench(): Promise<Row[]> {
  const build = await buildWorker();
  const server = await startBenchDatabase();
  const stripe = fakeStripe();
  const rows: Row[] = [];
  try {
    const setup = workerInWorkerd(build.script, taggedUrl(server, "setup"), undefined, stripe.extras);
    const call = setupCaller(setup);
    const signIn = async (identifier: string) =>
      (await call("/v1/auth/login", jsonInit("POST", { identifier, password: DEMO_PASSWORD }))).session.accessToken as string;
    const buyer = await signIn("sam_listens");

    const measure = roundTripMeter({ script: build.script, server, area: "marketplace", rows, extras: stripe.extras });

    await measure("page", "GET /v1/products/:slug (product page, signed in)", 1, "/v1/products/dusty-highlife-keys", { headers: { authorization: `Bearer ${buyer}` } });
    await measure("page-anon", "GET /v1/products/:slug (product page, anonymous)", 1, "/v1/products/dusty-highlife-keys");
    await measure("cart-add", "POST /v1/me/cart/items", 2, "/v1/me/cart/items", jsonInit("POST", { product_id: DUSTY_KEYS.product, license_id: DUSTY_KEYS.basicLease }, buyer));
    await measure("cart", "GET /v1/me/cart", 1, "/v1/me/cart", { headers: { authorization: `Bearer ${buyer}` } });
    const checkout = await measure("checkout", "POST /v1/me/checkout (order + Stripe Checkout Session)", 2, "/v1/me/checkout", {
      ...jsonInit("POST", {}, buyer),
      headers: { "content-type": "application/json", authorization: `Bearer ${buyer}`, "idempotency-key": "bench-checkout-1" },
    });
    const sessionId = [...stripe.sessions.keys()].at(-1)!;
    if (!String(checkout.checkout_url ?? "").includes(sessionId)) throw new Error(`checkout answered ${JSON.stringify(checkout)}`);
    const delivery = completedDelivery(stripe.sessions.get(sessionId)!, "evt_bench_1");
    await measure("webhook", "POST /v1/webhooks/stripe (checkout.session.completed: order paid, licence, ledger, cart)", 2, "/v1/webhooks/stripe", delivery);
    await measure("webhook-again", "POST /v1/webhooks/stripe (the same event again: no-op)", 2, "/v1/webhooks/stripe", completedDelivery(stripe.sessions.get(sessionId)!, "evt_bench_1"));
    await measure("orders", "GET /v1/me/orders", 1, "/v1/me/orders", { headers: { authorization: `Bearer ${buyer}` } });

    // Wall time on this machine (local PGlite through the dev server), for information.
    const times: number[] = [];
    for (let i = 0; i < 55; i++) {
      const t0 = performance.now();
      const res = (await setup.dispatchFetch("https://veza.bench/v1/products/dusty-highlife-keys", { headers: { authorization: `Bearer ${buyer}` } })) as unknown as Response;
      await res.arrayBuffer();
      if (i >= 5) times.push(performance.now() - t0);
    }
    rows.push({ area: "marketplace", metric: "GET /v1/products/:slug, p50 over 50 (local PGlite)", value: median(times), unit: "ms", budget: "—" });

    const hooks: number[] = [];
    for (let i = 0; i < 20; i++) {
      await call("/v1/me/cart/items", jsonInit("POST", { product_id: DUSTY_KEYS.product, license_id: DUSTY_KEYS.basicLease }, buyer));
      const order = await call("/v1/me/checkout", jsonInit("POST", {}, buyer));
      const id = [...stripe.sessions.keys()].at(-1)!;
      if (!String(order.checkout_url).includes(id)) throw new Error("no session");
      const t0 = performance.now();
      const res = (await setup.dispatchFetch("https://veza.bench/v1/webhooks/stripe", completedDelivery(stripe.sessions.get(id)!, `evt_bench_loop_${i}`) as never)) as unknown as Response;
      if (!res.ok) throw new Error(`webhook: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      hooks.push(performance.now() - t0);
    }
    rows.push({ area: "marketplace", metric: "checkout.session.completed webhook, p50 over 20 (local PGlite)", value: median(hooks), unit: "ms", budget: "—" });
    await setup.dispose();
  } finally {
    await server.close();
  }
  return rows;
}
