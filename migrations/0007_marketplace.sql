-- Marketplace (spec §10): products, licences, carts, orders, reviews, favourites, payouts, discount
-- codes, transactions; plus seller_accounts (Stripe Connect) and stripe_events (exactly-once webhooks).
-- Depends on users (0002_accounts) and files (0003_files).
--
-- Money invariants that must hold under concurrency live here, not in the Worker (DESIGN §2):
--   * a licence cannot be sold beyond its distribution_limit: order_items bump product_licenses.sold_count
--     and the CHECK sold_count <= distribution_limit rejects the oversell (row lock serialises buyers);
--   * a discount code cannot be used beyond usage_limit: discount_code_usage bumps usage_count, same idea;
--   * a webhook processed twice records nothing twice (unique provider ids, stripe_events).
-- Orders, order items, transactions and payouts are legal records kept 7 years (§18): no soft delete,
-- and they survive the buyer's account (user_id SET NULL) — accounts are anonymised, not deleted (§19.3).

-- ---------------------------------------------------------------------------------------------------
-- 10.1 products
CREATE TABLE products (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  seller_id UUID NOT NULL CONSTRAINT fk_products_users REFERENCES users(id) ON DELETE CASCADE,
  name VARCHAR(255) NOT NULL,
  -- spec: `slug ... UNIQUE` plus the identical unique index idx_products_slug; only the named index is kept
  slug VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  category VARCHAR(100) NOT NULL,
  tags VARCHAR(50)[],
  price DECIMAL(10,2) NOT NULL,
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  pricing_model VARCHAR(50) NOT NULL DEFAULT 'fixed',
  minimum_price DECIMAL(10,2), -- for pwyw; price is then the suggested price
  preview_file_id UUID CONSTRAINT fk_products_files REFERENCES files(id) ON DELETE SET NULL,
  demo_url TEXT,
  download_file_ids UUID[],
  image_file_ids UUID[],
  thumbnail_url TEXT,
  bpm INTEGER,
  musical_key VARCHAR(10),
  genre VARCHAR(100),
  formats VARCHAR(50)[],
  license_type VARCHAR(100),
  status VARCHAR(50) NOT NULL DEFAULT 'draft',
  view_count INTEGER NOT NULL DEFAULT 0,
  favorite_count INTEGER NOT NULL DEFAULT 0, -- kept by trg_product_favorites_count
  sale_count INTEGER NOT NULL DEFAULT 0,     -- kept by trg_orders_sale_count / trg_order_items_counts
  review_count INTEGER NOT NULL DEFAULT 0,   -- kept by trg_product_reviews_stats
  -- spec: nullable with DEFAULT 0; NOT NULL (rule "NOT NULL unless explicitly nullable"), kept by trigger
  average_rating DECIMAL(3,2) NOT NULL DEFAULT 0,
  published_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT chk_products_price_positive CHECK (price >= 0),
  CONSTRAINT chk_products_rating_range CHECK (average_rating >= 0 AND average_rating <= 5),
  -- added: the spec lists these values in comments only
  -- 'course': a paid course is sold through the marketplace's checkout as a product of this category (0008 courses.product_id).
  CONSTRAINT chk_products_category_valid CHECK (category IN ('sample', 'beat', 'preset', 'template', 'service', 'course')),
  CONSTRAINT chk_products_pricing_model_valid CHECK (pricing_model IN ('fixed', 'pwyw', 'free')),
  -- sold_out added: an exclusive licence sold takes the product off sale
  CONSTRAINT chk_products_status_valid CHECK (status IN ('draft', 'active', 'inactive', 'suspended', 'sold_out')),
  -- added: pay-what-you-want needs a floor, not above the suggested price; free means price 0
  CONSTRAINT chk_products_minimum_price_positive CHECK (minimum_price >= 0),
  CONSTRAINT chk_products_pwyw_minimum CHECK (pricing_model <> 'pwyw' OR (minimum_price IS NOT NULL AND minimum_price <= price)),
  CONSTRAINT chk_products_free_price_zero CHECK (pricing_model <> 'free' OR price = 0),
  -- added: plausible tempo range; ISO 4217 shape
  CONSTRAINT chk_products_bpm_range CHECK (bpm BETWEEN 20 AND 999),
  CONSTRAINT chk_products_currency_format CHECK (currency ~ '^[A-Z]{3}$')
);
CREATE UNIQUE INDEX idx_products_slug ON products(slug);
CREATE INDEX idx_products_seller_id ON products(seller_id);
CREATE INDEX idx_products_category ON products(category);
CREATE INDEX idx_products_status ON products(status);
CREATE INDEX idx_products_published_at_desc ON products(published_at DESC) WHERE published_at IS NOT NULL;
CREATE INDEX idx_products_price ON products(price);
CREATE INDEX idx_products_sale_count_desc ON products(sale_count DESC);
CREATE INDEX idx_products_tags_gin ON products USING GIN(tags);
CREATE INDEX idx_products_search_gin ON products USING GIN(to_tsvector('english', name || ' ' || description));
CREATE INDEX idx_products_category_status ON products(category, status); -- §20.2
CREATE INDEX idx_products_preview_file_id ON products(preview_file_id);  -- added: FK index
CREATE TRIGGER trg_products_updated_at BEFORE UPDATE ON products
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 10.2 product_licenses
CREATE TABLE product_licenses (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id UUID NOT NULL CONSTRAINT fk_product_licenses_products REFERENCES products(id) ON DELETE CASCADE,
  name VARCHAR(255) NOT NULL,
  description TEXT,
  price DECIMAL(10,2) NOT NULL,
  terms TEXT NOT NULL,
  usage_rights JSONB,
  is_exclusive BOOLEAN NOT NULL DEFAULT false,
  distribution_limit INTEGER,
  -- added: units held by live order items (kept by trg_order_items_counts); the CHECK below makes an
  -- oversell fail inside the INSERT of the order item, whatever the concurrency
  sold_count INTEGER NOT NULL DEFAULT 0,
  -- added: a licence can be withdrawn from sale (is_active) or removed (deleted_at) while past orders
  -- keep pointing at it
  is_active BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT chk_product_licenses_price_positive CHECK (price >= 0),
  CONSTRAINT chk_product_licenses_distribution_limit_positive CHECK (distribution_limit >= 1),
  CONSTRAINT chk_product_licenses_exclusive_single CHECK (NOT is_exclusive OR distribution_limit IS NOT DISTINCT FROM 1),
  CONSTRAINT chk_product_licenses_sold_count_positive CHECK (sold_count >= 0),
  CONSTRAINT chk_product_licenses_sold_count_limit CHECK (distribution_limit IS NULL OR sold_count <= distribution_limit)
);
CREATE INDEX idx_product_licenses_product_id ON product_licenses(product_id);
CREATE TRIGGER trg_product_licenses_updated_at BEFORE UPDATE ON product_licenses
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 10.3 carts — one per user, replaced rather than soft-deleted: no deleted_at
CREATE TABLE carts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- spec: `UNIQUE` inline plus the identical unique index idx_carts_user_id; only the index is kept
  user_id UUID NOT NULL CONSTRAINT fk_carts_users REFERENCES users(id) ON DELETE CASCADE,
  item_count INTEGER NOT NULL DEFAULT 0,       -- kept by trg_cart_items_totals
  subtotal DECIMAL(10,2) NOT NULL DEFAULT 0,   -- kept by trg_cart_items_totals
  tax_total DECIMAL(10,2) NOT NULL DEFAULT 0,  -- set by the application
  total DECIMAL(10,2) NOT NULL DEFAULT 0,      -- always subtotal + tax_total (trg_carts_total)
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_carts_tax_total_positive CHECK (tax_total >= 0)
);
CREATE UNIQUE INDEX idx_carts_user_id ON carts(user_id);
CREATE TRIGGER trg_carts_updated_at BEFORE UPDATE ON carts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- added: total is derived, so it is computed here and can never disagree with its parts
CREATE FUNCTION carts_compute_total() RETURNS trigger AS $$
BEGIN
  NEW.total := NEW.subtotal + NEW.tax_total;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_carts_total BEFORE INSERT OR UPDATE ON carts
  FOR EACH ROW EXECUTE FUNCTION carts_compute_total();

