-- The product catalogue (spec §10.1, §10.2, §10.8): what browse, the storefront, "my products" and
-- "my favourites" scan, the moderator's suspension, and two rules the API relied on the Worker for.

-- A moderator suspends a product with a reason its seller is shown; lifting the suspension clears both.
ALTER TABLE products ADD COLUMN suspension_reason TEXT, ADD COLUMN suspended_at TIMESTAMPTZ;
ALTER TABLE products ADD CONSTRAINT chk_products_suspension_reason_length
  CHECK (char_length(suspension_reason) BETWEEN 1 AND 1000);
-- At most 10 tags (each VARCHAR(50) already); usage rights are a JSON object, never a scalar or array.
ALTER TABLE products ADD CONSTRAINT chk_products_tags_count CHECK (cardinality(tags) <= 10);
ALTER TABLE product_licenses ADD CONSTRAINT chk_product_licenses_usage_rights_object
  CHECK (usage_rights IS NULL OR jsonb_typeof(usage_rights) = 'object');

-- published_at is the first time a product went on sale, whoever writes the row (the catalogue's API,
-- the checkout's sold_out, a fixture): browse's "newest" keyset can then rely on it being set.
CREATE FUNCTION products_set_published_at() RETURNS trigger AS $$
BEGIN
  IF NEW.status IN ('active', 'sold_out') AND NEW.published_at IS NULL THEN
    NEW.published_at := NOW();
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_products_published_at BEFORE INSERT OR UPDATE OF status, published_at ON products
  FOR EACH ROW EXECUTE FUNCTION products_set_published_at();
UPDATE products SET published_at = COALESCE(published_at, created_at) WHERE status IN ('active', 'sold_out');

-- Browse: listed products (on sale or sold out, not deleted), one keyset index per sort order; price
-- serves both directions. Category is the filter nearly every browse sets.
CREATE INDEX idx_products_listed_published_at ON products(published_at DESC, id DESC)
  WHERE deleted_at IS NULL AND status IN ('active', 'sold_out');
CREATE INDEX idx_products_listed_category_published_at ON products(category, published_at DESC, id DESC)
  WHERE deleted_at IS NULL AND status IN ('active', 'sold_out');
CREATE INDEX idx_products_listed_price ON products(price, id)
  WHERE deleted_at IS NULL AND status IN ('active', 'sold_out');
CREATE INDEX idx_products_listed_sale_count ON products(sale_count DESC, id DESC)
  WHERE deleted_at IS NULL AND status IN ('active', 'sold_out');
-- A seller's storefront (listed, newest first) and their own list (every live product, newest first).
CREATE INDEX idx_products_seller_listed_published_at ON products(seller_id, published_at DESC, id DESC)
  WHERE deleted_at IS NULL AND status IN ('active', 'sold_out');
CREATE INDEX idx_products_seller_id_created_at ON products(seller_id, created_at DESC, id DESC)
  WHERE deleted_at IS NULL;
-- A user's favourites, newest first.
CREATE INDEX idx_product_favorites_user_id_created_at ON product_favorites(user_id, created_at DESC, id DESC);
