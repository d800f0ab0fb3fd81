DROP FUNCTION claim_stripe_event(VARCHAR);
ALTER TABLE transactions DROP CONSTRAINT chk_transactions_transaction_type_valid;
ALTER TABLE transactions ADD CONSTRAINT chk_transactions_transaction_type_valid
  CHECK (transaction_type IN ('payment', 'refund', 'payout', 'commission', 'fee', 'adjustment'));
DROP INDEX idx_carts_discount_code_id;
ALTER TABLE carts DROP COLUMN discount_code_id;
