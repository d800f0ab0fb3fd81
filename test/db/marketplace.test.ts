// Constraints and triggers of migrations/0007_marketplace.sql (products, licences, carts, orders,
// reviews, favourites, payouts, discount codes, transactions, seller accounts, Stripe events).
// Every test creates its own rows.
import { describe, it, expect } from "vitest";
import { sql, expectPgError, createUser, createFile, MISSING, uniq, one, id } from "../helpers/db";

type ProductOpts = { category?: string; price?: string; pricingModel?: string; minimumPrice?: string | null; bpm?: number | null; status?: string; currency?: string; previewFileId?: string | null; slug?: string };

/** Inserts a product; every column defaults to something valid. */
function insertProduct(sellerId: string, o: ProductOpts = {}) {
  return sql.query(
    `INSERT INTO products (seller_id, name, slug, description, category, price, pricing_model, minimum_price, bpm, status, currency, preview_file_id)
     VALUES ($1, 'Night Drive', $2, 'A slow synthwave beat', $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, slug`,
    [sellerId, o.slug ?? `p-${uniq()}`, o.category ?? "beat", o.price ?? "10.00", o.pricingModel ?? "fixed",
      o.minimumPrice ?? null, o.bpm ?? null, o.status ?? "active", o.currency ?? "USD", o.previewFileId ?? null],
  );
}
const newProduct = async (sellerId: string, o: ProductOpts = {}) => ((await insertProduct(sellerId, o))[0]!.id as string);

type LicenseOpts = { price?: string; exclusive?: boolean; limit?: number | null; soldCount?: number };
function insertLicense(productId: string, o: LicenseOpts = {}) {
  return sql.query(
    `INSERT INTO product_licenses (product_id, name, price, terms, is_exclusive, distribution_limit, sold_count)
     VALUES ($1, 'Lease', $2, 'Non-exclusive use', $3, $4, $5) RETURNING id`,
    [productId, o.price ?? "25.00", o.exclusive ?? false, o.limit ?? null, o.soldCount ?? 0],
  );
}
const newLicense = async (productId: string, o: LicenseOpts = {}) => ((await insertLicense(productId, o))[0]!.id as string);

type OrderOpts = { total?: string; subtotal?: string; discountTotal?: string; currency?: string; paymentMethod?: string | null; status?: string; orderNumber?: string | null; idempotencyKey?: string | null; checkoutSession?: string | null; paymentIntent?: string | null; discountCodeId?: string | null };
function insertOrder(userId: string | null, o: OrderOpts = {}) {
  return sql.query(
    `INSERT INTO orders (user_id, subtotal, tax_total, discount_total, total, currency, payment_method, status, billing_email,
                         order_number, idempotency_key, stripe_checkout_session_id, payment_intent_id, discount_code_id)
     VALUES ($1, $2, '0', $3, $4, $5, $6, $7, 'buyer@example.com',
             COALESCE($8, 'ORD-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('order_number_seq')::text, 5, '0')),
             $9, $10, $11, $12) RETURNING id, order_number`,
    [userId, o.subtotal ?? "10.00", o.discountTotal ?? "0", o.total ?? "10.00", o.currency ?? "USD", o.paymentMethod ?? "stripe",
      o.status ?? "pending", o.orderNumber ?? null, o.idempotencyKey ?? null, o.checkoutSession ?? null, o.paymentIntent ?? null,
      o.discountCodeId ?? null],
  );
}
const newOrder = async (userId: string | null, o: OrderOpts = {}) => ((await insertOrder(userId, o))[0]!.id as string);

type ItemOpts = { licenseId?: string | null; price?: string; downloadCount?: number; licenseKey?: string | null };
function insertOrderItem(orderId: string, productId: string, sellerId: string, o: ItemOpts = {}) {
  return sql.query(
    `INSERT INTO order_items (order_id, product_id, license_id, product_name, seller_id, price, download_count, license_key)
     VALUES ($1, $2, $3, 'Night Drive', $4, $5, $6, $7) RETURNING id`,
    [orderId, productId, o.licenseId ?? null, sellerId, o.price ?? "10.00", o.downloadCount ?? 0, o.licenseKey ?? null],
  );
}
const newOrderItem = async (orderId: string, productId: string, sellerId: string, o: ItemOpts = {}) =>
  ((await insertOrderItem(orderId, productId, sellerId, o))[0]!.id as string);

type CodeOpts = { code?: string; type?: string; value?: string; limit?: number | null; usageCount?: number; from?: string; until?: string; minPurchase?: string | null; maxDiscount?: string | null };
function insertDiscountCode(o: CodeOpts = {}) {
  return sql.query(
    `INSERT INTO discount_codes (code, discount_type, discount_value, usage_limit, usage_count, valid_from, valid_until,
                                 minimum_purchase_amount, maximum_discount_amount)
     VALUES ($1, $2, $3, $4, $5, COALESCE($6::timestamptz, now() - interval '1 day'), COALESCE($7::timestamptz, now() + interval '30 days'), $8, $9)
     RETURNING id, code`,
    [o.code ?? `SAVE${uniq().toUpperCase()}`, o.type ?? "percentage", o.value ?? "10", o.limit ?? null, o.usageCount ?? 0,
      o.from ?? null, o.until ?? null, o.minPurchase ?? null, o.maxDiscount ?? null],
  );
}
const newDiscountCode = async (o: CodeOpts = {}) => ((await insertDiscountCode(o))[0]!.id as string);

