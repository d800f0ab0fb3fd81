-- Checkout and orders (spec §10.5, §10.6): what the money path needs beyond 0007/0025.

-- The Checkout Session's URL, kept with its id: a checkout retried with the same Idempotency-Key
-- answers the same URL from the order alone, without asking Stripe again.
ALTER TABLE orders ADD COLUMN stripe_checkout_url TEXT;

-- Selling an exclusive licence takes its product off sale (earlier licences stay valid): when an order
-- enters the sold states, every product of its live items bought under an exclusive licence becomes
-- 'sold_out' (a suspended product stays suspended). Written here, like the counters, so a free order
-- completed at checkout and a paid one completed by the webhook cannot differ.
CREATE FUNCTION orders_mark_exclusive_sold_out() RETURNS trigger AS $$
BEGIN
  UPDATE products p SET status = 'sold_out'
   WHERE p.status IN ('active', 'inactive', 'draft')
     AND p.id IN (SELECT oi.product_id FROM order_items oi JOIN product_licenses l ON l.id = oi.license_id
                   WHERE oi.order_id = NEW.id AND oi.revoked_at IS NULL AND l.is_exclusive);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_orders_exclusive_sold_out AFTER UPDATE OF status ON orders
  FOR EACH ROW WHEN (OLD.status NOT IN ('paid', 'processing', 'completed') AND NEW.status IN ('paid', 'processing', 'completed'))
  EXECUTE FUNCTION orders_mark_exclusive_sold_out();

-- A seller's sales, newest first (GET /v1/me/sales keyset).
CREATE INDEX idx_order_items_seller_id_created_at ON order_items(seller_id, created_at DESC, id DESC);
