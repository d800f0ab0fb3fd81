-- Reverts 0012_analytics (dropping the partitioned parent drops its partitions).
DROP TABLE IF EXISTS dashboard_configs;
DROP TABLE IF EXISTS reports;
DROP TABLE IF EXISTS track_analytics;
DROP TABLE IF EXISTS daily_metrics;
DROP TABLE IF EXISTS analytics_events;
