DROP INDEX idx_hashtags_tag_prefix;