function insertPayout(sellerId: string, o: { amount?: string; method?: string; status?: string; number?: string | null; transfer?: string | null } = {}) {
  return sql.query(
    `INSERT INTO seller_payouts (seller_id, amount, payout_method, status, payout_number, stripe_transfer_id)
     VALUES ($1, $2, $3, $4, COALESCE($5, 'PAY-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('payout_number_seq')::text, 5, '0')), $6)
     RETURNING id, payout_number`,
    [sellerId, o.amount ?? "50.00", o.method ?? "stripe_connect", o.status ?? "pending", o.number ?? null, o.transfer ?? null],
  );
}

function insertTransaction(o: { type?: string; provider?: string; status?: string; currency?: string; providerId?: string | null; payoutId?: string | null } = {}) {
  return sql.query(
    `INSERT INTO transactions (transaction_type, amount, provider, status, currency, provider_transaction_id, payout_id)
     VALUES ($1, '10.00', $2, $3, $4, $5, $6) RETURNING id`,
    [o.type ?? "payment", o.provider ?? "stripe", o.status ?? "pending", o.currency ?? "USD", o.providerId ?? null, o.payoutId ?? null],
  );
}

/** A seller with one product, a buyer, and a pending order of the buyer. */
async function sale() {
  const [seller, buyer] = [await createUser({ role: "creator" }), await createUser()];
  const productId = await newProduct(seller.id);
  const orderId = await newOrder(buyer.id);
  return { seller, buyer, productId, orderId };
}

async function field(table: string, column: string, rowId: string): Promise<unknown> {
  return (await one(`SELECT ${column} AS v FROM ${table} WHERE id = $1`, [rowId])).v;
}

type Case = { name: string; code: string; constraint?: string; run: () => Promise<unknown> };
const seller = () => createUser({ role: "creator" });

