import Stripe from "stripe";
import type { Env } from "../env";
import { ApiError } from "./errors";

/**
 * Stripe for Workers: the library's fetch HTTP client (no Node http) and SubtleCrypto for webhook
 * signatures. One client per secret key, kept for the isolate's life like the database client.
 */
const clients = new Map<string, Stripe>();
const cryptoProvider = Stripe.createSubtleCryptoProvider();

/** The platform's Stripe client; 503 when this deployment has no Stripe key (paid checkout is then off). */
export function stripeClient(env: Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_API_URL" | "ENVIRONMENT">): Stripe {
  const key = env.STRIPE_SECRET_KEY;
  if (!key) throw new ApiError("service_unavailable", "Payments are not configured on this server.");
  const where = apiLocation(env);
  const cacheKey = `${key} ${where ? JSON.stringify(where) : ""}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new Stripe(key, { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 2, timeout: 20_000, ...where });
    clients.set(cacheKey, client);
  }
  return client;
}

/**
 * Outside production only: STRIPE_API_URL points the client at a local stand-in for Stripe's API
 * (scripts/stripe-dev.ts, which the browser tests start), since development machines have no way
 * out. Production always talks to api.stripe.com, whatever the variable says.
 */
function apiLocation(env: Pick<Env, "STRIPE_API_URL" | "ENVIRONMENT">): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> | null {
  if (!env.STRIPE_API_URL || env.ENVIRONMENT === "production") return null;
  const url = new URL(env.STRIPE_API_URL);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: Number(url.port || (protocol === "http" ? 80 : 443)), protocol };
}

/**
 * Verifies a webhook's `Stripe-Signature` over the raw body and returns the event. Several endpoint
 * secrets may be configured (comma-separated: the platform endpoint and the Connect endpoint, or an
 * old and a new secret during rotation); the body is accepted when any of them signed it.
 */
export async function verifyStripeEvent(
  env: Pick<Env, "STRIPE_WEBHOOK_SECRET">,
  rawBody: string,
  signature: string | undefined,
): Promise<Stripe.Event> {
  const secrets = (env.STRIPE_WEBHOOK_SECRET ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (secrets.length === 0) throw new ApiError("service_unavailable", "Stripe webhooks are not configured on this server.");
  if (!signature) throw new ApiError("bad_request", "The Stripe-Signature header is missing.");
  for (const secret of secrets) {
    try {
      return await Stripe.webhooks.constructEventAsync(rawBody, signature, secret, undefined, cryptoProvider);
    } catch (error) {
      // Signed but not JSON: nothing Stripe sends, and nothing to apply.
      if (error instanceof SyntaxError) throw new ApiError("bad_request", "The webhook body is not a JSON event.");
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
    }
  }
  throw new ApiError("bad_request", "The Stripe signature does not match this body.");
}

/** Amounts in the database are DECIMAL(10,2) strings; Stripe wants integer minor units. */
export function toMinorUnits(amount: string | number): number {
  const [whole, fraction = ""] = String(amount).split(".");
  const sign = whole!.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number((fraction + "00").slice(0, 2)));
}

/** Integer minor units back to a DECIMAL(10,2) string. */
export function fromMinorUnits(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export type { Stripe };
