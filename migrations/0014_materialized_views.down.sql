-- Reverts 0014_materialized_views (their indexes go with them).
DROP MATERIALIZED VIEW IF EXISTS user_statistics;
DROP MATERIALIZED VIEW IF EXISTS trending_tracks;
