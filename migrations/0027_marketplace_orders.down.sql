DROP INDEX idx_order_items_seller_id_created_at;
DROP TRIGGER trg_orders_exclusive_sold_out ON orders;
DROP FUNCTION orders_mark_exclusive_sold_out();
ALTER TABLE orders DROP COLUMN stripe_checkout_url;
