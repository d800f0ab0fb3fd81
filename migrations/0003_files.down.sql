-- Reverts 0003_files.sql (reverse order).
DROP TABLE IF EXISTS file_conversions;
DROP TABLE IF EXISTS file_metadata;
DROP TABLE IF EXISTS file_uploads;
DROP TABLE IF EXISTS files;
