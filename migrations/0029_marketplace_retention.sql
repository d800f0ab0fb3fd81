-- Transactional records (§18.1: orders, order items, transactions — 7 years, legal retention) are
-- anonymised when their period ends (§18.2). The daily job walks only what is still to do:
CREATE INDEX idx_orders_retention_pending ON orders(created_at) WHERE billing_email NOT LIKE 'expired\_%';
CREATE INDEX idx_transactions_retention_pending ON transactions(created_at)
  WHERE user_id IS NOT NULL OR metadata IS NOT NULL OR provider_transaction_id IS NOT NULL;
