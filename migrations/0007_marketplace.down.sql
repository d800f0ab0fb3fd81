-- Reverts 0007_marketplace.sql. Dropping a table drops its triggers and indexes, and the sequences it
-- owns (order_number_seq, payout_number_seq); they are named anyway so nothing is left behind.
DROP TABLE IF EXISTS stripe_events;
DROP TABLE IF EXISTS seller_accounts;
DROP TABLE IF EXISTS transactions;
DROP TABLE IF EXISTS discount_code_usage;
DROP FUNCTION IF EXISTS discount_code_usage_update_count();
DROP TABLE IF EXISTS seller_payouts;
DROP SEQUENCE IF EXISTS payout_number_seq;
DROP TABLE IF EXISTS product_favorites;
DROP FUNCTION IF EXISTS product_favorites_update_count();
DROP TABLE IF EXISTS product_reviews;
DROP FUNCTION IF EXISTS product_reviews_refresh_stats();
DROP TABLE IF EXISTS order_items;
DROP TABLE IF EXISTS orders;
DROP FUNCTION IF EXISTS orders_release_sale_count();
DROP FUNCTION IF EXISTS orders_update_sale_count();
DROP FUNCTION IF EXISTS order_items_update_counts();
DROP SEQUENCE IF EXISTS order_number_seq;
DROP TABLE IF EXISTS discount_codes;
DROP TABLE IF EXISTS cart_items;
DROP FUNCTION IF EXISTS cart_items_refresh_cart_totals();
DROP TABLE IF EXISTS carts;
DROP FUNCTION IF EXISTS carts_compute_total();
DROP TABLE IF EXISTS product_licenses;
DROP TABLE IF EXISTS products;
