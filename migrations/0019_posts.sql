-- Posts (spec §9.3–§9.7): hashtag type-ahead. idx_hashtags_tag (UNIQUE, LOWER(tag)) answers equality
-- only under a non-C collation; a prefix match (lower(tag) LIKE 'jaz%') needs pattern ops.
CREATE INDEX idx_hashtags_tag_prefix ON hashtags (lower(tag) text_pattern_ops);