const rejects: Case[] = [
  // products
  { name: "a second product with the same slug", code: "23505", constraint: "idx_products_slug", run: async () => {
    const s = await seller();
    const slug = `p-${uniq()}`;
    await insertProduct(s.id, { slug });
    return insertProduct(s.id, { slug });
  } },
  { name: "a product in an unknown category", code: "23514", constraint: "chk_products_category_valid",
    run: async () => insertProduct((await seller()).id, { category: "nft" }) },
  { name: "a negative product price", code: "23514", constraint: "chk_products_price_positive",
    run: async () => insertProduct((await seller()).id, { price: "-1.00" }) },
  { name: "an unknown pricing model", code: "23514", constraint: "chk_products_pricing_model_valid",
    run: async () => insertProduct((await seller()).id, { pricingModel: "auction" }) },
  { name: "a pay-what-you-want product without a minimum price", code: "23514", constraint: "chk_products_pwyw_minimum",
    run: async () => insertProduct((await seller()).id, { pricingModel: "pwyw" }) },
  { name: "a pay-what-you-want minimum above the suggested price", code: "23514", constraint: "chk_products_pwyw_minimum",
    run: async () => insertProduct((await seller()).id, { pricingModel: "pwyw", price: "5.00", minimumPrice: "6.00" }) },
  { name: "a negative minimum price", code: "23514", constraint: "chk_products_minimum_price_positive",
    run: async () => insertProduct((await seller()).id, { minimumPrice: "-1.00" }) },
  { name: "a free product with a price", code: "23514", constraint: "chk_products_free_price_zero",
    run: async () => insertProduct((await seller()).id, { pricingModel: "free", price: "1.00" }) },
  { name: "an unknown product status", code: "23514", constraint: "chk_products_status_valid",
    run: async () => insertProduct((await seller()).id, { status: "deleted" }) },
  { name: "a bpm of 19", code: "23514", constraint: "chk_products_bpm_range",
    run: async () => insertProduct((await seller()).id, { bpm: 19 }) },
  { name: "a bpm of 1000", code: "23514", constraint: "chk_products_bpm_range",
    run: async () => insertProduct((await seller()).id, { bpm: 1000 }) },
  { name: "a lowercase currency code", code: "23514", constraint: "chk_products_currency_format",
    run: async () => insertProduct((await seller()).id, { currency: "usd" }) },
  { name: "an average rating above 5", code: "23514", constraint: "chk_products_rating_range", run: async () => {
    const p = await newProduct((await seller()).id);
    return sql.query("UPDATE products SET average_rating = 5.5 WHERE id = $1", [p]);
  } },
  { name: "a preview file that does not exist", code: "23503", constraint: "fk_products_files",
    run: async () => insertProduct((await seller()).id, { previewFileId: MISSING }) },
  { name: "a product of a seller that does not exist", code: "23503", constraint: "fk_products_users",
    run: async () => insertProduct(MISSING) },
  // product_licenses
  { name: "a negative licence price", code: "23514", constraint: "chk_product_licenses_price_positive",
    run: async () => insertLicense(await newProduct((await seller()).id), { price: "-1.00" }) },
  { name: "an exclusive licence without a distribution limit", code: "23514", constraint: "chk_product_licenses_exclusive_single",
    run: async () => insertLicense(await newProduct((await seller()).id), { exclusive: true }) },
  { name: "an exclusive licence sold twice over", code: "23514", constraint: "chk_product_licenses_exclusive_single",
    run: async () => insertLicense(await newProduct((await seller()).id), { exclusive: true, limit: 2 }) },
  { name: "a distribution limit of 0", code: "23514", constraint: "chk_product_licenses_distribution_limit_positive",
    run: async () => insertLicense(await newProduct((await seller()).id), { limit: 0 }) },
  { name: "a sold count above the distribution limit", code: "23514", constraint: "chk_product_licenses_sold_count_limit",
    run: async () => insertLicense(await newProduct((await seller()).id), { limit: 3, soldCount: 4 }) },
  { name: "a negative sold count", code: "23514", constraint: "chk_product_licenses_sold_count_positive",
    run: async () => insertLicense(await newProduct((await seller()).id), { soldCount: -1 }) },
  { name: "a licence of a product that does not exist", code: "23503", constraint: "fk_product_licenses_products",
    run: async () => insertLicense(MISSING) },
  // carts
  { name: "a second cart for the same user", code: "23505", constraint: "idx_carts_user_id", run: async () => {
    const u = await createUser();
    await sql.query("INSERT INTO carts (user_id) VALUES ($1)", [u.id]);
    return sql.query("INSERT INTO carts (user_id) VALUES ($1)", [u.id]);
  } },
  { name: "a negative cart tax total", code: "23514", constraint: "chk_carts_tax_total_positive",
    run: async () => sql.query("INSERT INTO carts (user_id, tax_total) VALUES ($1, -1)", [(await createUser()).id]) },
  { name: "the same product twice in a cart", code: "23505", constraint: "uq_cart_items_cart_product", run: async () => {
    const u = await createUser();
    const p = await newProduct((await seller()).id);
    const c = await id("INSERT INTO carts (user_id) VALUES ($1) RETURNING id", [u.id]);
    await sql.query("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, 10)", [c, p]);
    return sql.query("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, 10)", [c, p]);
  } },
  { name: "a negative cart item price", code: "23514", constraint: "chk_cart_items_price_positive", run: async () => {
    const c = await id("INSERT INTO carts (user_id) VALUES ($1) RETURNING id", [(await createUser()).id]);
    return sql.query("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, -1)", [c, await newProduct((await seller()).id)]);
  } },
  { name: "a cart item of a product that does not exist", code: "23503", constraint: "fk_cart_items_products", run: async () => {
    const c = await id("INSERT INTO carts (user_id) VALUES ($1) RETURNING id", [(await createUser()).id]);
    return sql.query("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, 1)", [c, MISSING]);
  } },
  // discount_codes
  { name: "a discount code differing only in case", code: "23505", constraint: "idx_discount_codes_code", run: async () => {
    const code = `Spring${uniq()}`;
    await insertDiscountCode({ code });
    return insertDiscountCode({ code: code.toUpperCase() });
  } },
  { name: "an unknown discount type", code: "23514", constraint: "chk_discount_codes_discount_type_valid",
    run: async () => insertDiscountCode({ type: "bogo" }) },
  { name: "a percentage discount above 100", code: "23514", constraint: "chk_discount_codes_percentage_max",
    run: async () => insertDiscountCode({ value: "101" }) },
  { name: "a discount value of 0", code: "23514", constraint: "chk_discount_codes_value_positive",
    run: async () => insertDiscountCode({ type: "fixed_amount", value: "0" }) },
  { name: "a discount that ends before it starts", code: "23514", constraint: "chk_discount_codes_validity",
    run: async () => insertDiscountCode({ from: "2030-01-02T00:00:00Z", until: "2030-01-01T00:00:00Z" }) },
  { name: "a usage limit of 0", code: "23514", constraint: "chk_discount_codes_usage_limit_positive",
    run: async () => insertDiscountCode({ limit: 0 }) },
  { name: "a usage count above the usage limit", code: "23514", constraint: "chk_discount_codes_usage_count_limit",
    run: async () => insertDiscountCode({ limit: 1, usageCount: 2 }) },
  { name: "a negative minimum purchase amount", code: "23514", constraint: "chk_discount_codes_minimum_purchase_positive",
    run: async () => insertDiscountCode({ minPurchase: "-1" }) },
  { name: "a maximum discount amount of 0", code: "23514", constraint: "chk_discount_codes_maximum_discount_positive",
    run: async () => insertDiscountCode({ maxDiscount: "0" }) },
  // orders
  { name: "an order number that is not ORD-YYYY-NNNNN", code: "23514", constraint: "chk_orders_order_number_format",
    run: async () => insertOrder((await createUser()).id, { orderNumber: "ORD-25-1" }) },
  { name: "a duplicate order number", code: "23505", constraint: "idx_orders_order_number", run: async () => {
    const u = await createUser();
    const number = (await insertOrder(u.id))[0]!.order_number as string;
    return insertOrder(u.id, { orderNumber: number });
  } },
  { name: "the same idempotency key twice for one user", code: "23505", constraint: "uq_orders_user_idempotency_key", run: async () => {
    const u = await createUser();
    const key = `idem-${uniq()}`;
    await insertOrder(u.id, { idempotencyKey: key });
    return insertOrder(u.id, { idempotencyKey: key });
  } },
  { name: "two orders for one checkout session", code: "23505", constraint: "uq_orders_stripe_checkout_session_id", run: async () => {
    const u = await createUser();
    const cs = `cs_test_${uniq()}`;
    await insertOrder(u.id, { checkoutSession: cs });
    return insertOrder(u.id, { checkoutSession: cs });
  } },
  { name: "two orders for one payment intent", code: "23505", constraint: "uq_orders_payment_intent_id", run: async () => {
    const u = await createUser();
    const pi = `pi_${uniq()}`;
    await insertOrder(u.id, { paymentIntent: pi });
    return insertOrder(u.id, { paymentIntent: pi });
  } },
  { name: "a negative order total", code: "23514", constraint: "chk_orders_total_positive",
    run: async () => insertOrder((await createUser()).id, { total: "-1.00" }) },
  { name: "a negative order discount total", code: "23514", constraint: "chk_orders_amounts_positive",
    run: async () => insertOrder((await createUser()).id, { discountTotal: "-1.00" }) },
  { name: "an unknown payment method", code: "23514", constraint: "chk_orders_payment_method_valid",
    run: async () => insertOrder((await createUser()).id, { paymentMethod: "bitcoin" }) },
  { name: "an unknown order status", code: "22P02",
    run: async () => insertOrder((await createUser()).id, { status: "shipped" }) },
  { name: "an order currency that is not ISO 4217", code: "23514", constraint: "chk_orders_currency_format",
    run: async () => insertOrder((await createUser()).id, { currency: "US1" }) },
  { name: "an order with a discount code that does not exist", code: "23503", constraint: "fk_orders_discount_codes",
    run: async () => insertOrder((await createUser()).id, { discountCodeId: MISSING }) },
  // order_items
  { name: "a second buyer of an exclusive licence", code: "23514", constraint: "chk_product_licenses_sold_count_limit", run: async () => {
    const { seller: s, productId, orderId } = await sale();
    const lic = await newLicense(productId, { exclusive: true, limit: 1 });
    await newOrderItem(orderId, productId, s.id, { licenseId: lic });
    const other = await newOrder((await createUser()).id);
    return insertOrderItem(other, productId, s.id, { licenseId: lic });
  } },
  { name: "a duplicate licence key", code: "23505", constraint: "uq_order_items_license_key", run: async () => {
    const { seller: s, productId, orderId } = await sale();
    const key = `LK-${uniq()}`;
    await newOrderItem(orderId, productId, s.id, { licenseKey: key });
    return insertOrderItem(orderId, productId, s.id, { licenseKey: key });
  } },
  { name: "a negative order item price", code: "23514", constraint: "chk_order_items_price_positive", run: async () => {
    const { seller: s, productId, orderId } = await sale();
    return insertOrderItem(orderId, productId, s.id, { price: "-1.00" });
  } },
  { name: "a negative download count", code: "23514", constraint: "chk_order_items_download_count_positive", run: async () => {
    const { seller: s, productId, orderId } = await sale();
    return insertOrderItem(orderId, productId, s.id, { downloadCount: -1 });
  } },
  { name: "an order item of a product that does not exist", code: "23503", constraint: "fk_order_items_products", run: async () => {
    const { seller: s, orderId } = await sale();
    return insertOrderItem(orderId, MISSING, s.id);
  } },
  { name: "deleting a product that has been sold", code: "23503", constraint: "fk_order_items_products", run: async () => {
    const { seller: s, productId, orderId } = await sale();
    await newOrderItem(orderId, productId, s.id);
    return sql.query("DELETE FROM products WHERE id = $1", [productId]);
  } },
  { name: "deleting a seller who has sold something", code: "23503", run: async () => {
    const { seller: s, productId, orderId } = await sale();
    await newOrderItem(orderId, productId, s.id);
    return sql.query("DELETE FROM users WHERE id = $1", [s.id]);
  } },
  // product_reviews
  ...[6, 0].map((rating): Case => ({ name: `a rating of ${rating}`, code: "23514", constraint: "chk_product_reviews_rating", run: async () => {
    const { seller: s, buyer, productId, orderId } = await sale();
    const item = await newOrderItem(orderId, productId, s.id);
    return sql.query("INSERT INTO product_reviews (product_id, user_id, order_item_id, rating) VALUES ($1, $2, $3, $4)", [productId, buyer.id, item, rating]);
  } })),
  ...[["shorter than 10 characters", "too short"], ["longer than 2000 characters", "a".repeat(2001)]].map(([what, content]): Case => ({
    name: `review content ${what}`, code: "23514", constraint: "chk_product_reviews_content_length", run: async () => {
      const { seller: s, buyer, productId, orderId } = await sale();
      const item = await newOrderItem(orderId, productId, s.id);
      return sql.query("INSERT INTO product_reviews (product_id, user_id, order_item_id, rating, content) VALUES ($1, $2, $3, 4, $4)", [productId, buyer.id, item, content]);
    } })),
  { name: "a second review of the same purchase", code: "23505", constraint: "uq_product_reviews_order_item", run: async () => {
    const { seller: s, buyer, productId, orderId } = await sale();
    const item = await newOrderItem(orderId, productId, s.id);
    await sql.query("INSERT INTO product_reviews (product_id, user_id, order_item_id, rating) VALUES ($1, $2, $3, 4)", [productId, buyer.id, item]);
    return sql.query("INSERT INTO product_reviews (product_id, user_id, order_item_id, rating) VALUES ($1, $2, $3, 5)", [productId, buyer.id, item]);
  } },
  { name: "a review of a purchase that does not exist", code: "23503", constraint: "fk_product_reviews_order_items", run: async () => {
    const { buyer, productId } = await sale();
    return sql.query("INSERT INTO product_reviews (product_id, user_id, order_item_id, rating) VALUES ($1, $2, $3, 4)", [productId, buyer.id, MISSING]);
  } },
  // product_favorites
  { name: "favouriting a product twice", code: "23505", constraint: "uq_product_favorites_user_product", run: async () => {
    const { buyer, productId } = await sale();
    await sql.query("INSERT INTO product_favorites (user_id, product_id) VALUES ($1, $2)", [buyer.id, productId]);
    return sql.query("INSERT INTO product_favorites (user_id, product_id) VALUES ($1, $2)", [buyer.id, productId]);
  } },
  // seller_payouts
  { name: "a payout of 0", code: "23514", constraint: "chk_seller_payouts_amount_positive",
    run: async () => insertPayout((await seller()).id, { amount: "0" }) },
  { name: "an unknown payout method", code: "23514", constraint: "chk_seller_payouts_payout_method_valid",
    run: async () => insertPayout((await seller()).id, { method: "cash" }) },
  { name: "an unknown payout status", code: "23514", constraint: "chk_seller_payouts_status_valid",
    run: async () => insertPayout((await seller()).id, { status: "done" }) },
  { name: "a payout number that is not PAY-YYYY-NNNNN", code: "23514", constraint: "chk_seller_payouts_payout_number_format",
    run: async () => insertPayout((await seller()).id, { number: "P-1" }) },
  { name: "a duplicate payout number", code: "23505", constraint: "uq_seller_payouts_payout_number", run: async () => {
    const s = await seller();
    const number = (await insertPayout(s.id))[0]!.payout_number as string;
    return insertPayout(s.id, { number });
  } },
  { name: "two payouts for one Stripe transfer", code: "23505", constraint: "uq_seller_payouts_stripe_transfer_id", run: async () => {
    const s = await seller();
    const transfer = `tr_${uniq()}`;
    await insertPayout(s.id, { transfer });
    return insertPayout(s.id, { transfer });
  } },
  { name: "deleting a seller who has been paid out", code: "23503", constraint: "fk_seller_payouts_users", run: async () => {
    const s = await seller();
    await insertPayout(s.id);
    return sql.query("DELETE FROM users WHERE id = $1", [s.id]);
  } },
  // discount_code_usage
  { name: "using a code beyond its usage limit", code: "23514", constraint: "chk_discount_codes_usage_count_limit", run: async () => {
    const code = await newDiscountCode({ limit: 1 });
    const [a, b] = [await createUser(), await createUser()];
    const [o1, o2] = [await newOrder(a.id), await newOrder(b.id)];
    await sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1)", [code, o1, a.id]);
    return sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1)", [code, o2, b.id]);
  } },
  { name: "two discount uses on one order", code: "23505", constraint: "uq_discount_code_usage_order_id", run: async () => {
    const [c1, c2] = [await newDiscountCode(), await newDiscountCode()];
    const a = await createUser();
    const o = await newOrder(a.id);
    await sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1)", [c1, o, a.id]);
    return sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1)", [c2, o, a.id]);
  } },
  { name: "a negative discount amount", code: "23514", constraint: "chk_discount_code_usage_amount_positive", run: async () => {
    const a = await createUser();
    return sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, -1)",
      [await newDiscountCode(), await newOrder(a.id), a.id]);
  } },
  // transactions
  { name: "recording the same provider payment twice", code: "23505", constraint: "uq_transactions_provider_transaction", run: async () => {
    const providerId = `ch_${uniq()}`;
    await insertTransaction({ providerId });
    return insertTransaction({ providerId });
  } },
  { name: "an unknown transaction type", code: "23514", constraint: "chk_transactions_transaction_type_valid",
    run: async () => insertTransaction({ type: "gift" }) },
  { name: "an unknown payment provider", code: "23514", constraint: "chk_transactions_provider_valid",
    run: async () => insertTransaction({ provider: "venmo" }) },
  { name: "an unknown transaction status", code: "23514", constraint: "chk_transactions_status_valid",
    run: async () => insertTransaction({ status: "ok" }) },
  { name: "a transaction currency that is not ISO 4217", code: "23514", constraint: "chk_transactions_currency_format",
    run: async () => insertTransaction({ currency: "usd" }) },
  { name: "a transaction of a payout that does not exist", code: "23503", constraint: "fk_transactions_seller_payouts",
    run: async () => insertTransaction({ payoutId: MISSING }) },
  // seller_accounts, stripe_events
  { name: "a second seller account for one user", code: "23505", constraint: "uq_seller_accounts_user_id", run: async () => {
    const s = await seller();
    await sql.query("INSERT INTO seller_accounts (user_id, stripe_account_id) VALUES ($1, $2)", [s.id, `acct_${uniq()}`]);
    return sql.query("INSERT INTO seller_accounts (user_id, stripe_account_id) VALUES ($1, $2)", [s.id, `acct_${uniq()}`]);
  } },
  { name: "one Stripe account for two sellers", code: "23505", constraint: "uq_seller_accounts_stripe_account_id", run: async () => {
    const acct = `acct_${uniq()}`;
    await sql.query("INSERT INTO seller_accounts (user_id, stripe_account_id) VALUES ($1, $2)", [(await seller()).id, acct]);
    return sql.query("INSERT INTO seller_accounts (user_id, stripe_account_id) VALUES ($1, $2)", [(await seller()).id, acct]);
  } },
  { name: "recording a Stripe event twice", code: "23505", constraint: "uq_stripe_events_stripe_event_id", run: async () => {
    const evt = `evt_${uniq()}`;
    await sql.query("INSERT INTO stripe_events (stripe_event_id, type, payload) VALUES ($1, 'charge.refunded', '{}')", [evt]);
    return sql.query("INSERT INTO stripe_events (stripe_event_id, type, payload) VALUES ($1, 'charge.refunded', '{}')", [evt]);
  } },
];

