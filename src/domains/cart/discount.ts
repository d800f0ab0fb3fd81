import { fromMinorUnits, toMinorUnits } from "../../lib/stripe";

/**
 * A discount code as the cart and checkout see it, and the pure arithmetic of applying it. All money
 * is computed in integer minor units (cents) so an allocation adds up exactly; the database keeps
 * DECIMAL(10,2) strings.
 */
export type CodeState = {
  id: string;
  code: string;
  discount_type: "percentage" | "fixed_amount";
  discount_value: string;
  minimum_purchase_amount: string | null;
  maximum_discount_amount: string | null;
  usage_limit: number | null;
  usage_count: number;
  valid_from: string;
  valid_until: string;
  is_active: boolean;
  /** valid_from <= now() < valid_until, by the database's clock. */
  started: boolean;
  ended: boolean;
  creator_id: string | null;
  /** An administrator's code discounts the whole cart; a seller's only that seller's items. */
  creator_is_admin: boolean;
  /** The creator's account is live (not banned, not deleted): nobody else may bear the discount. */
  creator_live: boolean;
};

/** A cart line as far as discounts care. */
export type PricedLine = { product_id: string; seller_id: string; price: string };

export type DiscountOutcome =
  | { applies: true; amount: number; perLine: Map<string, number> }
  | { applies: false; reason: string; amount: 0; perLine: Map<string, number> };

const refused = (reason: string): DiscountOutcome => ({ applies: false, reason, amount: 0, perLine: new Map() });

/** Why a code cannot be used at all right now (before looking at the cart), or null. */
export function codeUnusable(code: CodeState): { reason: string; status: "invalid" | "used_up" } | null {
  if (!code.is_active || !code.creator_live || code.creator_id === null) return { reason: "is not a valid discount code", status: "invalid" };
  if (!code.started) return { reason: "is not valid yet", status: "invalid" };
  if (code.ended) return { reason: "has expired", status: "invalid" };
  if (code.usage_limit !== null && code.usage_count >= code.usage_limit) return { reason: "has been used up", status: "used_up" };
  return null;
}

/**
 * The discount `code` gives `lines`: on the eligible lines (the creator's own items, or every line for
 * an administrator's code), a percentage (rounded half up to the cent) or a fixed amount (never more
 * than those lines cost), capped by maximum_discount_amount, once the eligible lines reach
 * minimum_purchase_amount. The amount is then allocated across the eligible lines in proportion to
 * their prices, to the cent (see `allocate`): the sellers of those lines bear it.
 */
export function discountFor(code: CodeState | null, lines: PricedLine[]): DiscountOutcome {
  if (!code) return refused("no discount code");
  const unusable = codeUnusable(code);
  if (unusable) return refused(`The discount code ${code.code} ${unusable.reason}.`);
  const eligible = lines.filter((l) => code.creator_is_admin || l.seller_id === code.creator_id);
  if (eligible.length === 0) return refused(`The discount code ${code.code} does not apply to anything in your cart.`);
  const base = eligible.reduce((sum, l) => sum + toMinorUnits(l.price), 0);
  const minimum = code.minimum_purchase_amount === null ? 0 : toMinorUnits(code.minimum_purchase_amount);
  if (base < minimum) {
    return refused(`The discount code ${code.code} needs a purchase of at least ${fromMinorUnits(minimum)} of the items it applies to.`);
  }
  const value = toMinorUnits(code.discount_value);
  let amount = code.discount_type === "percentage" ? Math.floor((base * value + 5000) / 10000) : Math.min(value, base);
  if (code.maximum_discount_amount !== null) amount = Math.min(amount, toMinorUnits(code.maximum_discount_amount));
  amount = Math.max(0, Math.min(amount, base));
  const shares = allocate(amount, eligible.map((l) => toMinorUnits(l.price)));
  return { applies: true, amount, perLine: new Map(eligible.map((l, i) => [l.product_id, shares[i]!])) };
}

/**
 * Splits `amount` cents across `weights` in proportion, to the cent: each part is rounded down, and
 * the cents left over go to the largest weight (then the next largest, never beyond a weight: a
 * line is never discounted below zero). `amount` must not exceed the sum of the weights.
 */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || amount <= 0) return weights.map(() => 0);
  amount = Math.min(amount, total);
  const parts = weights.map((w) => Math.floor((amount * w) / total));
  let left = amount - parts.reduce((a, b) => a + b, 0);
  const byWeight = weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  while (left > 0) {
    for (const [w, i] of byWeight) {
      if (left === 0) break;
      const room = w - parts[i]!;
      const take = Math.min(room, left);
      parts[i]! += take;
      left -= take;
    }
  }
  return parts;
}
