import { env, exports } from "cloudflare:workers";
import { http, HttpResponse, type HttpHandler } from "msw";
import { setupServer } from "msw/node";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll } from "vitest";
import { readResponse } from "./auth";
import { uniq } from "./db";

/**
 * Stripe's API, intercepted at the HTTP boundary with MSW: the Worker's `stripe` client sends real
 * requests (form-encoded, with its Authorization and Idempotency-Key headers) and gets answers shaped
 * like Stripe's. State is kept per object so a flow can go session → webhook → refund like it would.
 * Webhook deliveries are signed with the library's own test-header helper and POSTed to the Worker.
 *
 * Usage in a test file: `const stripe = useFakeStripe();` at top level (installs the MSW server for
 * the file), then `stripe.sessions`, `stripe.requests`, `await stripe.deliver(event)`.
 */

export const STRIPE_API = "https://api.stripe.com";

export interface StripeRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: Headers;
}

type Obj = Record<string, any>;

/** `a[b][0][c]=x` → { a: { b: [ { c: "x" } ] } }: Stripe's form encoding back to an object. */
export function parseStripeForm(params: URLSearchParams): Obj {
  const root: Obj = {};
  for (const [key, value] of params) {
    const parts = key.split(/\[|\]\[|\]/).filter((p) => p !== "");
    let node: any = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_test_${uniq().replace(/[^a-zA-Z0-9]/g, "")}${Math.random().toString(36).slice(2, 8)}`;
const now = () => Math.floor(Date.now() / 1000);

export class FakeStripe {
  readonly requests: StripeRequest[] = [];
  readonly sessions = new Map<string, Obj>();
  readonly accounts = new Map<string, Obj>();
  readonly transfers = new Map<string, Obj>();
  readonly refunds = new Map<string, Obj>();
  readonly accountLinks: Obj[] = [];
  /** Responses already given per Idempotency-Key, replayed like Stripe does. */
  private readonly idempotent = new Map<string, Obj>();
  /** When set, the next matching request gets this response instead (provider trouble, declines). */
  failNext: { path: RegExp; method?: "GET" | "POST"; response: () => Response } | null = null;

  handlers(): HttpHandler[] {
    const route = (method: "get" | "post", path: string, answer: (req: StripeRequest, params: Record<string, string>) => Obj | Response) =>
      http[method](`${STRIPE_API}${path}`, async ({ request, params }) => {
        const url = new URL(request.url);
        // Stripe's bodies are form-encoded: read as bytes (workerd warns on .text() of a non-text type).
        const body = method === "post" ? new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())) : url.searchParams;
        const req: StripeRequest = { method: request.method, path: url.pathname, params: body, headers: request.headers };
        this.requests.push(req);
        if (!request.headers.get("authorization")?.startsWith("Bearer sk_")) {
          return HttpResponse.json({ error: { type: "invalid_request_error", message: "Invalid API Key provided" } }, { status: 401 });
        }
        if (this.failNext && this.failNext.path.test(url.pathname) && (!this.failNext.method || this.failNext.method === request.method)) {
          const fail = this.failNext;
          this.failNext = null;
          return fail.response();
        }
        const key = request.headers.get("idempotency-key");
        const replay = key && method === "post" ? this.idempotent.get(`${url.pathname} ${key}`) : undefined;
        if (replay) return HttpResponse.json(replay);
        const result = answer(req, params as Record<string, string>);
        if (result instanceof Response) return result;
        if (key && method === "post") this.idempotent.set(`${url.pathname} ${key}`, result);
        return HttpResponse.json(result);
      });
    const missing = (what: string, objId: string) =>
      HttpResponse.json({ error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}: '${objId}'` } }, { status: 404 });

    return [
      route("post", "/v1/checkout/sessions", ({ params }) => {
        const p = parseStripeForm(params);
        const lines: Obj[] = p.line_items ?? [];
        const amountTotal = lines.reduce((sum, l) => sum + Number(l.price_data?.unit_amount ?? 0) * Number(l.quantity ?? 1), 0);
        const sessionId = id("cs");
        const session = {
          id: sessionId,
          object: "checkout.session",
          mode: p.mode ?? "payment",
          status: "open",
          payment_status: "unpaid",
          url: `https://checkout.stripe.com/c/pay/${sessionId}`,
          success_url: p.success_url ?? null,
          cancel_url: p.cancel_url ?? null,
          client_reference_id: p.client_reference_id ?? null,
          customer_email: p.customer_email ?? null,
          currency: (lines[0]?.price_data?.currency ?? "usd").toLowerCase(),
          amount_subtotal: amountTotal,
          amount_total: amountTotal,
          metadata: p.metadata ?? {},
          payment_intent: null,
          line_items_requested: lines,
          expires_at: p.expires_at ? Number(p.expires_at) : now() + 24 * 3600,
          created: now(),
          livemode: false,
        };
        this.sessions.set(sessionId, session);
        return session;
      }),
      route("get", "/v1/checkout/sessions/:id", (_req, { id: sid }) => this.sessions.get(sid!) ?? missing("checkout.session", sid!)),
      route("post", "/v1/checkout/sessions/:id/expire", (_req, { id: sid }) => {
        const session = this.sessions.get(sid!);
        if (!session) return missing("checkout.session", sid!);
        if (session.status !== "open") {
          return HttpResponse.json({ error: { type: "invalid_request_error", message: `Only Checkout Sessions with a status in [\"open\"] can be expired.` } }, { status: 400 });
        }
        session.status = "expired";
        return session;
      }),
      route("post", "/v1/refunds", ({ params }) => {
        const p = parseStripeForm(params);
        const refund = { id: id("re"), object: "refund", amount: p.amount ? Number(p.amount) : null, payment_intent: p.payment_intent ?? null, charge: p.charge ?? null, status: "succeeded", metadata: p.metadata ?? {}, created: now() };
        this.refunds.set(refund.id, refund);
        return refund;
      }),
      route("post", "/v1/accounts", ({ params }) => {
        const p = parseStripeForm(params);
        const account = { id: id("acct"), object: "account", type: p.type ?? "express", email: p.email ?? null, country: p.country ?? "US", charges_enabled: false, payouts_enabled: false, details_submitted: false, metadata: p.metadata ?? {}, created: now() };
        this.accounts.set(account.id, account);
        return account;
      }),
      route("get", "/v1/accounts/:id", (_req, { id: aid }) => this.accounts.get(aid!) ?? missing("account", aid!)),
      route("post", "/v1/account_links", ({ params }) => {
        const p = parseStripeForm(params);
        if (!this.accounts.has(p.account)) return missing("account", p.account);
        const link = { object: "account_link", url: `https://connect.stripe.com/setup/e/${p.account}/${uniq()}`, account: p.account, refresh_url: p.refresh_url, return_url: p.return_url, type: p.type, created: now(), expires_at: now() + 300 };
        this.accountLinks.push(link);
        return link;
      }),
      route("post", "/v1/accounts/:id/login_links", (_req, { id: aid }) =>
        this.accounts.has(aid!) ? { object: "login_link", url: `https://connect.stripe.com/express/${aid}/${uniq()}`, created: now() } : missing("account", aid!),
      ),
      route("get", "/v1/transfers", ({ params }) => {
        const group = params.get("transfer_group");
        const data = [...this.transfers.values()].filter((t) => !group || t.transfer_group === group).reverse();
        return { object: "list", url: "/v1/transfers", has_more: false, data: data.slice(0, Number(params.get("limit") ?? 10)) };
      }),
      route("post", "/v1/transfers", ({ params }) => {
        const p = parseStripeForm(params);
        if (!this.accounts.has(p.destination)) return missing("account", p.destination);
        const transfer = { id: id("tr"), object: "transfer", amount: Number(p.amount), currency: p.currency, destination: p.destination, transfer_group: p.transfer_group ?? null, metadata: p.metadata ?? {}, reversed: false, amount_reversed: 0, created: now() };
        this.transfers.set(transfer.id, transfer);
        return transfer;
      }),
    ];
  }

  /** Stripe keeps idempotency keys 24 hours: after that, a retried request is a new one. */
  forgetIdempotencyKeys(): void {
    this.idempotent.clear();
  }

  /** Requests to one path (e.g. "/v1/checkout/sessions"), with their decoded bodies. */
  calls(path: string): Obj[] {
    return this.requests.filter((r) => r.path === path).map((r) => parseStripeForm(r.params));
  }

  /** An event as Stripe sends it. `account` is set for Connect events from a connected account. */
  event(type: string, object: Obj, options: { id?: string; account?: string; previousAttributes?: Obj } = {}): Obj {
    return {
      id: options.id ?? id("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      ...(options.account ? { account: options.account } : {}),
      data: { object, ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}) },
    };
  }

  /** The session as Stripe shows it once the buyer paid: complete, paid, with a payment intent. */
  completeSession(sessionId: string): Obj {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no such checkout session ${sessionId}`);
    Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: session.payment_intent ?? id("pi") });
    return this.event("checkout.session.completed", { ...session });
  }

  /** checkout.session.expired for a session nobody paid. */
  expireSession(sessionId: string): Obj {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no such checkout session ${sessionId}`);
    session.status = "expired";
    return this.event("checkout.session.expired", { ...session });
  }

  /** charge.refunded for a paid session's payment (all of it unless `amount`, in minor units). */
  refundCharge(sessionId: string, amount?: number): Obj {
    const session = this.sessions.get(sessionId);
    if (!session?.payment_intent) throw new Error(`session ${sessionId} was not paid`);
    const refunded = amount ?? session.amount_total;
    const refund = { id: id("re"), object: "refund", amount: refunded, payment_intent: session.payment_intent, status: "succeeded", created: now() };
    this.refunds.set(refund.id, refund);
    return this.event("charge.refunded", {
      id: id("ch"),
      object: "charge",
      amount: session.amount_total,
      amount_refunded: refunded,
      currency: session.currency,
      payment_intent: session.payment_intent,
      refunded: refunded >= session.amount_total,
      refunds: { object: "list", data: [refund], has_more: false },
      metadata: session.metadata,
    });
  }

  /** account.updated after the seller finished (or not) Stripe's onboarding. */
  updateAccount(accountId: string, changes: Partial<{ charges_enabled: boolean; payouts_enabled: boolean; details_submitted: boolean }>): Obj {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no such account ${accountId}`);
    Object.assign(account, changes);
    return this.event("account.updated", { ...account }, { account: accountId });
  }

  /** POSTs `event` to the Worker's webhook endpoint, signed with the endpoint secret (or `secret`). */
  async deliver(event: Obj, options: { secret?: string; signature?: string; rawBody?: string } = {}) {
    const payload = options.rawBody ?? JSON.stringify(event);
    const signature =
      options.signature ??
      (await Stripe.webhooks.generateTestHeaderStringAsync({
        payload,
        secret: options.secret ?? env.STRIPE_WEBHOOK_SECRET!.split(",")[0]!,
        cryptoProvider: Stripe.createSubtleCryptoProvider(),
      }));
    const res = await exports.default.fetch("https://veza.test/v1/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
    return readResponse(res);
  }
}

/** Installs a FakeStripe for the calling test file (MSW; everything that is not Stripe passes through). */
export function useFakeStripe(): FakeStripe {
  const stripe = new FakeStripe();
  const server = setupServer(...stripe.handlers());
  beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
  afterEach(() => {
    stripe.failNext = null;
  });
  afterAll(() => server.close());
  return stripe;
}