-- ---------------------------------------------------------------------------------------------------
-- 10.4 cart_items — a line is removed, not soft-deleted: no deleted_at
CREATE TABLE cart_items (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  cart_id UUID NOT NULL CONSTRAINT fk_cart_items_carts REFERENCES carts(id) ON DELETE CASCADE,
  product_id UUID NOT NULL CONSTRAINT fk_cart_items_products REFERENCES products(id) ON DELETE CASCADE,
  license_id UUID CONSTRAINT fk_cart_items_product_licenses REFERENCES product_licenses(id) ON DELETE SET NULL,
  price DECIMAL(10,2) NOT NULL,
  added_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: rule "created_at/updated_at everywhere"
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: same
  CONSTRAINT uq_cart_items_cart_product UNIQUE (cart_id, product_id),
  CONSTRAINT chk_cart_items_price_positive CHECK (price >= 0) -- added
);
CREATE INDEX idx_cart_items_cart_id ON cart_items(cart_id);
CREATE INDEX idx_cart_items_product_id ON cart_items(product_id);
CREATE INDEX idx_cart_items_license_id ON cart_items(license_id); -- added: FK index
CREATE TRIGGER trg_cart_items_updated_at BEFORE UPDATE ON cart_items
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- Recounts the cart(s) touched: a cart holds a handful of lines, so a recount is as cheap as a delta
-- and cannot drift.
CREATE FUNCTION cart_items_refresh_cart_totals() RETURNS trigger AS $$
DECLARE
  cid uuid;
