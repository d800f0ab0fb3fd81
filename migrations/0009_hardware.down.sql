-- Reverts 0009_hardware.sql (reverse order). Dropping a table drops its indexes, constraints, triggers
-- and, for equipment_categories, the seeded rows.
DROP TABLE IF EXISTS equipment_maintenance;
DROP TABLE IF EXISTS equipment_warranties;
DROP FUNCTION IF EXISTS reset_warranty_expiry_notice();
DROP TABLE IF EXISTS equipment;
DROP TABLE IF EXISTS equipment_categories;