describe("0007_marketplace constraints", () => {
  it.each(rejects)("rejects $name", async ({ run, code, constraint }) => {
    await expectPgError(run(), code, constraint);
  });

  it("accepts pay-what-you-want, free and edge-of-range products", async () => {
    const s = await seller();
    const f = await createFile(s.id);
    await newProduct(s.id, { pricingModel: "pwyw", price: "5.00", minimumPrice: "0.00", bpm: 20, previewFileId: f.id });
    await newProduct(s.id, { pricingModel: "free", price: "0.00", bpm: 999, category: "preset" });
  });

  it("numbers orders and payouts ORD-YYYY-NNNNN / PAY-YYYY-NNNNN by default", async () => {
    const s = await seller();
    const year = String(new Date().getUTCFullYear());
    const order = await one("INSERT INTO orders (user_id, subtotal, tax_total, total, billing_email) VALUES ($1, 1, 0, 1, 'a@example.com') RETURNING order_number", [s.id]);
    expect(order.order_number).toMatch(/^ORD-\d{4}-\d{5,}$/);
    expect([year, String(Number(year) - 1), String(Number(year) + 1)]).toContain((order.order_number as string).slice(4, 8));
    const payout = await one("INSERT INTO seller_payouts (seller_id, amount, payout_method) VALUES ($1, 5, 'paypal') RETURNING payout_number", [s.id]);
    expect(payout.payout_number).toMatch(/^PAY-\d{4}-\d{5,}$/);
  });

  it("keeps orders and discount uses when the buyer is hard-deleted, with the buyer cleared", async () => {
    const buyer = await createUser();
    const orderId = await newOrder(buyer.id);
    const code = await newDiscountCode();
    await sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1)", [code, orderId, buyer.id]);
    await sql.query("DELETE FROM users WHERE id = $1", [buyer.id]);
    expect(await field("orders", "user_id", orderId)).toBeNull();
    expect(await field("discount_codes", "usage_count", code)).toBe(1);
  });

  it("lets different users reuse an idempotency key, and a null key repeat", async () => {
    const [a, b] = [await createUser(), await createUser()];
    const key = `idem-${uniq()}`;
    await newOrder(a.id, { idempotencyKey: key });
    await newOrder(b.id, { idempotencyKey: key });
    await newOrder(a.id);
    await newOrder(a.id);
  });

  it("records one provider id under several transaction types", async () => {
    const providerId = `ch_${uniq()}`;
    await insertTransaction({ providerId, type: "payment" });
    await insertTransaction({ providerId, type: "fee" });
    await insertTransaction({ type: "adjustment", provider: "internal" });
    await insertTransaction({ type: "adjustment", provider: "internal" });
  });

  it("tells a replayed Stripe event apart with ON CONFLICT DO NOTHING", async () => {
    const evt = `evt_${uniq()}`;
    const ins = "INSERT INTO stripe_events (stripe_event_id, type, payload) VALUES ($1, 'checkout.session.completed', '{\"id\":1}') ON CONFLICT (stripe_event_id) DO NOTHING RETURNING id";
    expect(await sql.query(ins, [evt])).toHaveLength(1);
    expect(await sql.query(ins, [evt])).toHaveLength(0);
  });
});

