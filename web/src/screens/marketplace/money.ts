/** Money as the API sends it (a decimal string such as "12.50" and an ISO 4217 code), for people. */
const formats = new Map<string, Intl.NumberFormat>();

export function formatMoney(amount: string | number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      return `${amount} ${currency}`;
    }
    formats.set(currency, format);
  }
  return format.format(Number(amount));
}

/** What a product costs, as its card says it: "Free", "€19.00", "from €5.00". */
export function priceLabel(p: { pricing_model: string; price: string; minimum_price: string | null; currency: string }): string {
  if (p.pricing_model === "free") return "Free";
  if (p.pricing_model === "pwyw") return `from ${formatMoney(p.minimum_price ?? p.price, p.currency)}`;
  return formatMoney(p.price, p.currency);
}