BEGIN
  FOR cid IN
    SELECT DISTINCT c FROM unnest(ARRAY[
      CASE WHEN TG_OP <> 'INSERT' THEN OLD.cart_id END,
      CASE WHEN TG_OP <> 'DELETE' THEN NEW.cart_id END]) AS c
    WHERE c IS NOT NULL
  LOOP
    UPDATE carts c
       SET item_count = s.n, subtotal = s.sum
      FROM (SELECT count(*)::int AS n, COALESCE(sum(price), 0) AS sum
              FROM cart_items WHERE cart_id = cid) s
     WHERE c.id = cid;
  END LOOP;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_cart_items_totals AFTER INSERT OR DELETE OR UPDATE OF cart_id, price ON cart_items
  FOR EACH ROW EXECUTE FUNCTION cart_items_refresh_cart_totals();

-- ---------------------------------------------------------------------------------------------------
-- 10.10 discount_codes (created before orders, which reference it)
CREATE TABLE discount_codes (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  code VARCHAR(50) NOT NULL CONSTRAINT uq_discount_codes_code UNIQUE,
  discount_type VARCHAR(50) NOT NULL,
  discount_value DECIMAL(10,2) NOT NULL,
  minimum_purchase_amount DECIMAL(10,2),
  maximum_discount_amount DECIMAL(10,2),
  usage_limit INTEGER,
  usage_count INTEGER NOT NULL DEFAULT 0, -- kept by trg_discount_code_usage_count
  valid_from TIMESTAMPTZ NOT NULL,
  valid_until TIMESTAMPTZ NOT NULL,
  is_active BOOLEAN NOT NULL DEFAULT true,
  creator_id UUID CONSTRAINT fk_discount_codes_users REFERENCES users(id) ON DELETE SET NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_discount_codes_value_positive CHECK (discount_value > 0),
  CONSTRAINT chk_discount_codes_validity CHECK (valid_until > valid_from),
  -- added: the spec lists the types in a comment only; a percentage above 100 pays the buyer
  CONSTRAINT chk_discount_codes_discount_type_valid CHECK (discount_type IN ('percentage', 'fixed_amount')),
  CONSTRAINT chk_discount_codes_percentage_max CHECK (discount_type <> 'percentage' OR discount_value <= 100),
  CONSTRAINT chk_discount_codes_minimum_purchase_positive CHECK (minimum_purchase_amount >= 0),
  CONSTRAINT chk_discount_codes_maximum_discount_positive CHECK (maximum_discount_amount > 0),
  -- added: the last use cannot be taken twice (usage_count is bumped inside the usage INSERT)
  CONSTRAINT chk_discount_codes_usage_limit_positive CHECK (usage_limit >= 1),
  CONSTRAINT chk_discount_codes_usage_count_positive CHECK (usage_count >= 0),
  CONSTRAINT chk_discount_codes_usage_count_limit CHECK (usage_limit IS NULL OR usage_count <= usage_limit)
);
CREATE UNIQUE INDEX idx_discount_codes_code ON discount_codes(UPPER(code));
CREATE INDEX idx_discount_codes_valid_period ON discount_codes(valid_from, valid_until) WHERE is_active = true;
CREATE INDEX idx_discount_codes_creator_id ON discount_codes(creator_id); -- added: FK index
CREATE TRIGGER trg_discount_codes_updated_at BEFORE UPDATE ON discount_codes
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 10.5 orders
-- added: human-readable numbers from sequences (ORD-2025-00001); the counter does not restart each
-- year, the year only tells when the order was made
CREATE SEQUENCE order_number_seq;
CREATE TABLE orders (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- spec: NOT NULL ON DELETE CASCADE, which would erase orders with the account; orders are legal
  -- records kept 7 years (§18), so they outlive a (rare) hard delete of their buyer
  user_id UUID CONSTRAINT fk_orders_users REFERENCES users(id) ON DELETE SET NULL,
  -- spec: `UNIQUE` inline plus the identical unique index idx_orders_order_number; only the index is kept
  order_number VARCHAR(50) NOT NULL
    DEFAULT 'ORD-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('order_number_seq')::text, 5, '0'),
  subtotal DECIMAL(10,2) NOT NULL,
  tax_total DECIMAL(10,2) NOT NULL,
  discount_total DECIMAL(10,2) NOT NULL DEFAULT 0,
  total DECIMAL(10,2) NOT NULL,
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  payment_method VARCHAR(50),
  payment_intent_id VARCHAR(255),
  -- added for Stripe Checkout: the session that pays this order (webhooks find the order by it), and
  -- the client's idempotency key so a retried "place order" creates one order
  stripe_checkout_session_id VARCHAR(255),
  idempotency_key VARCHAR(255),
  -- added: the code applied, kept if the code is deleted later (the amount is in discount_total)
  discount_code_id UUID CONSTRAINT fk_orders_discount_codes REFERENCES discount_codes(id) ON DELETE SET NULL,
  status order_status NOT NULL DEFAULT 'pending',
  billing_email VARCHAR(255) NOT NULL,
  billing_name VARCHAR(255),
  billing_address JSONB,
  paid_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  cancelled_at TIMESTAMPTZ,
  refunded_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- no deleted_at: legal retention forbids hiding or deleting orders (§18)
  CONSTRAINT chk_orders_total_positive CHECK (total >= 0),
  -- added
  CONSTRAINT chk_orders_order_number_format CHECK (order_number ~ '^ORD-[0-9]{4}-[0-9]{5,}$'),
  CONSTRAINT chk_orders_amounts_positive CHECK (subtotal >= 0 AND tax_total >= 0 AND discount_total >= 0),
  CONSTRAINT chk_orders_payment_method_valid CHECK (payment_method IN ('stripe', 'paypal')),
  CONSTRAINT chk_orders_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT uq_orders_stripe_checkout_session_id UNIQUE (stripe_checkout_session_id),
  CONSTRAINT uq_orders_user_idempotency_key UNIQUE (user_id, idempotency_key)
);
ALTER SEQUENCE order_number_seq OWNED BY orders.order_number;
CREATE UNIQUE INDEX idx_orders_order_number ON orders(order_number);
CREATE INDEX idx_orders_user_id_created_at ON orders(user_id, created_at DESC);
CREATE INDEX idx_orders_status ON orders(status);
CREATE INDEX idx_orders_created_at_desc ON orders(created_at DESC);
CREATE INDEX idx_orders_discount_code_id ON orders(discount_code_id); -- added: FK index
-- added: one order per payment intent (webhooks look orders up by it)
CREATE UNIQUE INDEX uq_orders_payment_intent_id ON orders(payment_intent_id) WHERE payment_intent_id IS NOT NULL;
CREATE TRIGGER trg_orders_updated_at BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 10.6 order_items
CREATE TABLE order_items (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id UUID NOT NULL CONSTRAINT fk_order_items_orders REFERENCES orders(id) ON DELETE CASCADE,
  -- RESTRICT kept (spec) for product_id and seller_id: accounts are anonymised, never hard-deleted
  -- (§19.3), so the rows stay; a hard delete of a seller or product with sales must fail rather than
  -- erase or orphan 7-year legal records
  product_id UUID NOT NULL CONSTRAINT fk_order_items_products REFERENCES products(id) ON DELETE RESTRICT,
  license_id UUID CONSTRAINT fk_order_items_product_licenses REFERENCES product_licenses(id) ON DELETE SET NULL,
  product_name VARCHAR(255) NOT NULL,
  product_description TEXT,
  seller_id UUID NOT NULL CONSTRAINT fk_order_items_users REFERENCES users(id) ON DELETE RESTRICT,
  price DECIMAL(10,2) NOT NULL,
  download_file_ids UUID[],
  download_count INTEGER NOT NULL DEFAULT 0,
  license_key VARCHAR(255),
  license_terms TEXT,
  -- added: set when the item's order is cancelled or refunded (trg_orders_sale_count) or the item
  -- alone is refunded; revokes downloads and releases the licence unit
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: the spec forgot it
  CONSTRAINT chk_order_items_price_positive CHECK (price >= 0),                   -- added
  CONSTRAINT chk_order_items_download_count_positive CHECK (download_count >= 0) -- added
);
CREATE INDEX idx_order_items_order_id ON order_items(order_id);
CREATE INDEX idx_order_items_product_id ON order_items(product_id);
CREATE INDEX idx_order_items_seller_id ON order_items(seller_id);
CREATE INDEX idx_order_items_license_id ON order_items(license_id); -- added: FK index
-- added: a generated licence key identifies one purchase
CREATE UNIQUE INDEX uq_order_items_license_key ON order_items(license_key) WHERE license_key IS NOT NULL;
CREATE TRIGGER trg_order_items_updated_at BEFORE UPDATE ON order_items
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- An order item holds one unit of its licence while it is not revoked (pending orders included: the
-- unit is reserved at checkout and released when the order is cancelled or refunded, so two buyers
-- cannot both pay for an exclusive licence). It counts as a sale of its product while it is not
-- revoked and its order is paid, processing or completed.
CREATE FUNCTION order_items_update_counts() RETURNS trigger AS $$
DECLARE
  old_license uuid;
  new_license uuid;
  old_sale uuid;
  new_sale uuid;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.revoked_at IS NULL THEN
    old_license := OLD.license_id;
    SELECT OLD.product_id INTO old_sale FROM orders
     WHERE id = OLD.order_id AND status IN ('paid', 'processing', 'completed');
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.revoked_at IS NULL THEN
    new_license := NEW.license_id;
    SELECT NEW.product_id INTO new_sale FROM orders
     WHERE id = NEW.order_id AND status IN ('paid', 'processing', 'completed');
  END IF;
  IF old_license IS DISTINCT FROM new_license THEN
    UPDATE product_licenses SET sold_count = GREATEST(sold_count - 1, 0) WHERE id = old_license;
    UPDATE product_licenses SET sold_count = sold_count + 1 WHERE id = new_license;
  END IF;
  IF old_sale IS DISTINCT FROM new_sale THEN
    UPDATE products SET sale_count = GREATEST(sale_count - 1, 0) WHERE id = old_sale;
    UPDATE products SET sale_count = sale_count + 1 WHERE id = new_sale;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_order_items_counts
  AFTER INSERT OR DELETE OR UPDATE OF order_id, product_id, license_id, revoked_at ON order_items
  FOR EACH ROW EXECUTE FUNCTION order_items_update_counts();

