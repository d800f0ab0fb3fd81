-- Hardware (spec §12): equipment_categories, equipment, equipment_warranties, equipment_maintenance.
-- The spec only names these tables; the columns are designed here from the product's needs: a private
-- inventory of a musician's gear (shown on the profile only when marked public), its warranties (with
-- a reminder 30 days before expiry) and its maintenance history.
-- Depends on users (0002_accounts). Photos and documents are files (0003_files) referenced by id
-- arrays, as products.image_file_ids does (§10.1): arrays cannot carry FKs, so the API only accepts ids
-- of the owner's files and ignores ids of files since deleted.
-- Warranties and maintenance rows have no deleted_at: they are private details of one equipment row,
-- deleted with it or edited in place; the equipment row is the soft-deleted unit.

-- ---------------------------------------------------------------------------------------------------
-- 12.4 equipment_categories (reference data, seeded below)
CREATE TABLE equipment_categories (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(100) NOT NULL,
  slug VARCHAR(100) NOT NULL,
  description TEXT,
  display_order INTEGER NOT NULL DEFAULT 0,
  is_active BOOLEAN NOT NULL DEFAULT true, -- retire a category without breaking equipment rows using it
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_equipment_categories_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  CONSTRAINT uq_equipment_categories_name UNIQUE (name),
  CONSTRAINT uq_equipment_categories_slug UNIQUE (slug)
);
CREATE TRIGGER trg_equipment_categories_updated_at BEFORE UPDATE ON equipment_categories
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

INSERT INTO equipment_categories (name, slug, display_order) VALUES
  ('Instruments', 'instruments', 1),
  ('Microphones', 'microphones', 2),
  ('Audio interfaces', 'audio-interfaces', 3),
  ('Monitors', 'monitors', 4),
  ('Headphones', 'headphones', 5),
  ('Controllers', 'controllers', 6),
  ('Synthesizers', 'synthesizers', 7),
  ('Cables & accessories', 'cables-accessories', 8);

-- ---------------------------------------------------------------------------------------------------
-- 12.1 equipment
CREATE TABLE equipment (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_equipment_users REFERENCES users(id) ON DELETE CASCADE,
  -- RESTRICT: a category in use is retired with is_active = false, not deleted
  category_id UUID NOT NULL CONSTRAINT fk_equipment_equipment_categories
    REFERENCES equipment_categories(id) ON DELETE RESTRICT,
  brand VARCHAR(100) NOT NULL,
  model VARCHAR(255) NOT NULL,
  nickname VARCHAR(100), -- "Old Blue"
  serial_number VARCHAR(100), -- owner only, never shown on the public profile (theft, fraud)
  purchase_date DATE,
  purchase_price DECIMAL(10,2),
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  photo_file_ids UUID[] NOT NULL DEFAULT '{}',
  notes TEXT,
  is_public BOOLEAN NOT NULL DEFAULT false, -- shown on the owner's profile
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT chk_equipment_purchase_price_positive CHECK (purchase_price >= 0),
  CONSTRAINT chk_equipment_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT chk_equipment_photo_count CHECK (cardinality(photo_file_ids) <= 20)
);
CREATE INDEX idx_equipment_user_id ON equipment(user_id);
CREATE INDEX idx_equipment_category_id ON equipment(category_id);
-- the public part of a profile
CREATE INDEX idx_equipment_user_id_public ON equipment(user_id) WHERE is_public AND deleted_at IS NULL;
CREATE TRIGGER trg_equipment_updated_at BEFORE UPDATE ON equipment
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 12.2 equipment_warranties
CREATE TABLE equipment_warranties (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  equipment_id UUID NOT NULL CONSTRAINT fk_equipment_warranties_equipment
    REFERENCES equipment(id) ON DELETE CASCADE,
  provider VARCHAR(255) NOT NULL, -- manufacturer, retailer or insurer
  warranty_type VARCHAR(20) NOT NULL DEFAULT 'manufacturer',
  policy_number VARCHAR(100),
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  document_file_ids UUID[] NOT NULL DEFAULT '{}', -- invoice, warranty certificate
  notes TEXT,
  -- set by the daily job when it sends the "expires in 30 days" notification, so it is sent once;
  -- reset by trg_equipment_warranties_expiry_notice when end_date changes (extended warranty)
  expiry_notified_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_equipment_warranties_dates_valid CHECK (end_date >= start_date),
  CONSTRAINT chk_equipment_warranties_type_valid CHECK (warranty_type IN ('manufacturer', 'extended', 'retailer', 'insurance')),
  CONSTRAINT chk_equipment_warranties_document_count CHECK (cardinality(document_file_ids) <= 20)
);
CREATE INDEX idx_equipment_warranties_equipment_id ON equipment_warranties(equipment_id);
-- the reminder job: WHERE expiry_notified_at IS NULL AND end_date BETWEEN current_date AND current_date + 30
CREATE INDEX idx_equipment_warranties_end_date_pending ON equipment_warranties(end_date)
  WHERE expiry_notified_at IS NULL;
CREATE TRIGGER trg_equipment_warranties_updated_at BEFORE UPDATE ON equipment_warranties
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE FUNCTION reset_warranty_expiry_notice() RETURNS trigger AS $$
BEGIN
  IF NEW.end_date IS DISTINCT FROM OLD.end_date
     AND NEW.expiry_notified_at IS NOT DISTINCT FROM OLD.expiry_notified_at THEN
    NEW.expiry_notified_at := NULL;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_equipment_warranties_expiry_notice BEFORE UPDATE OF end_date ON equipment_warranties
  FOR EACH ROW EXECUTE FUNCTION reset_warranty_expiry_notice();

-- ---------------------------------------------------------------------------------------------------
-- 12.3 equipment_maintenance
CREATE TABLE equipment_maintenance (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  equipment_id UUID NOT NULL CONSTRAINT fk_equipment_maintenance_equipment
    REFERENCES equipment(id) ON DELETE CASCADE,
  performed_on DATE NOT NULL,
  maintenance_type VARCHAR(20) NOT NULL,
  performed_by VARCHAR(255), -- technician or shop
  cost DECIMAL(10,2),
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  notes TEXT,
  next_due_date DATE,
  document_file_ids UUID[] NOT NULL DEFAULT '{}', -- receipts, reports
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_equipment_maintenance_type_valid CHECK (maintenance_type IN
    ('service', 'repair', 'setup', 'restring', 'cleaning', 'calibration', 'upgrade', 'inspection', 'other')),
  CONSTRAINT chk_equipment_maintenance_cost_positive CHECK (cost >= 0),
  CONSTRAINT chk_equipment_maintenance_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT chk_equipment_maintenance_next_due_after CHECK (next_due_date >= performed_on),
  CONSTRAINT chk_equipment_maintenance_document_count CHECK (cardinality(document_file_ids) <= 20)
);
-- the history of one item, newest first (also the FK index)
CREATE INDEX idx_equipment_maintenance_equipment_id_performed_on
  ON equipment_maintenance(equipment_id, performed_on DESC);
CREATE INDEX idx_equipment_maintenance_next_due_date ON equipment_maintenance(next_due_date)
  WHERE next_due_date IS NOT NULL;
CREATE TRIGGER trg_equipment_maintenance_updated_at BEFORE UPDATE ON equipment_maintenance
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
