/**
 * A local stand-in for the part of Stripe's API that checkout uses: creating a Checkout Session
 * (`POST /v1/checkout/sessions`, idempotent by `Idempotency-Key` as Stripe is) and expiring one.
 * Development machines and the browser tests cannot reach api.stripe.com; the Worker talks to this
 * instead when STRIPE_API_URL names it (never in production: src/lib/stripe.ts). The session's
 * `url` is a checkout.stripe.com address, which the browser tests intercept.
 *
 *   npx tsx scripts/stripe-dev.ts [--port 12111]
 *
 * then `STRIPE_SECRET_KEY=sk_test_dev` and `STRIPE_API_URL=http://127.0.0.1:12111` in .dev.vars.
 * `GET /__sessions` lists the sessions created, for tests.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInSession {
  id: string;
  object: "checkout.session";
  url: string;
  status: "open" | "expired";
  mode: string;
  client_reference_id: string | null;
  customer_email: string | null;
  success_url: string;
  cancel_url: string;
  metadata: Record<string, string>;
  amount_total: number;
  currency: string | null;
  payment_status: "unpaid";
  expires_at: number;
}

export interface StripeStandIn {
  url: string;
  sessions: StandInSession[];
  close(): Promise<void>;
}

/** Stripe's form encoding (`a[b][0][c]=1`) read back into plain objects and arrays. */
function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = out as Record<string, unknown>;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

const lines = (form: Record<string, unknown>) => Object.values((form.line_items ?? {}) as Record<string, Record<string, unknown>>);

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(6).toString("hex")}` });
  res.end(JSON.stringify(body));
}

const invalid = (res: ServerResponse, status: number, message: string, param?: string) =>
  send(res, status, { error: { type: "invalid_request_error", message, ...(param ? { param } : {}) } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startStripeStandIn(port = 0): Promise<StripeStandIn> {
  const sessions: StandInSession[] = [];
  const byIdempotencyKey = new Map<string, StandInSession>();

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://stripe.local").pathname;
    if (req.method === "GET" && path === "/__sessions") return send(res, 200, sessions);
    if (!/^Bearer sk_test_\w+$/.test(req.headers.authorization ?? "")) {
      return send(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided (the stand-in takes sk_test_ keys only)." } });
    }
    const form = parseForm(await readBody(req));

    if (req.method === "POST" && path === "/v1/checkout/sessions") {
      const key = req.headers["idempotency-key"];
      const again = typeof key === "string" ? byIdempotencyKey.get(key) : undefined;
      if (again) return send(res, 200, again);
      for (const field of ["success_url", "cancel_url", "mode"]) {
        if (typeof form[field] !== "string") return invalid(res, 400, `Missing required param: ${field}.`, field);
      }
      const items = lines(form);
      if (!items.length) return invalid(res, 400, "A Checkout Session needs at least one line item.", "line_items");
      let amount = 0;
      let currency: string | null = null;
      for (const item of items) {
        const price = item.price_data as Record<string, string> | undefined;
        const unit = Number(price?.unit_amount);
        if (!price || !Number.isInteger(unit) || unit < 0) return invalid(res, 400, "line_items need price_data with an integer unit_amount.", "line_items");
        amount += unit * Number(item.quantity ?? 1);
        currency = price.currency ?? currency;
      }
      const id = `cs_test_${randomBytes(12).toString("hex")}`;
      const session: StandInSession = {
        id,
        object: "checkout.session",
        url: `https://checkout.stripe.com/c/pay/${id}`,
        status: "open",
        mode: form.mode as string,
        client_reference_id: (form.client_reference_id as string | undefined) ?? null,
        customer_email: (form.customer_email as string | undefined) ?? null,
        success_url: form.success_url as string,
        cancel_url: form.cancel_url as string,
        metadata: (form.metadata ?? {}) as Record<string, string>,
        amount_total: amount,
        currency,
        payment_status: "unpaid",
        expires_at: Number(form.expires_at) || Math.floor(Date.now() / 1000) + 86_400,
      };
      sessions.push(session);
      if (typeof key === "string") byIdempotencyKey.set(key, session);
      return send(res, 200, session);
    }

    const expire = /^\/v1\/checkout\/sessions\/(cs_test_\w+)\/expire$/.exec(path);
    if (req.method === "POST" && expire) {
      const session = sessions.find((s) => s.id === expire[1]);
      if (!session) return invalid(res, 404, `No such checkout.session: '${expire[1]}'`, "session");
      session.status = "expired";
      return send(res, 200, session);
    }
    return invalid(res, 404, `Unrecognized request URL (${req.method}: ${path}); the stand-in serves Checkout Sessions only.`);
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    sessions,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--port");
  const standIn = await startStripeStandIn(at > 0 ? Number(process.argv[at + 1]) : 12111);
  console.log(`[stripe-dev] Stripe stand-in at ${standIn.url} (STRIPE_API_URL=${standIn.url}, STRIPE_SECRET_KEY=sk_test_dev)`);
}