-- When an order enters or leaves the sold states its live items are added to / removed from their
-- products' sale_count; cancelling or refunding it revokes its items (which releases their licence
-- units through trg_order_items_counts).
CREATE FUNCTION orders_update_sale_count() RETURNS trigger AS $$
DECLARE
  was_sold boolean := OLD.status IN ('paid', 'processing', 'completed');
  is_sold boolean := NEW.status IN ('paid', 'processing', 'completed');
BEGIN
  IF was_sold <> is_sold THEN
    UPDATE products p
       SET sale_count = GREATEST(p.sale_count + CASE WHEN is_sold THEN s.n ELSE -s.n END, 0)
      FROM (SELECT product_id, count(*)::int AS n FROM order_items
             WHERE order_id = NEW.id AND revoked_at IS NULL GROUP BY product_id) s
     WHERE p.id = s.product_id;
  END IF;
  IF NEW.status IN ('cancelled', 'refunded') AND OLD.status NOT IN ('cancelled', 'refunded') THEN
    UPDATE order_items SET revoked_at = NOW() WHERE order_id = NEW.id AND revoked_at IS NULL;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_orders_sale_count AFTER UPDATE OF status ON orders
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION orders_update_sale_count();

-- Deleting an order (only ever by an administrator) first takes its sales back: once the order row
-- is gone its cascaded items can no longer tell whether they counted.
CREATE FUNCTION orders_release_sale_count() RETURNS trigger AS $$
BEGIN
  IF OLD.status IN ('paid', 'processing', 'completed') THEN
    UPDATE products p
       SET sale_count = GREATEST(p.sale_count - s.n, 0)
      FROM (SELECT product_id, count(*)::int AS n FROM order_items
             WHERE order_id = OLD.id AND revoked_at IS NULL GROUP BY product_id) s
     WHERE p.id = s.product_id;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_orders_delete_sale_count BEFORE DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_release_sale_count();