describe("0007_marketplace triggers", () => {
  it("keeps cart item_count, subtotal and total = subtotal + tax_total", async () => {
    const u = await createUser();
    const s = await seller();
    const [p1, p2] = [await newProduct(s.id), await newProduct(s.id)];
    const cart = await id("INSERT INTO carts (user_id, tax_total) VALUES ($1, 1.50) RETURNING id", [u.id]);
    const totals = async () => one("SELECT item_count, subtotal, total FROM carts WHERE id = $1", [cart]);
    expect(await totals()).toEqual({ item_count: 0, subtotal: "0.00", total: "1.50" });
    await sql.query("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, 10)", [cart, p1]);
    const line = await id("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, 5) RETURNING id", [cart, p2]);
    expect(await totals()).toEqual({ item_count: 2, subtotal: "15.00", total: "16.50" });
    await sql.query("UPDATE cart_items SET price = 7 WHERE id = $1", [line]);
    await sql.query("UPDATE carts SET tax_total = 2, total = 999 WHERE id = $1", [cart]);
    expect(await totals()).toEqual({ item_count: 2, subtotal: "17.00", total: "19.00" });
    await sql.query("DELETE FROM cart_items WHERE id = $1", [line]);
    expect(await totals()).toEqual({ item_count: 1, subtotal: "10.00", total: "12.00" });
  });

  it("reserves a licence unit per order item and releases it when the order is cancelled", async () => {
    const { seller: s, productId, orderId } = await sale();
    const lic = await newLicense(productId, { exclusive: true, limit: 1 });
    await newOrderItem(orderId, productId, s.id, { licenseId: lic });
    expect(await field("product_licenses", "sold_count", lic)).toBe(1);
    await sql.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [orderId]);
    expect(await field("product_licenses", "sold_count", lic)).toBe(0);
    const other = await newOrder((await createUser()).id);
    await newOrderItem(other, productId, s.id, { licenseId: lic });
    expect(await field("product_licenses", "sold_count", lic)).toBe(1);
  });

  it("counts a sale when the order is paid and takes it back on refund, revoking the items", async () => {
    const { seller: s, productId, orderId } = await sale();
    const lic = await newLicense(productId, { limit: 10 });
    const [i1, i2] = [await newOrderItem(orderId, productId, s.id, { licenseId: lic }), await newOrderItem(orderId, productId, s.id)];
    expect(await field("products", "sale_count", productId)).toBe(0);
    await sql.query("UPDATE orders SET status = 'paid' WHERE id = $1", [orderId]);
    expect(await field("products", "sale_count", productId)).toBe(2);
    await sql.query("UPDATE orders SET status = 'completed' WHERE id = $1", [orderId]);
    expect(await field("products", "sale_count", productId)).toBe(2);
    await sql.query("UPDATE order_items SET revoked_at = now() WHERE id = $1", [i2]);
    expect(await field("products", "sale_count", productId)).toBe(1);
    await sql.query("UPDATE orders SET status = 'refunded' WHERE id = $1", [orderId]);
    expect(await field("products", "sale_count", productId)).toBe(0);
    expect(await field("product_licenses", "sold_count", lic)).toBe(0);
    expect(await field("order_items", "revoked_at", i1)).toBeInstanceOf(Date);
  });

  it("counts an item added to an already paid order, and takes sales back when the order is deleted", async () => {
    const { seller: s, productId, orderId } = await sale();
    const lic = await newLicense(productId, { limit: 5 });
    await sql.query("UPDATE orders SET status = 'paid' WHERE id = $1", [orderId]);
    await newOrderItem(orderId, productId, s.id, { licenseId: lic });
    expect(await field("products", "sale_count", productId)).toBe(1);
    await sql.query("DELETE FROM orders WHERE id = $1", [orderId]);
    expect(await field("products", "sale_count", productId)).toBe(0);
    expect(await field("product_licenses", "sold_count", lic)).toBe(0);
  });

  it("keeps review_count and average_rating over live reviews", async () => {
    const { seller: s, buyer, productId, orderId } = await sale();
    const [i1, i2] = [await newOrderItem(orderId, productId, s.id), await newOrderItem(orderId, productId, s.id)];
    const review = (item: string, rating: number) =>
      id("INSERT INTO product_reviews (product_id, user_id, order_item_id, rating) VALUES ($1, $2, $3, $4) RETURNING id", [productId, buyer.id, item, rating]);
    const stats = async () => one("SELECT review_count, average_rating FROM products WHERE id = $1", [productId]);
    const [r1, r2] = [await review(i1, 4), await review(i2, 5)];
    expect(await stats()).toEqual({ review_count: 2, average_rating: "4.50" });
    await sql.query("UPDATE product_reviews SET rating = 1 WHERE id = $1", [r1]);
    expect(await stats()).toEqual({ review_count: 2, average_rating: "3.00" });
    await sql.query("UPDATE product_reviews SET deleted_at = now() WHERE id = $1", [r2]);
    expect(await stats()).toEqual({ review_count: 1, average_rating: "1.00" });
    await sql.query("UPDATE product_reviews SET deleted_at = NULL WHERE id = $1", [r2]);
    expect(await stats()).toEqual({ review_count: 2, average_rating: "3.00" });
    await sql.query("DELETE FROM product_reviews WHERE product_id = $1", [productId]);
    expect(await stats()).toEqual({ review_count: 0, average_rating: "0.00" });
  });

  it("counts favourites up and down, never below zero", async () => {
    const { buyer, productId } = await sale();
    const other = await createUser();
    await sql.query("INSERT INTO product_favorites (user_id, product_id) VALUES ($1, $2), ($3, $2)", [buyer.id, productId, other.id]);
    expect(await field("products", "favorite_count", productId)).toBe(2);
    await sql.query("DELETE FROM product_favorites WHERE user_id = $1 AND product_id = $2", [buyer.id, productId]);
    expect(await field("products", "favorite_count", productId)).toBe(1);
    await sql.query("UPDATE products SET favorite_count = 0 WHERE id = $1", [productId]);
    await sql.query("DELETE FROM product_favorites WHERE product_id = $1", [productId]);
    expect(await field("products", "favorite_count", productId)).toBe(0);
  });

  it("counts discount code uses up and down", async () => {
    const code = await newDiscountCode({ limit: 2 });
    const a = await createUser();
    const o = await newOrder(a.id);
    await sql.query("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1)", [code, o, a.id]);
    expect(await field("discount_codes", "usage_count", code)).toBe(1);
    await sql.query("DELETE FROM discount_code_usage WHERE order_id = $1", [o]);
    expect(await field("discount_codes", "usage_count", code)).toBe(0);
  });
});