-- ---------------------------------------------------------------------------------------------------
-- 10.7 product_reviews
CREATE TABLE product_reviews (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id UUID NOT NULL CONSTRAINT fk_product_reviews_products REFERENCES products(id) ON DELETE CASCADE,
  user_id UUID NOT NULL CONSTRAINT fk_product_reviews_users REFERENCES users(id) ON DELETE CASCADE,
  order_item_id UUID NOT NULL CONSTRAINT fk_product_reviews_order_items REFERENCES order_items(id) ON DELETE CASCADE,
  rating INTEGER NOT NULL,
  title VARCHAR(255),
  content TEXT, -- optional: the length CHECK passes on NULL
  is_verified_purchase BOOLEAN NOT NULL DEFAULT true,
  seller_response TEXT,
  seller_responded_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT uq_product_reviews_order_item UNIQUE (order_item_id),
  CONSTRAINT chk_product_reviews_rating CHECK (rating >= 1 AND rating <= 5),
  CONSTRAINT chk_product_reviews_content_length CHECK (LENGTH(content) >= 10 AND LENGTH(content) <= 2000)
);
CREATE INDEX idx_product_reviews_product_id_created_at ON product_reviews(product_id, created_at DESC);
CREATE INDEX idx_product_reviews_user_id ON product_reviews(user_id);
CREATE INDEX idx_product_reviews_rating ON product_reviews(product_id, rating);
CREATE TRIGGER trg_product_reviews_updated_at BEFORE UPDATE ON product_reviews
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- review_count and average_rating over the product's non-deleted reviews, recomputed from
-- idx_product_reviews_rating (an average cannot be decremented exactly).
CREATE FUNCTION product_reviews_refresh_stats() RETURNS trigger AS $$
DECLARE
  pid uuid;
BEGIN
  FOR pid IN
    SELECT DISTINCT p FROM unnest(ARRAY[
      CASE WHEN TG_OP <> 'INSERT' THEN OLD.product_id END,
      CASE WHEN TG_OP <> 'DELETE' THEN NEW.product_id END]) AS p
    WHERE p IS NOT NULL
  LOOP
    UPDATE products pr
       SET review_count = s.n, average_rating = s.avg
      FROM (SELECT count(*)::int AS n, COALESCE(round(avg(rating), 2), 0) AS avg
              FROM product_reviews WHERE product_id = pid AND deleted_at IS NULL) s
     WHERE pr.id = pid;
  END LOOP;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_product_reviews_stats
  AFTER INSERT OR DELETE OR UPDATE OF product_id, rating, deleted_at ON product_reviews
  FOR EACH ROW EXECUTE FUNCTION product_reviews_refresh_stats();

-- ---------------------------------------------------------------------------------------------------
-- 10.8 product_favorites — a toggle, removed by DELETE: no deleted_at
CREATE TABLE product_favorites (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_product_favorites_users REFERENCES users(id) ON DELETE CASCADE,
  product_id UUID NOT NULL CONSTRAINT fk_product_favorites_products REFERENCES products(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: the spec forgot it
  CONSTRAINT uq_product_favorites_user_product UNIQUE (user_id, product_id)
);
CREATE INDEX idx_product_favorites_user_id ON product_favorites(user_id);
CREATE INDEX idx_product_favorites_product_id_created_at ON product_favorites(product_id, created_at DESC);
CREATE TRIGGER trg_product_favorites_updated_at BEFORE UPDATE ON product_favorites
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE FUNCTION product_favorites_update_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE products SET favorite_count = GREATEST(favorite_count - 1, 0) WHERE id = OLD.product_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE products SET favorite_count = favorite_count + 1 WHERE id = NEW.product_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_product_favorites_count AFTER INSERT OR DELETE OR UPDATE OF product_id ON product_favorites
  FOR EACH ROW EXECUTE FUNCTION product_favorites_update_count();

-- ---------------------------------------------------------------------------------------------------
-- 10.9 seller_payouts
CREATE SEQUENCE payout_number_seq; -- added: PAY-2025-00001, like order numbers
CREATE TABLE seller_payouts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- spec: ON DELETE CASCADE; payouts are financial records kept like transactions (§18), so a hard
  -- delete of a paid seller must fail (accounts are anonymised, not deleted)
  seller_id UUID NOT NULL CONSTRAINT fk_seller_payouts_users REFERENCES users(id) ON DELETE RESTRICT,
  payout_number VARCHAR(50) NOT NULL CONSTRAINT uq_seller_payouts_payout_number UNIQUE
    DEFAULT 'PAY-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('payout_number_seq')::text, 5, '0'),
  amount DECIMAL(10,2) NOT NULL,
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  payout_method VARCHAR(50) NOT NULL,
  payout_account_id VARCHAR(255),
  stripe_transfer_id VARCHAR(255), -- added: the Stripe Connect transfer that paid it
  status VARCHAR(50) NOT NULL DEFAULT 'pending',
  processed_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ,
  failed_at TIMESTAMPTZ,
  failure_reason TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_seller_payouts_amount_positive CHECK (amount > 0),
  -- added: the spec lists these in comments; cancelled added (a payout withdrawn before processing)
  CONSTRAINT chk_seller_payouts_status_valid CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  CONSTRAINT chk_seller_payouts_payout_method_valid CHECK (payout_method IN ('stripe_connect', 'paypal', 'bank_transfer')),
  CONSTRAINT chk_seller_payouts_payout_number_format CHECK (payout_number ~ '^PAY-[0-9]{4}-[0-9]{5,}$'),
  CONSTRAINT chk_seller_payouts_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT uq_seller_payouts_stripe_transfer_id UNIQUE (stripe_transfer_id)
);
ALTER SEQUENCE payout_number_seq OWNED BY seller_payouts.payout_number;
CREATE INDEX idx_seller_payouts_seller_id_created_at ON seller_payouts(seller_id, created_at DESC);
CREATE INDEX idx_seller_payouts_status ON seller_payouts(status);
CREATE TRIGGER trg_seller_payouts_updated_at BEFORE UPDATE ON seller_payouts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 10.11 discount_code_usage
CREATE TABLE discount_code_usage (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  discount_code_id UUID NOT NULL CONSTRAINT fk_discount_code_usage_discount_codes REFERENCES discount_codes(id) ON DELETE CASCADE,
  order_id UUID NOT NULL CONSTRAINT fk_discount_code_usage_orders REFERENCES orders(id) ON DELETE CASCADE
    CONSTRAINT uq_discount_code_usage_order_id UNIQUE,
  -- spec: NOT NULL ON DELETE CASCADE; like orders.user_id the usage outlives its user, and deleting it
  -- would hand the use back to the code
  user_id UUID CONSTRAINT fk_discount_code_usage_users REFERENCES users(id) ON DELETE SET NULL,
  discount_amount DECIMAL(10,2) NOT NULL,
  used_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: rule "created_at/updated_at everywhere"
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: same
  CONSTRAINT chk_discount_code_usage_amount_positive CHECK (discount_amount >= 0) -- added
);
CREATE INDEX idx_discount_code_usage_discount_code_id ON discount_code_usage(discount_code_id);
CREATE INDEX idx_discount_code_usage_user_id ON discount_code_usage(user_id);
CREATE TRIGGER trg_discount_code_usage_updated_at BEFORE UPDATE ON discount_code_usage
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- usage_count follows the usage rows; the increment runs inside the usage INSERT, so the use beyond
-- usage_limit fails chk_discount_codes_usage_count_limit and takes the whole batch down with it.
CREATE FUNCTION discount_code_usage_update_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE discount_codes SET usage_count = GREATEST(usage_count - 1, 0) WHERE id = OLD.discount_code_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE discount_codes SET usage_count = usage_count + 1 WHERE id = NEW.discount_code_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_discount_code_usage_count
  AFTER INSERT OR DELETE OR UPDATE OF discount_code_id ON discount_code_usage
  FOR EACH ROW EXECUTE FUNCTION discount_code_usage_update_count();