const updatedAtTables: { table: string; make: () => Promise<string> }[] = [
  { table: "products", make: async () => newProduct((await seller()).id) },
  { table: "product_licenses", make: async () => newLicense(await newProduct((await seller()).id)) },
  { table: "carts", make: async () => id("INSERT INTO carts (user_id) VALUES ($1) RETURNING id", [(await createUser()).id]) },
  { table: "cart_items", make: async () => {
    const c = await id("INSERT INTO carts (user_id) VALUES ($1) RETURNING id", [(await createUser()).id]);
    return id("INSERT INTO cart_items (cart_id, product_id, price) VALUES ($1, $2, 1) RETURNING id", [c, await newProduct((await seller()).id)]);
  } },
  { table: "discount_codes", make: async () => newDiscountCode() },
  { table: "orders", make: async () => newOrder((await createUser()).id) },
  { table: "order_items", make: async () => {
    const { seller: s, productId, orderId } = await sale();
    return newOrderItem(orderId, productId, s.id);
  } },
  { table: "product_reviews", make: async () => {
    const { seller: s, buyer, productId, orderId } = await sale();
    const item = await newOrderItem(orderId, productId, s.id);
    return id("INSERT INTO product_reviews (product_id, user_id, order_item_id, rating) VALUES ($1, $2, $3, 5) RETURNING id", [productId, buyer.id, item]);
  } },
  { table: "product_favorites", make: async () => {
    const { buyer, productId } = await sale();
    return id("INSERT INTO product_favorites (user_id, product_id) VALUES ($1, $2) RETURNING id", [buyer.id, productId]);
  } },
  { table: "seller_payouts", make: async () => (await insertPayout((await seller()).id))[0]!.id as string },
  { table: "discount_code_usage", make: async () => {
    const a = await createUser();
    return id("INSERT INTO discount_code_usage (discount_code_id, order_id, user_id, discount_amount) VALUES ($1, $2, $3, 1) RETURNING id",
      [await newDiscountCode(), await newOrder(a.id), a.id]);
  } },
  { table: "transactions", make: async () => (await insertTransaction())[0]!.id as string },
  { table: "seller_accounts", make: async () =>
    id("INSERT INTO seller_accounts (user_id, stripe_account_id) VALUES ($1, $2) RETURNING id", [(await seller()).id, `acct_${uniq()}`]) },
  { table: "stripe_events", make: async () =>
    id("INSERT INTO stripe_events (stripe_event_id, type, payload) VALUES ($1, 'account.updated', '{}') RETURNING id", [`evt_${uniq()}`]) },
];

describe("0007_marketplace updated_at triggers", () => {
  it.each(updatedAtTables)("moves $table.updated_at to now on UPDATE", async ({ table, make }) => {
    const rowId = await make();
    // the BEFORE UPDATE trigger overwrites whatever the statement sets
    const row = await one(`UPDATE ${table} SET updated_at = '2000-01-01' WHERE id = $1 RETURNING updated_at`, [rowId]);
    expect((row.updated_at as Date).getTime()).toBeGreaterThan(new Date("2020-01-01").getTime());
  });
});