-- ---------------------------------------------------------------------------------------------------
-- 10.12 transactions — a ledger: no soft delete (§18, 7 years)
CREATE TABLE transactions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  transaction_type VARCHAR(50) NOT NULL,
  user_id UUID CONSTRAINT fk_transactions_users REFERENCES users(id) ON DELETE SET NULL,
  order_id UUID CONSTRAINT fk_transactions_orders REFERENCES orders(id) ON DELETE SET NULL,
  payout_id UUID CONSTRAINT fk_transactions_seller_payouts REFERENCES seller_payouts(id) ON DELETE SET NULL,
  amount DECIMAL(10,2) NOT NULL,
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  provider VARCHAR(50) NOT NULL,
  provider_transaction_id VARCHAR(255),
  status VARCHAR(50) NOT NULL DEFAULT 'pending',
  metadata JSONB,
  completed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- added: the spec lists these in comments; fee and adjustment added (Stripe fees, manual corrections)
  CONSTRAINT chk_transactions_transaction_type_valid
    CHECK (transaction_type IN ('payment', 'refund', 'payout', 'commission', 'fee', 'adjustment')),
  CONSTRAINT chk_transactions_status_valid CHECK (status IN ('pending', 'completed', 'failed', 'cancelled')),
  -- 'internal' added: commissions and adjustments computed by Veza involve no payment provider
  CONSTRAINT chk_transactions_provider_valid CHECK (provider IN ('stripe', 'paypal', 'internal')),
  CONSTRAINT chk_transactions_currency_format CHECK (currency ~ '^[A-Z]{3}$')
);
CREATE INDEX idx_transactions_user_id_created_at ON transactions(user_id, created_at DESC);
CREATE INDEX idx_transactions_order_id ON transactions(order_id);
CREATE INDEX idx_transactions_transaction_type ON transactions(transaction_type);
CREATE INDEX idx_transactions_status ON transactions(status);
CREATE INDEX idx_transactions_created_at_desc ON transactions(created_at DESC);
CREATE INDEX idx_transactions_payout_id ON transactions(payout_id); -- added: FK index
-- added: a webhook delivered twice cannot record the same provider movement twice; the type is part of
-- the key because one provider id may back several rows (a charge's payment and its fee)
CREATE UNIQUE INDEX uq_transactions_provider_transaction
  ON transactions(provider, provider_transaction_id, transaction_type) WHERE provider_transaction_id IS NOT NULL;
CREATE TRIGGER trg_transactions_updated_at BEFORE UPDATE ON transactions
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- added: a seller's Stripe Connect account and what Stripe lets it do (from account.updated webhooks)
CREATE TABLE seller_accounts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_seller_accounts_users REFERENCES users(id) ON DELETE CASCADE,
  stripe_account_id VARCHAR(255) NOT NULL,
  charges_enabled BOOLEAN NOT NULL DEFAULT false,
  payouts_enabled BOOLEAN NOT NULL DEFAULT false,
  details_submitted BOOLEAN NOT NULL DEFAULT false,
  onboarded_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT uq_seller_accounts_user_id UNIQUE (user_id),
  CONSTRAINT uq_seller_accounts_stripe_account_id UNIQUE (stripe_account_id)
);
CREATE TRIGGER trg_seller_accounts_updated_at BEFORE UPDATE ON seller_accounts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- added: Stripe webhook events, for exactly-once processing: INSERT ... ON CONFLICT (stripe_event_id)
-- DO NOTHING RETURNING id tells the first delivery from a retry; processed_at marks the work done in
-- the same batch, so an event whose processing failed is retried
CREATE TABLE stripe_events (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  stripe_event_id VARCHAR(255) NOT NULL,
  type VARCHAR(255) NOT NULL,
  payload JSONB NOT NULL,
  processed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT uq_stripe_events_stripe_event_id UNIQUE (stripe_event_id)
);
CREATE INDEX idx_stripe_events_unprocessed ON stripe_events(created_at) WHERE processed_at IS NULL;
CREATE TRIGGER trg_stripe_events_updated_at BEFORE UPDATE ON stripe_events
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
